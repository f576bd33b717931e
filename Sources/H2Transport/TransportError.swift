/// A failure below the gRPC layer: connecting, TLS, HTTP/2, or the connection going away.
///
/// ```swift
/// catch let error as TransportError where error.isRetryable { … }
/// ```
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New kinds can be added without breaking users.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        public static let invalidEndpoint = Kind("invalid endpoint")
        /// A proxy URL (configured, or in `grpc_proxy`, `https_proxy`, …) that cannot be used.
        public static let invalidProxy = Kind("invalid proxy")
        /// The HTTP proxy refused the tunnel (`CONNECT` answered with a status other than 2xx).
        public static let proxyFailed = Kind("proxy refused the tunnel")
        public static let connectFailed = Kind("connect failed")
        public static let tlsFailed = Kind("TLS failed")
        public static let alpnMismatch = Kind("server did not select h2")
        public static let connectionClosed = Kind("connection closed")
        public static let protocolError = Kind("HTTP/2 protocol error")
        /// The server sent GOAWAY before this stream was processed; safe to retry.
        public static let goAway = Kind("connection going away")
        /// The server reset the stream (RST_STREAM).
        public static let streamReset = Kind("stream reset")
        public static let deadlineExceeded = Kind("deadline exceeded")
        public static let cancelled = Kind("cancelled")
        public static let responseTooLarge = Kind("response larger than the limit")
        /// `close()` was called on the connection.
        public static let closed = Kind("connection closed by the client")
        public static let system = Kind("system call failed")
    }

    public let kind: Kind
    /// Details, e.g. OpenSSL's reason (`certificate verify failed: self-signed certificate`).
    public let message: String
    /// The HTTP/2 error code of a RST_STREAM or GOAWAY, when there was one.
    public let http2ErrorCode: UInt32?
    /// True when the request cannot have been processed by the server, so sending it again is
    /// safe whatever the method: refused streams, streams above a GOAWAY's last stream id,
    /// connections that could not be established.
    public let isRetryable: Bool
    /// The request reached no server's application: refused (REFUSED_STREAM), above a GOAWAY's
    /// last stream id, or still queued on a connection when it failed. Such a request is sent
    /// again at once on a new connection, whatever its method.
    public let wasNotProcessed: Bool

    public init(
        _ kind: Kind, _ message: String, http2ErrorCode: UInt32? = nil, isRetryable: Bool = false,
        wasNotProcessed: Bool? = nil
    ) {
        self.kind = kind
        self.message = message
        self.http2ErrorCode = http2ErrorCode
        self.isRetryable = isRetryable || wasNotProcessed == true
        self.wasNotProcessed = wasNotProcessed ?? (isRetryable && (kind == .goAway || kind == .streamReset))
    }

    public var description: String {
        message.isEmpty ? kind.description : "\(kind): \(message)"
    }
}
