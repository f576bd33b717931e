import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A request as a server receives it, over HTTP/2 or HTTP/1.1.
public struct ServerRequest: Sendable {
    /// The request method (`:method`, or the HTTP/1.1 request line's), e.g. `POST`.
    public var method: String
    /// The request target as sent: path and query, still percent-encoded.
    public var path: String
    /// The header fields, without pseudo-headers; HTTP/1.1 names are lower-cased.
    public var headers: [HeaderField]
    /// The whole request body (at most `ServerLimits.maxBodySize` bytes; HTTP/1.1 chunked decoded).
    public var body: [UInt8]
    /// "2" or "1.1".
    public var httpVersion: String
    /// The connection the request came on: each connection an `HTTPServer` accepts gets the
    /// next number of the process, from 1, and every request on it (HTTP/2 streams, HTTP/1.1
    /// keep-alive requests) carries it. 0 for a request built by hand (tests, fuzzers).
    public var connectionID: Int

    /// A request from its parts, for tests and fuzzers (the server builds its own); by default
    /// an HTTP/2 request with no body, on connection 0.
    public init(
        method: String, path: String, headers: [HeaderField] = [], body: [UInt8] = [], httpVersion: String = "2",
        connectionID: Int = 0
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
        self.connectionID = connectionID
    }
}

/// What a handler answers. `trailers` (HTTP/2 only) follow the body; a response with
/// trailers and an empty body and `trailersOnly` goes out as one HEADERS frame (gRPC's
/// Trailers-Only form). A body produced over time (server streaming) comes from `bodySource`.
public struct ServerResponse: Sendable {
    /// The `:status` (or HTTP/1.1 status line) of the answer, e.g. 200.
    public var status: Int
    /// The response headers, without pseudo-headers; write names in lower case (HTTP/2 requires it).
    public var headers: [HeaderField]
    /// The whole body, sent after the headers (ignored when `bodySource` is set). Empty by default.
    public var body: [UInt8]
    /// HTTP/2 trailers after the body (gRPC's `grpc-status`); not sent over HTTP/1.1. Empty by default.
    public var trailers: [HeaderField]
    /// With an empty body and trailers, send headers and trailers as one HEADERS frame that ends the
    /// stream (gRPC's Trailers-Only form). False by default.
    public var trailersOnly = false
    /// A streamed body, sent after the headers in place of `body`; the source's `.end` gives
    /// the trailers (`trailers` is not used then). See `ServerBodySource` for when it is pulled.
    ///
    /// ```swift
    /// var response = ServerResponse(status: 200, headers: [HeaderField("content-type", "application/grpc")])
    /// response.bodySource = ServerBodySource { _ in .end(trailers: [HeaderField("grpc-status", "0")]) }
    /// ```
    public var bodySource: ServerBodySource?
    /// Answer this many seconds later (fault injection), without blocking other streams.
    public var delay: Double = 0
    /// Send GOAWAY after this response (fault injection).
    public var goAwayAfter = false
    /// Reset the stream instead of answering (fault injection), with this HTTP/2 error code.
    public var resetCode: UInt32?
    /// Close the connection instead of answering (fault injection): the request was handled,
    /// its answer is lost, and so are those of other requests on the connection.
    public var dropConnection = false

    /// A response from its parts; every fault-injection field off, no streamed body.
    public init(status: Int, headers: [HeaderField] = [], body: [UInt8] = [], trailers: [HeaderField] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }
}

/// TLS for a server: a PEM certificate chain and key; ALPN offers `h2` and `http/1.1`.
public struct ServerTLSConfiguration: Sendable {
    /// Path of the PEM certificate chain, the server's own certificate first.
    public var certificateFile: String
    /// Path of the PEM private key that goes with the certificate.
    public var keyFile: String

