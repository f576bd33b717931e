import Foundation
import Synchronization

/// The response of a successful unary call.
///
/// The message stays where it arrived, in the response body behind its prefix: read it there
/// with `withUnsafeMessageBytes` (no copy); `message` copies it out.
///
/// ```swift
/// let annotation = try response.withUnsafeMessageBytes { try Annotation(serializedBytes: $0) }
/// ```
public struct GRPCResponse: Sendable {
    /// The received message: `storage[messageStart...]`.
    private var storage: [UInt8]
    private var messageStart: Int

    /// The response message's serialized bytes, without the 5-byte gRPC message prefix (a copy
    /// of them unless the message came compressed).
    public var message: [UInt8] {
        get { messageStart == 0 ? storage : Array(storage[messageStart...]) }
        set {
            storage = newValue
            messageStart = 0
        }
    }
    /// The message's size in bytes.
    public var messageCount: Int { storage.count - messageStart }
    /// The response headers (`:status` excluded), e.g. `content-type`, and any initial metadata.
    public var headers: [HeaderField]
    /// The trailers: `grpc-status` (0 here), `grpc-message` and any trailing metadata.
    public var trailers: [HeaderField]

    /// A response from its parts: the message without its prefix.
    ///
    /// ```swift
    /// let response = GRPCResponse(message: bytes, headers: [], trailers: [HeaderField("grpc-status", "0")])
    /// ```
    public init(message: [UInt8], headers: [HeaderField], trailers: [HeaderField]) {
        self.init(storage: message, messageStart: 0, headers: headers, trailers: trailers)
    }

    init(storage: [UInt8], messageStart: Int, headers: [HeaderField], trailers: [HeaderField]) {
        self.storage = storage
        self.messageStart = messageStart
        self.headers = headers
        self.trailers = trailers
    }

    /// Calls `body` with the message's bytes where they lie (valid only during the call).
    ///
    /// ```swift
    /// let response = try answer.withUnsafeMessageBytes { try ListAnnotationsResponse(serializedBytes: $0) }
    /// ```
    public func withUnsafeMessageBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = storage.withUnsafeBytes { buffer in
            do throws(Failure) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: buffer[messageStart...])))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}

/// gRPC unary calls to one endpoint over an `HTTP2Channel`: one shared HTTP/2 connection, or a
/// pool of them (`ConnectionConfiguration.maxConnections`), reconnecting with gRPC's connection
/// backoff when one fails or the server sends GOAWAY.
///
/// ```swift
/// let channel = try GRPCChannel(endpoint: Endpoint("https://api.clarifai.com"))
/// let response = try await channel.unary(
///     path: "/clarifai.api.V2/ListAnnotations", request: bytes,
///     metadata: [HeaderField("authorization", "Key \(pat)")], timeout: .seconds(30))
/// ```
public final class GRPCChannel: Sendable {
    /// Where every call goes.
    public let endpoint: Endpoint
    /// How the channel's connections behave (pool size, windows, keepalive, TLS, limits).
    public let configuration: ConnectionConfiguration

    /// The connections' pool (internal for tests).
    let http: HTTP2Channel
    /// Whether the server said it reads gzip (`grpc-accept-encoding` on its last answer): only
    /// then are requests compressed, so a server without it never sees one.
    let serverAcceptsGzip = Atomic<Bool>(false)

    /// A channel to `endpoint`. Nothing connects yet: the first call opens the first connection,
    /// so this never throws; connection failures surface as `GRPCError` (UNAVAILABLE) from calls.
    public init(endpoint: Endpoint, configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.endpoint = endpoint
        self.configuration = configuration
        http = HTTP2Channel(endpoint: endpoint, configuration: configuration)
    }

    /// The keepalive interval new connections use, after any "too_many_pings" back-off.
    public var currentKeepaliveInterval: Double? { http.currentKeepaliveInterval }

    /// Sends one request message and returns the response message.
    ///
    /// Throws `GRPCError` for every failure: the server's status, or a local one (deadline,
    /// cancellation, connection failure) with the transport error as `cause`. A call the
    /// server cannot have seen (REFUSED_STREAM, above a GOAWAY's last stream id) is sent again
    /// on another connection, as gRFC A6 allows (see `HTTP2Channel.send`).
    public func unary(
        path: String, request: [UInt8], metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCError) -> GRPCResponse {
        try await unary(path: path, framed: GRPCFramedMessage(copying: request), metadata: metadata, timeout: timeout)
    }

