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

    /// Connects to the first address of `host` that answers within `timeout` seconds, with
    /// TCP_NODELAY set: gRPC messages are small and latency matters more than packet count
    /// (the I/O loop coalesces its writes itself).
    static func connect(host: String, port: Int, timeout: Double) throws(TransportError) -> TCPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(.connectFailed, "\(host): \(String(cString: gai_strerror(status)))", isRetryable: true)
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = systemError("socket")
                continue
            }
            let socket = TCPSocket(adopting: fd)
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else {
                    lastError = systemError("connect")
                    continue
                }
                var pollFD = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&pollFD, 1, Int32(max(1, timeout * 1000)))
                if ready == 0 {
                    lastError = "timed out after \(timeout) s"
                    continue
                }
                var socketError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
                if ready < 0 || socketError != 0 {
                    lastError = String(cString: strerror(ready < 0 ? errno : socketError))
                    continue
                }
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return socket
        }
        throw TransportError(.connectFailed, "\(host):\(port): \(lastError)", isRetryable: true)
    }
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
