#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking TCP socket; the only owner of its file descriptor.
final class TCPSocket {
    let fd: Int32

    init(adopting fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    /// Connects to `host` within `timeout` seconds, trying every address it resolves to:
    /// IPv6 and IPv4 interleaved, a new attempt started every 250 ms while the earlier ones are
    /// still pending, the first to connect wins (Happy Eyeballs, RFC 8305 §4–5). A family that
    /// is unreachable or blackholed then costs a quarter of a second, not the whole timeout.
    /// TCP_NODELAY is set: gRPC messages are small and latency matters more than packet count
    /// (the I/O loop coalesces its writes itself).
    static func connect(host: String, port: Int, timeout: Double) throws(TransportError) -> TCPSocket {
        try connect(to: resolve(host: host, port: port), naming: "\(host):\(port)", timeout: timeout)
    }

    /// Connects to the first of `addresses` that answers within `timeout` seconds, attempts
    /// staggered by `connectionAttemptDelay`.
    static func connect(to addresses: [Address], naming name: String, timeout: Double) throws(TransportError)
        -> TCPSocket
    {
        let deadline = monotonicSeconds() + timeout
        var pending: [TCPSocket] = []
        var next = 0
        var nextStart = 0.0
        var lastError = "no address"
        while true {
            let now = monotonicSeconds()
            if next < addresses.count, now < deadline, pending.isEmpty || now >= nextStart {
                let address = addresses[next]
                next += 1
                switch startConnect(address) {
                case .connected(let socket): return socket.noDelay()
                case .pending(let socket):
                    pending.append(socket)
                    nextStart = now + connectionAttemptDelay
                case .failed(let error): lastError = error
                }
                continue
            }
            if pending.isEmpty {
                if next < addresses.count { lastError = "timed out after \(timeout) s" }
                break
            }
            let remaining = deadline - now
            guard remaining > 0 else {
                lastError = "timed out after \(timeout) s"
                break
            }
            let wait = next < addresses.count ? min(remaining, nextStart - now) : remaining
            var fds = pending.map { pollfd(fd: $0.fd, events: Int16(POLLOUT), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), pollMilliseconds(wait)) > 0 else { continue }
            var stillPending: [TCPSocket] = []
            for (socket, descriptor) in zip(pending, fds) {
                guard descriptor.revents != 0 else {
                    stillPending.append(socket)
                    continue
                }
                var socketError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                if getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &socketError, &length) != 0 { socketError = errno }
                if socketError == 0 { return socket.noDelay() }  // the others close as they go
                lastError = String(cString: strerror(socketError))
                nextStart = 0  // a failure starts the next attempt at once
            }
            pending = stillPending
        }
        throw TransportError(.connectFailed, "\(name): \(lastError)", isRetryable: true)
    }

    /// RFC 8305's recommended Connection Attempt Delay.
    static let connectionAttemptDelay = 0.25

    /// One resolved address: a `sockaddr_in` or `sockaddr_in6`, as bytes.
    struct Address: Equatable {
        var family: Int32
        var bytes: [UInt8]

        init(family: Int32, bytes: [UInt8]) {
            self.family = family
            self.bytes = bytes
        }

        /// An IP literal (`127.0.0.1`, `::1`) and a port; nil when `ip` is not one.
        init?(ip: String, port: Int) {
            if ip.contains(":") {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = in_port_t(UInt16(port).bigEndian)
                guard inet_pton(AF_INET6, ip, &address.sin6_addr) == 1 else { return nil }
                self.init(family: AF_INET6, bytes: withUnsafeBytes(of: address) { Array($0) })
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                guard inet_pton(AF_INET, ip, &address.sin_addr) == 1 else { return nil }
                self.init(family: AF_INET, bytes: withUnsafeBytes(of: address) { Array($0) })
            }
        }
    }

    /// Every address of `host`, families interleaved starting with the first one returned
    /// (RFC 8305 §4).
    static func resolve(host: String, port: Int) throws(TransportError) -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, list != nil else {
            throw TransportError(.connectFailed, "\(host): \(String(cString: gai_strerror(status)))", isRetryable: true)
        }
        defer { freeaddrinfo(list) }
        var byFamily: [[Address]] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let raw = info.ai_addr else { continue }
            let address = Address(
                family: info.ai_family,
                bytes: Array(UnsafeRawBufferPointer(start: raw, count: Int(info.ai_addrlen)))
            )
            if let index = byFamily.firstIndex(where: { $0[0].family == address.family }) {
                if !byFamily[index].contains(where: { $0.bytes == address.bytes }) { byFamily[index].append(address) }
            } else {
                byFamily.append([address])
            }
        }
        var interleaved: [Address] = []
        for index in 0..<(byFamily.map(\.count).max() ?? 0) {
            for family in byFamily where index < family.count { interleaved.append(family[index]) }
        }
        return interleaved
    }

    private enum Attempt {
        case connected(TCPSocket)
        case pending(TCPSocket)
        case failed(String)
    }

    private static func startConnect(_ address: Address) -> Attempt {
        let fd = socket(
            address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            0)
        guard fd >= 0 else { return .failed(systemError("socket")) }
        let socket = TCPSocket(adopting: fd)
        let result = address.bytes.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if result == 0 { return .connected(socket) }
        return errno == EINPROGRESS ? .pending(socket) : .failed(systemError("connect"))
    }

    private func noDelay() -> TCPSocket {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return self
    }
}

/// A wait in seconds as poll(2)'s milliseconds, rounded up: never negative, never past
/// `Int32.max` (a wait of days, or an infinite timeout, must not trap the conversion).
func pollMilliseconds(_ seconds: Double) -> Int32 {
    guard seconds > 0 else { return 0 }  // NaN too
    guard seconds < Double(Int32.max) / 1000 else { return Int32.max }
    return Int32((seconds * 1000).rounded(.up))
}

func systemError(_ function: String) -> String {
    "\(function): \(String(cString: strerror(errno)))"
}

/// Outcome of one non-blocking read or write.
enum IOStatus {
    case done(Int)
    /// Nothing can move now; poll for readability, or writability when `wantsWrite`.
    case wouldBlock(wantsWrite: Bool)
    case closed
}

/// A byte stream over a socket, in the clear or through TLS.
protocol ByteChannel: AnyObject {
    var fd: Int32 { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOStatus
    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOStatus
    /// Bytes already decrypted and waiting, which poll cannot see.
    var hasBufferedInput: Bool { get }
    /// Bytes taken from the socket but not read yet, perhaps only part of a record: worth
    /// another read before polling, but not a reason to skip the poll.
    var mayHaveBufferedInput: Bool { get }
}

/// h2c: the socket itself.
final class PlainChannel: ByteChannel {
    private let socket: TCPSocket
    var fd: Int32 { socket.fd }
    var hasBufferedInput: Bool { false }
    var mayHaveBufferedInput: Bool { false }

    init(_ socket: TCPSocket) {
        self.socket = socket
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOStatus {
        let count = recv(socket.fd, buffer.baseAddress, buffer.count, 0)
        if count > 0 { return .done(count) }
        if count == 0 { return .closed }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return .wouldBlock(wantsWrite: false) }
        if errno == ECONNRESET { return .closed }
        throw TransportError(.connectionClosed, systemError("recv"))
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOStatus {
        let count = send(socket.fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        if count >= 0 { return .done(count) }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return .wouldBlock(wantsWrite: true) }
        if errno == EPIPE || errno == ECONNRESET { return .closed }
        throw TransportError(.connectionClosed, systemError("send"))
    }
}
