import ClarifaiV2
import H2Transport
import ProtoWire

/// The Clarifai annotations emulator on the network: gRPC (h2c and TLS) and the REST JSON
/// mapping (HTTP/2 and HTTP/1.1 keep-alive) on the same port(s), over one `AnnotationStore`.
///
/// ```swift
/// let emulator = try Emulator()                  // 127.0.0.1, an ephemeral port
/// var configuration = ClientConfiguration()
/// configuration.endpoint = emulator.endpoint     // h2c://127.0.0.1:PORT
/// configuration.key = "any non-empty key"
/// ```
public final class Emulator: Sendable {
    public let store: AnnotationStore
    private let server: HTTPServer
    private let tlsServer: HTTPServer?

    /// - Parameters:
    ///   - host: the address to listen on (loopback by default).
    ///   - port: plaintext port (0: ephemeral) for gRPC over h2c and REST over h2c and HTTP/1.1.
    ///   - tlsPort: with `tls`, a second port for the same over TLS (ALPN `h2`, `http/1.1`).
    ///   - tls: the certificate and key of the TLS port; nil for none.
    ///   - store: the annotations served (a fresh, empty store by default).
    ///   - randomFaults: faults to inject by itself into calls that ask for none.
    ///   - limits: header list, body, concurrent streams, connections (in all and per peer), and
    ///     the header and idle timeouts, per server (see `ServerLimits`).
    ///   - compression: with gzip, answers of 1 KiB or more to clients that accept gzip go
    ///     compressed (gRPC messages, REST bodies that are not streams); compressed requests are
    ///     read whatever it says.
    ///   - callLog: called with a ``CallRecord`` for every request the emulator answers, gRPC and
    ///     REST, on both ports, on the connection's I/O thread as the answer is made (keep it
    ///     short). Requests the HTTP layer refuses before the emulator sees them (malformed
    ///     HTTP/1.1 framing, oversized heads or bodies, streams past the concurrency limit) are not
    ///     among them. ``CallLogFile/append(_:)`` writes them to a file.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tlsPort: Int? = nil, tls: ServerTLSConfiguration? = nil,
        store: AnnotationStore = AnnotationStore(), randomFaults: RandomFaults? = nil,
        limits: ServerLimits = ServerLimits(),
        compression: MessageCompression = .none, callLog: (@Sendable (CallRecord) -> Void)? = nil
    ) throws(TransportError) {
        self.store = store
        // A compressed request may inflate to what a plain one may be, and no more.
        let inflateLimit = min(max(limits.maxBodySize, 0), 1 << 40)
        let handler: HTTPServer.Handler
        if let callLog {
            handler = { request in
                let (response, record) = Emulator.answer(
                    request, store: store, randomFaults: randomFaults, compression: compression,
                    inflateLimit: inflateLimit)
                callLog(record)
                return response
            }
        } else {
            handler = { request in
                Emulator.answer(
                    request, store: store, randomFaults: randomFaults, compression: compression,
                    inflateLimit: inflateLimit
                ).response
            }
        }
        server = try HTTPServer(host: host, port: port, limits: limits, handler: handler)
        if let tls {
            tlsServer = try HTTPServer(host: host, port: tlsPort ?? 0, tls: tls, limits: limits, handler: handler)
        } else {
            tlsServer = nil
        }
    }

    public var host: String { server.host }
    public var port: Int { server.port }
    public var tlsPort: Int? { tlsServer?.port }

    /// `h2c://HOST:PORT`, for clients.
    public var endpoint: String { "h2c://\(hostForURL):\(server.port)" }
    /// `https://HOST:TLSPORT`, when TLS is on.
    public var tlsEndpoint: String? { tlsServer.map { "https://\(hostForURL):\($0.port)" } }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    public func stop() {
        server.stop()
        tlsServer?.stop()
    }

    // MARK: Requests

    /// The answer to one request, gRPC or REST (public for the fuzzers of `make fuzz` only).
    @_spi(Fuzzing) public static func respond(
        to request: ServerRequest, store: AnnotationStore, randomFaults: RandomFaults? = nil
    ) -> ServerResponse {
        answer(request, store: store, randomFaults: randomFaults).response
    }

    /// The answer to one request, and the call log's record of it.
    static func answer(
        _ request: ServerRequest, store: AnnotationStore, randomFaults: RandomFaults?,
        compression: MessageCompression = .none, inflateLimit: Int = ServerLimits().maxBodySize
    ) -> (response: ServerResponse, record: CallRecord) {
        let isGRPC = request.headers["content-type"]?.hasPrefix("application/grpc") == true
        let pathEnd = request.path.firstIndex(of: "?") ?? request.path.endIndex
        let path = request.path[..<pathEnd]
        let route = isGRPC ? nil : V2.route(verb: request.method, path: path)
        // Named before anything can refuse the call, so that a refused call is counted under its RPC.
        let rpc: (any AnyV2Method)?
        if isGRPC {
            rpc = AnnotationStore.handler(named: request.path)?.method
        } else if case .method(let method, _)? = route {
            rpc = method
        } else {
            rpc = nil
        }
        var record = CallRecord(
            time: 0, method: rpc?.name ?? String("\(request.method) \(path)".prefix(CallRecord.maxMethodLength)),
            wire: isGRPC ? .grpc : request.httpVersion == "2" ? .restHTTP2 : .restHTTP1,
            connectionID: request.connectionID, status: 0
        )
        // Answers are compressed only when the emulator is asked to and the client reads gzip.
        let compressing =
            isGRPC && compression.encoding != nil
            && GRPCWire.acceptsGzip(request.headers["grpc-accept-encoding"])
        var request = request
        if !isGRPC, let refused = inflateBody(of: &request, limit: inflateLimit) {
            record.status = Int(StatusCode.connInvalidRequest.rawValue)
            record.time = CallRecord.now()
            return (refused, record)
        }
        var (response, statusCode) = respond(
            to: request, isGRPC: isGRPC, route: route, store: store, randomFaults: randomFaults,
            compression: compressing ? compression : .none, inflateLimit: inflateLimit, record: &record)
        if !isGRPC, compression.encoding != nil, response.bodySource == nil,
            compression.compresses(response.body.count),
            GRPCWire.acceptsGzip(request.headers["accept-encoding"])
        {
            response.body = Gzip.compress(response.body)
            response.headers.append(HeaderField("content-encoding", "gzip"))
        }
        if isGRPC, compression.encoding != nil || request.headers["grpc-accept-encoding"] != nil {
            // It reads compressed requests, whatever it sends (PROTOCOL-HTTP2.md: a server says
            // so), told to clients that speak of encodings at all.
            response.headers.append(HeaderField("grpc-accept-encoding", GRPCWire.acceptedEncodings))
        }
        switch record.fault {
        case .sleep(let milliseconds): response.delay = Double(milliseconds) / 1000
        case .goAway: response.goAwayAfter = true
        case .drop: response.dropConnection = true
        default: break
        }
        if isGRPC {
            record.grpcStatus = response.trailers.first { $0.name == "grpc-status" }.flatMap { Int32($0.value) }
        }
        record.status = statusCode.map { Int($0.rawValue) } ?? response.status
        record.time = CallRecord.now()
        return (response, record)
    }

    /// The response and its Clarifai status code (nil when it carries none: a gRPC call ended
    /// with a gRPC status of its own); the fault asked for goes into `record`.
    private static func respond(
        to request: ServerRequest, isGRPC: Bool, route: V2.Route?, store: AnnotationStore, randomFaults: RandomFaults?,
        compression: MessageCompression, inflateLimit: Int, record: inout CallRecord
    ) -> (ServerResponse, StatusCode?) {
        if let value = request.headers[InjectedFault.headerName], !value.trimmingSpaces().isEmpty {
            // Refused rather than ignored: a caller asking for a fault the emulator cannot
            // produce (a typo, a sleep of days) would otherwise test nothing without knowing.
            guard let asked = InjectedFault(headerValue: value) else {
                let message =
                    "\(InjectedFault.headerName): '\(value.prefix(40))' is not a fault; expected \(InjectedFault.expectedValues)"
                return isGRPC
                    ? (trailersOnly(grpcStatus: GRPCStatusCode.invalidArgument, message: message), nil)
                    : (
                        ServerResponse(
                            status: 400, headers: [HeaderField("content-type", "application/json")],
                            body: statusBody(.connInvalidRequest, message)
                        ), .connInvalidRequest
                    )
            }
            record.fault = asked
        } else {
            record.fault = randomFaults?.next()
        }
        return isGRPC
            ? grpcResponse(
                to: request, store: store, fault: record.fault, compression: compression, inflateLimit: inflateLimit)
            : restResponse(to: request, route: route, store: store, fault: record.fault)
    }

    /// A REST request body sent `Content-Encoding: gzip`, inflated in place (at most to
    /// `limit`, the server's body limit); the refusal when it cannot be: 415 for another
    /// coding, 413 for one that inflates past the limit, 400 for a broken one, each with a
    /// Clarifai status as every refusal has.
    private static func inflateBody(of request: inout ServerRequest, limit: Int) -> ServerResponse? {
        guard let coding = request.headers["content-encoding"]?.lowercased(), coding != "identity" else { return nil }
        let json = [HeaderField("content-type", "application/json")]
        guard coding == "gzip" else {
            let message = "Content-Encoding '\(coding.prefix(40))' is not supported; send gzip or no encoding"
            return ServerResponse(
                status: 415, headers: json + [HeaderField("accept-encoding", "gzip")],
                body: statusBody(.connInvalidRequest, message))
        }
        do {
            request.body = try Gzip.decompress(request.body, limit: limit)
            return nil
        } catch {
            let tooLarge = if case .tooLarge = error.kind { true } else { false }
            return ServerResponse(
                status: tooLarge ? 413 : 400, headers: json,
                body: statusBody(.connInvalidRequest, "request body: \(error)"))
        }
    }

    private static func grpcResponse(
        to request: ServerRequest, store: AnnotationStore, fault: InjectedFault?, compression: MessageCompression,
        inflateLimit: Int
    ) -> (ServerResponse, StatusCode?) {
        guard request.method == "POST" else {
            return (trailersOnly(status: 405, grpcStatus: 12, message: "gRPC calls are POSTs"), nil)
        }
        if fault == .unavailable {
            return (trailersOnly(grpcStatus: 14, message: "unavailable (fault injected by the emulator)"), nil)
        }
        let encoding = request.headers["grpc-encoding"]
        if let encoding, encoding != "identity", encoding != "gzip", request.body.first == 1 {
            // PROTOCOL-HTTP2.md: a message compressed in a way the server cannot read is UNIMPLEMENTED.
            let message =
                "grpc-encoding '\(encoding.prefix(40))' is not supported (grpc-accept-encoding: \(GRPCWire.acceptedEncodings))"
            return (trailersOnly(grpcStatus: 12, message: message), nil)
        }
        let message: [UInt8]
        switch GRPCWire.unframeSingle(request.body, encoding: encoding, maxMessageSize: inflateLimit) {
        case .success(let bytes): message = bytes
        case .failure(let error):
            return (trailersOnly(grpcStatus: Int32(error.code.rawValue), message: error.message), nil)
        }
        let call = store.grpcStreamCall(
            method: request.path, requestBytes: message, authorization: request.headers["authorization"], fault: fault
        )
        guard let responses = call.responses else {
            return (trailersOnly(grpcStatus: call.grpcStatus, message: call.grpcMessage), nil)
        }
        let ok = [HeaderField("grpc-status", "0")]
        var headers = [HeaderField("content-type", "application/grpc")]
        if compression.encoding != nil { headers.append(HeaderField("grpc-encoding", "gzip")) }
        var response = ServerResponse(status: 200, headers: headers, trailers: ok)
        // With grpc-encoding: gzip, each message is compressed or not by its own size (its flag says which).
        let frame = { @Sendable (message: [UInt8]) -> [UInt8] in
            compression.compresses(message.count) ? GRPCWire.frameCompressed(message) : GRPCWire.frame(message)
        }
        if call.streaming {
            response.bodySource = StreamedBody.source(
                responses, interval: StreamedBody.interval(request.headers), trailers: ok
            ) { frame($0.serializedBytes()) }
        } else {
            response.body = frame(responses.first?.serializedBytes() ?? [])
        }
        return (response, call.statusCode)
    }

    private static func trailersOnly(status: Int = 200, grpcStatus: Int32, message: String) -> ServerResponse {
        var response = ServerResponse(
            status: status, headers: [HeaderField("content-type", "application/grpc")],
            trailers: [
                HeaderField("grpc-status", String(grpcStatus)),
                HeaderField("grpc-message", GRPCWire.percentEncode(message)),
            ]
        )
        response.trailersOnly = true
        return response
    }

    private static func restResponse(
        to request: ServerRequest, route: V2.Route?, store: AnnotationStore, fault: InjectedFault?
    ) -> (ServerResponse, StatusCode) {
        let json = [HeaderField("content-type", "application/json")]
        if fault == .unavailable {
            return (
                ServerResponse(
                    status: 503, headers: json,
                    body: statusBody(.tryAgain, "unavailable (fault injected by the emulator)")), .tryAgain
            )
        }
        let pathEnd = request.path.firstIndex(of: "?") ?? request.path.endIndex
        let path = request.path[..<pathEnd]
        let query = pathEnd < request.path.endIndex ? request.path[request.path.index(after: pathEnd)...] : ""
        guard case .method(let method, let pathValues)? = route else {
            let wrongVerb = if case .wrongVerb? = route { true } else { false }
            let body = statusBody(.connDoesNotExist, "Resource does not exist: no route \(request.method) \(path)")
            return (ServerResponse(status: wrongVerb ? 405 : 404, headers: json, body: body), .connDoesNotExist)
        }
        // Every routed method is served: the route comes from the same table as the handlers.
        guard let handler = AnnotationStore.handler(named: method.name) else {
            return (
                ServerResponse(
                    status: 404, headers: json, body: statusBody(.connDoesNotExist, "no method \(method.name)")),
                .connDoesNotExist
            )
        }
        let responses = store.jsonCall(
            handler, body: request.body, query: PercentEncoding.queryItems(query), pathParameters: pathValues,
            authorization: request.headers["authorization"], fault: fault
        )
        guard handler.isStreaming else {
            let reply = AnnotationStore.unaryReply(responses)
            return (ServerResponse(status: reply.httpStatus, headers: json, body: reply.body), reply.statusCode)
        }
        var response = ServerResponse(status: 200, headers: json)
        response.bodySource = StreamedBody.source(
            responses, interval: StreamedBody.interval(request.headers), trailers: [],
            encode: AnnotationStore.streamLine
        )
        return (response, responses.first?.status?.code ?? .success)
    }
}

private func statusBody(_ code: StatusCode, _ description: String) -> [UInt8] {
    var response = BaseResponse()
    response.status = Status(code: code, description: description)
    return response.jsonUTF8()
}
