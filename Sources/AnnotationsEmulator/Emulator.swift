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
    ///   - port: plaintext port (0: ephemeral) for gRPC over h2c and REST over h2c and HTTP/1.1.
    ///   - tlsPort: with `tls`, a second port for the same over TLS (ALPN `h2`, `http/1.1`).
    ///   - randomFaults: faults to inject by itself into calls that ask for none.
    ///   - limits: header list, body, concurrent streams, connections (in all and per peer), and
    ///     the header and idle timeouts, per server (see `ServerLimits`).
    public init(
        host: String = "127.0.0.1", port: Int = 0, tlsPort: Int? = nil, tls: ServerTLSConfiguration? = nil,
        store: AnnotationStore = AnnotationStore(), randomFaults: RandomFaults? = nil, limits: ServerLimits = ServerLimits()
    ) throws(TransportError) {
        self.store = store
        let handler: HTTPServer.Handler = { request in Emulator.respond(to: request, store: store, randomFaults: randomFaults) }
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
    @_spi(Fuzzing) public static func respond(to request: ServerRequest, store: AnnotationStore, randomFaults: RandomFaults? = nil) -> ServerResponse {
        let isGRPC = request.headers["content-type"]?.hasPrefix("application/grpc") == true
        let fault: InjectedFault?
        if let value = request.headers[InjectedFault.headerName], !value.trimmingSpaces().isEmpty {
            // Refused rather than ignored: a caller asking for a fault the emulator cannot
            // produce (a typo, a sleep of days) would otherwise test nothing without knowing.
            guard let asked = InjectedFault(headerValue: value) else {
                let message = "\(InjectedFault.headerName): '\(value.prefix(40))' is not a fault; expected \(InjectedFault.expectedValues)"
                return isGRPC
                    ? trailersOnly(grpcStatus: GRPCStatusCode.invalidArgument, message: message)
                    : ServerResponse(
                        status: 400, headers: [HeaderField("content-type", "application/json")],
                        body: statusBody(.connInvalidRequest, message)
                    )
            }
            fault = asked
        } else {
            fault = randomFaults?.next()
        }
        var response = isGRPC
            ? grpcResponse(to: request, store: store, fault: fault)
            : restResponse(to: request, store: store, fault: fault)
        switch fault {
        case .sleep(let milliseconds): response.delay = Double(milliseconds) / 1000
        case .goAway: response.goAwayAfter = true
        case .drop: response.dropConnection = true
        default: break
        }
        return response
    }

    private static func grpcResponse(to request: ServerRequest, store: AnnotationStore, fault: InjectedFault?) -> ServerResponse {
        guard request.method == "POST" else { return trailersOnly(status: 405, grpcStatus: 12, message: "gRPC calls are POSTs") }
        if fault == .unavailable { return trailersOnly(grpcStatus: 14, message: "unavailable (fault injected by the emulator)") }
        let body = request.body
        guard body.count >= 5, body[0] == 0 else {
            return trailersOnly(grpcStatus: 13, message: body.count >= 5 ? "compressed messages are not supported" : "no request message")
        }
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        guard length == body.count - 5 else {
            return trailersOnly(grpcStatus: 13, message: "expected one request message of \(length) bytes")
        }
        let reply = store.handle(
            method: request.path, requestBytes: Array(body[5...]), authorization: request.headers["authorization"], fault: fault
        )
        guard reply.grpcStatus == 0 else { return trailersOnly(grpcStatus: reply.grpcStatus, message: reply.grpcMessage) }
        let size = UInt32(reply.responseBytes.count)
        var framed: [UInt8] = [0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
        framed += reply.responseBytes
        return ServerResponse(
            status: 200, headers: [HeaderField("content-type", "application/grpc")], body: framed,
            trailers: [HeaderField("grpc-status", "0")]
        )
    }

    private static func trailersOnly(status: Int = 200, grpcStatus: Int32, message: String) -> ServerResponse {
        var response = ServerResponse(
            status: status, headers: [HeaderField("content-type", "application/grpc")],
            trailers: [HeaderField("grpc-status", String(grpcStatus)), HeaderField("grpc-message", percentEncoded(message))]
        )
        response.trailersOnly = true
        return response
    }

    /// `grpc-message` is percent-encoded: bytes outside printable ASCII, and `%` itself.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "%") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    private static func restResponse(to request: ServerRequest, store: AnnotationStore, fault: InjectedFault?) -> ServerResponse {
        let json = [HeaderField("content-type", "application/json")]
        if fault == .unavailable {
            return ServerResponse(status: 503, headers: json, body: statusBody(.tryAgain, "unavailable (fault injected by the emulator)"))
        }
        let pathEnd = request.path.firstIndex(of: "?") ?? request.path.endIndex
        let path = request.path[..<pathEnd]
        let query = pathEnd < request.path.endIndex ? request.path[request.path.index(after: pathEnd)...] : ""
        guard let route = RESTRoute(httpMethod: request.method, path: path) else {
            let known = RESTRoute(httpMethod: "GET", path: path) != nil || RESTRoute(httpMethod: "POST", path: path) != nil
                || RESTRoute(httpMethod: "DELETE", path: path) != nil
            let body = statusBody(.connDoesNotExist, "Resource does not exist: no route \(request.method) \(path)")
            return ServerResponse(status: known ? 405 : 404, headers: json, body: body)
        }
        let reply = store.handleJSON(
            method: route.method.rawValue, body: request.body, query: RESTRoute.queryItems(query),
            pathParameters: route.pathParameters, authorization: request.headers["authorization"], fault: fault
        )
        return ServerResponse(status: reply.httpStatus, headers: json, body: reply.body)
    }
}

private func statusBody(_ code: StatusCode, _ description: String) -> [UInt8] {
    var response = BaseResponse()
    response.status = Status(code: code, description: description)
    return response.jsonUTF8()
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
