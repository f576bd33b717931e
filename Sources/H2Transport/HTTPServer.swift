import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A request as a server receives it, over HTTP/2 or HTTP/1.1.
public struct ServerRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [HeaderField]
    public var body: [UInt8]
    /// "2" or "1.1".
    public var httpVersion: String

    public init(method: String, path: String, headers: [HeaderField] = [], body: [UInt8] = [], httpVersion: String = "2") {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }
}

/// What a handler answers. `trailers` (HTTP/2 only) follow the body; a response with
/// trailers and an empty body and `trailersOnly` goes out as one HEADERS frame (gRPC's
/// Trailers-Only form).
public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [HeaderField]
    public var body: [UInt8]
    public var trailers: [HeaderField]
    public var trailersOnly = false
    /// Answer this many seconds later (fault injection), without blocking other streams.
    public var delay: Double = 0
    /// Send GOAWAY after this response (fault injection).
    public var goAwayAfter = false
    /// Reset the stream instead of answering (fault injection), with this HTTP/2 error code.
    public var resetCode: UInt32?
    /// Close the connection instead of answering (fault injection): the request was handled,
    /// its answer is lost, and so are those of other requests on the connection.
    public var dropConnection = false

    public init(status: Int, headers: [HeaderField] = [], body: [UInt8] = [], trailers: [HeaderField] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }
}

/// TLS for a server: a PEM certificate chain and key; ALPN offers `h2` and `http/1.1`.
public struct ServerTLSConfiguration: Sendable {
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// Limits that keep a hostile client from exhausting the server.
public struct ServerLimits: Sendable {
    public var maxHeaderListSize = 64 << 10
    public var maxBodySize = 64 << 20
    public var maxConcurrentStreams: UInt32 = 256
    public var maxConnections = 1024

    public init() {}
}

/// A small HTTP server on the same machinery as the client: HTTP/2 (h2c with prior
/// knowledge, or TLS with ALPN) and HTTP/1.1 keep-alive on one port, told apart by the first
/// bytes (the HTTP/2 preface) or by ALPN. One thread accepts; each connection has its own I/O
/// thread, which calls the handler for complete requests.
///
/// ```swift
/// let server = try HTTPServer(host: "127.0.0.1", port: 0) { request in
///     ServerResponse(status: 200, body: Array("hello".utf8))
/// }
/// print(server.port)
/// ```
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (ServerRequest) -> ServerResponse

    public let host: String
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let tlsContext: ServerTLSContextBox?
    private let limits: ServerLimits
    private let state = Mutex(State())
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct State {
        var stopped = false
        var connections: [ObjectIdentifier: ServerConnection] = [:]
    }

    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLSConfiguration? = nil,
        limits: ServerLimits = ServerLimits(), handler: @escaping Handler
    ) throws(TransportError) {
        self.host = host
        self.handler = handler
        self.limits = limits
        tlsContext = try tls.map { (tls) throws(TransportError) in ServerTLSContextBox(try ServerTLSContext(tls)) }
        (listener, self.port) = try HTTPServer.listen(host: host, port: port)
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "http-accept \(host):\(self.port)"
        thread.start()
    }

    /// Stops accepting and closes every connection.
    public func stop() {
        let connections = state.withLock { state -> [ServerConnection] in
            state.stopped = true
            return Array(state.connections.values)
        }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        for connection in connections { connection.close() }
    }

    deinit {
        stop()
    }

    private static func listen(host: String, port: Int) throws(TransportError) -> (Int32, Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let address = list else {
            throw TransportError(.connectFailed, "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TransportError(.system, systemError("socket")) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            let message = systemError("bind \(host):\(port)")
            close(fd)
            throw TransportError(.system, message)
        }
        guard Glibc.listen(fd, 512) == 0 else {
            close(fd)
            throw TransportError(.system, systemError("listen"))
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        let family = storage.ss_family
        let boundPort: Int = withUnsafePointer(to: storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
        return (fd, boundPort)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, 1000)
            if state.withLock({ $0.stopped }) { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let tooMany = state.withLock { $0.connections.count >= limits.maxConnections }
            if tooMany {
                close(fd)
                continue
            }
            let connection = ServerConnection(
                socket: TCPSocket(adopting: fd), tls: tlsContext?.context, limits: limits, handler: handler
            ) { [weak self] finished in
                self?.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(finished)) }
            }
            state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
            connection.start()
        }
    }
}

/// `ServerTLSContext` is used read-only after creation (OpenSSL contexts are thread-safe for
/// creating sessions), so it can be shared by the connection threads.
final class ServerTLSContextBox: @unchecked Sendable {
    let context: ServerTLSContext
    init(_ context: ServerTLSContext) { self.context = context }
}