    /// Sends one request message framed in place (see ``GRPCFramedMessage``) and returns the
    /// response message; otherwise exactly `unary(path:request:metadata:timeout:)`.
    ///
    /// ```swift
    /// let framed = GRPCFramedMessage(headroomed: request.serializedBytes(headroom: GRPCWire.messagePrefixSize))!
    /// let response = try await channel.unary(path: "/clarifai.api.V2/ListAnnotations", framed: framed)
    /// ```
    public func unary(
        path: String, framed: GRPCFramedMessage, metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCError) -> GRPCResponse {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        let http = httpRequest(path: path, framed: framed, metadata: metadata, timeout: timeout)
        let response: HTTP2Response
        do {
            response = try await self.http.send(http, deadline: deadline)
        } catch {
            throw GRPCError(error)
        }
        learnEncodings(response.headers)
        return try GRPCChannel.interpret(response, maxMessageSize: configuration.maxResponseBodySize).get()
    }

    /// Sends one request message and returns once the response headers have arrived; the
    /// response messages are then read as they arrive (see `GRPCMessageStream`).
    ///
    /// Throws here when the call fails before its headers (connection, deadline, cancellation)
    /// or the server answers Trailers-Only with a non-OK status (UNIMPLEMENTED, say); a
    /// response that is not a gRPC one (`:status` other than 200, another content-type) is
    /// read whole and judged as `unary` judges it. `timeout` bounds the whole stream, sent as
    /// `grpc-timeout`: when it passes, the stream is reset and the loop throws
    /// DEADLINE_EXCEEDED. The stream counts as load on its pooled connection until it ends;
    /// a call the server did not process is sent again as for `unary`.
    ///
    /// ```swift
    /// let stream = try await channel.serverStreaming(
    ///     path: "/clarifai.api.V2/StreamAnnotations", request: bytes,
    ///     metadata: [HeaderField("authorization", "Key \(pat)")], timeout: .seconds(60))
    /// for try await message in stream { try handle(Annotation(serializedBytes: message)) }
    /// print(stream.trailers ?? [])
    /// ```
    public func serverStreaming(
        path: String, request: [UInt8], metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCError) -> GRPCMessageStream {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        let http = httpRequest(
            path: path, framed: GRPCFramedMessage(copying: request), metadata: metadata, timeout: timeout)
        let response: HTTP2ResponseStream
        do {
            response = try await self.http.stream(http, deadline: deadline)
        } catch {
            throw GRPCError(error)
        }
        learnEncodings(response.headers)
        if response.headersOnly {
            // Trailers-Only: the status rides in the only HEADERS frame.
            if let error = GRPCChannel.status(
                httpStatus: response.status, headers: response.headers, trailers: [], headersOnly: true
            ) {
                throw error
            }
            return GRPCMessageStream(finished: [], headers: response.headers, trailers: response.headers)
        }
        let contentType = response.headers["content-type"]
        guard response.status == 200, contentType.map({ $0.hasPrefix("application/grpc") }) ?? true else {
            // Not a gRPC answer: judged whole, exactly as a unary one.
            let whole = try await GRPCChannel.collect(response, limit: configuration.maxResponseBodySize)
            let answer = try GRPCChannel.interpret(whole, maxMessageSize: configuration.maxResponseBodySize).get()
            return GRPCMessageStream(finished: [answer.message], headers: answer.headers, trailers: answer.trailers)
        }
        return GRPCMessageStream(response, maxMessageSize: configuration.maxResponseBodySize)
    }

    /// The HTTP/2 request of a call: a POST of one framed message, compressed when the
    /// configuration asks for it, the message is large enough and the server reads gzip.
    private func httpRequest(path: String, framed: GRPCFramedMessage, metadata: [HeaderField], timeout: Duration?)
        -> HTTP2Request
    {
        let compressed =
            configuration.compression.compresses(framed.messageCount) && serverAcceptsGzip.load(ordering: .relaxed)
        return HTTP2Request(
            method: "POST", path: path,
            headers: requestHeaders(metadata: metadata, timeout: timeout, compressed: compressed),
            body: compressed ? GRPCWire.frameCompressed(framed.message) : framed.bytes
        )
    }

