/// A failure below the gRPC layer: connecting, TLS, HTTP/2, or the connection going away.
///
/// ```swift
/// catch let error as TransportError where error.isRetryable { … }
/// ```
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New kinds can be added without breaking users.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        /// The kind in words (`"connect failed"`), the start of every message of this kind.
        public let description: String
        init(_ description: String) { self.description = description }

        /// An endpoint URL or server address that cannot be used (scheme, host, port); nothing was sent.
        public static let invalidEndpoint = Kind("invalid endpoint")
        /// A proxy URL (configured, or in `grpc_proxy`, `https_proxy`, …) that cannot be used.
        public static let invalidProxy = Kind("invalid proxy")
        /// The HTTP proxy refused the tunnel (`CONNECT` answered with a status other than 2xx).
        public static let proxyFailed = Kind("proxy refused the tunnel")
        /// The TCP connection could not be made: the name did not resolve, the connect was refused,
        /// or `connectTimeout` passed. Nothing was sent, so retrying is safe.
        public static let connectFailed = Kind("connect failed")
        /// The TLS handshake failed (certificate verification, protocol), or a certificate, key or
        /// CA file could not be loaded; the message holds OpenSSL's reason.
        public static let tlsFailed = Kind("TLS failed")
        /// ALPN selected another protocol than the one the channel speaks (`h2`, or `http/1.1`).
        public static let alpnMismatch = Kind("server did not select h2")
        /// The connection closed under the request: the server closed it, or a keepalive or
        /// post-deadline PING went unanswered.
        public static let connectionClosed = Kind("connection closed")
        /// The peer broke HTTP/2 (nghttp2's error) or sent a malformed HTTP/1.1 answer.
        public static let protocolError = Kind("HTTP/2 protocol error")
        /// The server sent GOAWAY before this stream was processed; safe to retry.
        public static let goAway = Kind("connection going away")
        /// The server reset the stream (RST_STREAM).
        public static let streamReset = Kind("stream reset")
        /// The request's deadline passed; an HTTP/2 stream is reset (CANCEL), an HTTP/1.1 connection
        /// dropped.
        public static let deadlineExceeded = Kind("deadline exceeded")
        /// The calling task was cancelled; the stream is reset, as for a deadline.
        public static let cancelled = Kind("cancelled")
        /// The response body or header list was larger than `ConnectionConfiguration` allows.
        public static let responseTooLarge = Kind("response larger than the limit")
        /// `close()` was called on the connection.
        public static let closed = Kind("connection closed by the client")
        /// A system call failed (socket, pipe, bind, …); the message names it and gives `errno`'s text.
        public static let system = Kind("system call failed")
    }

    /// What went wrong; compare with the static kinds (`error.kind == .deadlineExceeded`).
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

    /// An error from its parts. `wasNotProcessed` defaults from `isRetryable` (true only for a
    /// retryable GOAWAY or stream reset); a request that was not processed is always retryable.
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