    /// The two file paths; they are read (and checked) when the `HTTPServer` starts, which
    /// throws `.tlsFailed` when one cannot be loaded.
    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// Limits that keep a hostile client from exhausting the server, or idle ones from locking
/// others out. A value out of its range (see each field) is brought into it when the server
/// starts.
///
/// ```swift
/// var limits = ServerLimits()
/// limits.idleTimeout = 5  // close connections that say nothing for 5 s
/// let server = try HTTPServer(limits: limits) { _ in ServerResponse(status: 204) }
/// ```
public struct ServerLimits: Sendable {
    /// The largest request head in bytes: the HTTP/1.1 request line and header fields (431
    /// beyond), or HTTP/2's header list (`SETTINGS_MAX_HEADER_LIST_SIZE`). 1…2³²−1.
    public var maxHeaderListSize = 64 << 10
    /// The largest request body in bytes, the decoded size of a chunked one (413 beyond, or
    /// RST_STREAM). 0…2⁴⁰.
    public var maxBodySize = 64 << 20
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` of each HTTP/2 connection: the streams a client may
    /// have open at once (a stream counts from its HEADERS until the response is sent or it is
    /// reset). 1…2³¹−1.
    ///
    /// A stream beyond the limit is refused by nghttp2 (RFC 9113 §5.1.2) in one of two ways,
    /// depending on whether the client has acknowledged the SETTINGS carrying the limit:
    /// - before the client's SETTINGS ACK arrives (a client that sends requests right after its
    ///   preface may not know the limit yet): RST_STREAM with REFUSED_STREAM for that stream
    ///   alone; the stream was not processed, so the client can send the request again (RFC
    ///   9113 §8.7), and the other streams go on;
    /// - after the ACK (the client knew the limit and ignored it): a connection error, GOAWAY
    ///   with PROTOCOL_ERROR, the last stream id of the last stream processed and the debug data
    ///   "request HEADERS: max concurrent streams exceeded"; the connection closes, and the
    ///   streams still open on it get no answer (RFC 9113 §5.4.1 lets a stream error be treated
    ///   as a connection error).
    public var maxConcurrentStreams: UInt32 = 256
    /// Connections open at once. At the limit a new connection takes the place of the one that
    /// has been idle the longest (closed with GOAWAY on HTTP/2); when none is idle the new one
    /// is closed at once. 1…1,048,576.
    public var maxConnections = 1024
    /// Connections open at once from one peer: one IPv4 address, or one IPv6 /64 (a host
    /// usually has a whole /64). At the limit a new connection from that peer takes the place of
    /// its own connection idle the longest, or is closed at once when none is: one peer's idle
    /// sockets never cost another peer its connection. 1…`maxConnections`.
    public var maxConnectionsPerPeer = 256
    /// Seconds a connection has, from the accept, for its TLS handshake and its first request
    /// head (HTTP/2: the preface and the client's first frame), and each later HTTP/1.1 request
    /// for its head once its first byte arrived; then it is closed (HTTP/1.1 with 408, HTTP/2
    /// with GOAWAY). A peer sending a head a byte at a time cannot hold a connection for long.
    /// 0.001…86,400.
    public var headerTimeout: Double = 10
    /// Seconds after which a connection that received and sent nothing is closed (HTTP/2 with
    /// GOAWAY first; a request left half-sent with 408). A response the server holds back on
    /// purpose (`ServerResponse.delay`) does not count as silence. 0.001…86,400.
    public var idleTimeout: Double = 60

    /// Every limit at the default documented on its field.
    public init() {}

    /// Each field brought into its range; a timeout that is not a number is its default.
    var normalized: ServerLimits {
        let defaults = ServerLimits()
        var limits = self
        limits.maxHeaderListSize = min(max(maxHeaderListSize, 1), Int(UInt32.max))
        limits.maxBodySize = min(max(maxBodySize, 0), 1 << 40)
        limits.maxConcurrentStreams = min(max(maxConcurrentStreams, 1), UInt32(Int32.max))
        limits.maxConnections = min(max(maxConnections, 1), 1 << 20)
        limits.maxConnectionsPerPeer = min(max(maxConnectionsPerPeer, 1), limits.maxConnections)
        func seconds(_ value: Double, _ standard: Double) -> Double {
            value.isNaN ? standard : min(max(value, 0.001), 86_400)
        }
        limits.headerTimeout = seconds(headerTimeout, defaults.headerTimeout)
        limits.idleTimeout = seconds(idleTimeout, defaults.idleTimeout)
        return limits
    }
}

/// Whom a connection comes from, for `ServerLimits.maxConnectionsPerPeer`: an IPv4 address
/// (also when written as IPv4-mapped IPv6), or the /64 prefix of an IPv6 address.
struct PeerAddress: Hashable, Sendable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ storage: sockaddr_storage) {
        let family = Int32(storage.ss_family)
        bytes = withUnsafeBytes(of: storage) { raw -> [UInt8] in
            switch family {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self).sin_addr
                return withUnsafeBytes(of: address) { Array($0) }
            case AF_INET6:
                let address = withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) { Array($0) }
                let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
                return address.starts(with: mappedPrefix) ? Array(address[12...]) : Array(address[..<8]) + [6]
            default:
                return []
            }
        }
    }
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
    /// Answers one complete request. Called on the connection's I/O thread, so it must not block
    /// for long: a slow answer belongs in `ServerResponse.delay` or a `bodySource`.
    public typealias Handler = @Sendable (ServerRequest) -> ServerResponse

    /// The address the server listens on, as given (`"127.0.0.1"` by default).
    public let host: String
    /// The port it listens on: the one asked for, or the one the system chose for port 0.
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

    /// Binds, listens and starts accepting on a new thread; the server runs until `stop()`.
    ///
    /// - Parameters:
    ///   - host: the address to listen on; `"127.0.0.1"` (loopback only) by default.
    ///   - port: the TCP port; 0 (the default) lets the system choose one, read it from `port`.
    ///   - tls: a certificate and key to serve TLS with (ALPN `h2` and `http/1.1`); nil serves
    ///     plaintext (h2c with prior knowledge and HTTP/1.1).
    ///   - limits: what one client may use (see `ServerLimits`).
    ///   - handler: answers each complete request.
    /// - Throws: `TransportError`: `.invalidEndpoint` for a port outside 0…65535, `.connectFailed`
    ///   when `host` does not resolve, `.system` when the socket cannot be bound or listen, and
    ///   `.tlsFailed` when the certificate or key cannot be loaded.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLSConfiguration? = nil,
        limits: ServerLimits = ServerLimits(), handler: @escaping Handler
    ) throws(TransportError) {
        self.host = host
        self.handler = handler
        self.limits = limits.normalized
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
        // getaddrinfo would take "70000" as 70000 mod 65536.
        guard (0...65535).contains(port) else {
            throw TransportError(.invalidEndpoint, "port \(port) is not in 0…65535")
        }
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
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
        return (fd, boundPort)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            var fds = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, 1000)
            if state.withLock({ $0.stopped }) { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let peer = PeerAddress(storage)
            let socket = TCPSocket(adopting: fd)
            let connection = ServerConnection(
                socket: socket, peer: peer, tls: tlsContext?.context, limits: limits, handler: handler
            ) { [weak self] finished in
                self?.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(finished)) }
            }
            let (admitted, displaced) = state.withLock { state in admit(connection, into: &state) }
            displaced?.close()
            // Not admitted: the socket closes with the connection, which never started.
            if admitted { connection.start() }
        }
    }

    /// Makes room for `connection` under the limits, per peer first, then in all: the
    /// connection of the same peer (or of anyone) idle the longest is displaced, taken out of
    /// the count at once (it closes within its poll interval). Not admitted when nothing to
    /// displace is idle.
    private func admit(_ connection: ServerConnection, into state: inout State) -> (Bool, ServerConnection?) {
        func longestIdle(_ candidates: some Sequence<ServerConnection>) -> ServerConnection? {
            candidates.compactMap { candidate in candidate.idleSince.map { (candidate, $0) } }.min { $0.1 < $1.1 }?.0
        }
        var displaced: ServerConnection?
        let samePeer = state.connections.values.filter { $0.peer == connection.peer }
        if samePeer.count >= limits.maxConnectionsPerPeer {
            guard let victim = longestIdle(samePeer) else { return (false, nil) }
            displaced = victim
        } else if state.connections.count >= limits.maxConnections {
            guard let victim = longestIdle(state.connections.values) else { return (false, nil) }
            displaced = victim
        }
        if let displaced { state.connections.removeValue(forKey: ObjectIdentifier(displaced)) }
        state.connections[ObjectIdentifier(connection)] = connection
        return (true, displaced)
    }
}

/// `ServerTLSContext` is used read-only after creation (OpenSSL contexts are thread-safe for
/// creating sessions), so it can be shared by the connection threads.
final class ServerTLSContextBox: @unchecked Sendable {
    let context: ServerTLSContext
    init(_ context: ServerTLSContext) { self.context = context }
}