    /// What the server's answer says it reads (a server that cannot read a compressed request
    /// answers UNIMPLEMENTED with its list, and the next request goes uncompressed).
    private func learnEncodings(_ headers: [HeaderField]) {
        guard configuration.compression.encoding != nil, let accepted = headers["grpc-accept-encoding"] else { return }
        serverAcceptsGzip.store(GRPCWire.acceptsGzip(accepted), ordering: .relaxed)
    }

    /// Request headers in the order PROTOCOL-HTTP2.md lists them (after the pseudo-headers).
    private func requestHeaders(metadata: [HeaderField], timeout: Duration?, compressed: Bool) -> [HeaderField] {
        var headers: [HeaderField] = []
        headers.reserveCapacity(metadata.count + 4)
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            headers.append(
                HeaderField(
                    "grpc-timeout", GRPCWire.timeoutHeader(seconds: Double(seconds) + Double(attoseconds) / 1e18)))
        }
        headers.append(HeaderField("content-type", "application/grpc"))
        if compressed { headers.append(HeaderField("grpc-encoding", "gzip")) }
        headers.append(HeaderField("te", "trailers"))
        // Servers compress answers only to clients that say they read compressed ones: with
        // compression off, nothing is asked for, and no header is spent on every call.
        if configuration.compression.encoding != nil {
            headers.append(HeaderField("grpc-accept-encoding", GRPCWire.acceptedEncodings))
        }
        headers.append(HeaderField("user-agent", configuration.userAgent))
        headers.append(contentsOf: metadata)
        return headers
    }

    /// A streamed response read whole (at most `limit` bytes of body).
    private static func collect(_ response: HTTP2ResponseStream, limit: Int) async throws(GRPCError) -> HTTP2Response {
        var body: [UInt8] = []
        do {
            for try await chunk in response {
                guard body.count + chunk.count <= limit else {
                    response.cancel()
                    throw GRPCError(TransportError(.responseTooLarge, "more than \(limit) bytes"))
                }
                body += chunk
            }
        } catch let error as TransportError {
            throw GRPCError(error)
        } catch let error as GRPCError {
            throw error
        } catch {
            throw GRPCError(code: .unknown, message: "\(error)")
        }
        return HTTP2Response(
            status: response.status, headers: response.headers, body: body, trailers: response.trailers ?? [],
            headersOnly: false
        )
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        http.close()
    }

    // MARK: Response

    /// The call's outcome from a whole response; `maxMessageSize` bounds what a compressed
    /// message inflates to (the body itself was bounded as it arrived).
    static func interpret(_ response: HTTP2Response, maxMessageSize: Int = Int(UInt32.max)) -> Result<
        GRPCResponse, GRPCError
    > {
        if let error = status(
            httpStatus: response.status, headers: response.headers, trailers: response.trailers,
            headersOnly: response.headersOnly
        ) {
            return .failure(error)
        }
        if let contentType = response.headers["content-type"], !contentType.hasPrefix("application/grpc") {
            return .failure(GRPCError(code: .unknown, message: "unexpected content-type '\(contentType)'"))
        }
        let trailers = response.headersOnly ? [] : response.trailers
        return GRPCWire.locateSingle(
            response.body, encoding: response.headers["grpc-encoding"], maxMessageSize: maxMessageSize
        ).map { located in
            GRPCResponse(
                storage: located.storage, messageStart: located.start, headers: response.headers, trailers: trailers)
        }
    }

    /// The call's status, judged from the fields that carry it (the trailers, or the headers of
    /// a Trailers-Only answer): nil for OK. The one judgment of unary and streamed answers.
    static func status(httpStatus: Int, headers: [HeaderField], trailers: [HeaderField], headersOnly: Bool)
        -> GRPCError?
    {
        let statusFields = headersOnly ? headers : trailers
        guard let statusText = statusFields["grpc-status"] else {
            if httpStatus != 200 {
                return GRPCError(
                    code: GRPCError.code(forHTTPStatus: httpStatus),
                    message: "HTTP status \(httpStatus) without grpc-status", headers: headers
                )
            }
            return GRPCError(code: .unknown, message: "response without grpc-status", headers: headers)
        }
        guard let rawCode = Int(statusText) else {
            return GRPCError(code: .unknown, message: "invalid grpc-status '\(statusText)'", headers: headers)
        }
        let code = GRPCError.Code(rawValue: rawCode)
        guard code == .ok else {
            return GRPCError(
                code: code, message: GRPCWire.percentDecode(statusFields["grpc-message"] ?? ""),
                headers: headersOnly ? [] : headers, trailers: statusFields
            )
        }
        return nil
    }
}
