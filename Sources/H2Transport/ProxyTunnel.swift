#if canImport(Glibc)
    import Glibc
#endif

extension TCPSocket {
    /// A TCP connection to `endpoint`, directly or through the tunnel of the proxy that
    /// `configuration.proxy` names for it, within `timeout` seconds in all.
    static func connect(to endpoint: Endpoint, configuration: ConnectionConfiguration, timeout: Double)
        throws(TransportError) -> TCPSocket
    {
        guard let proxy = try configuration.proxy.proxy(for: endpoint) else {
            return try connect(host: endpoint.host, port: endpoint.port, timeout: timeout)
        }
        return try ProxyTunnel.open(through: proxy, to: endpoint, userAgent: configuration.userAgent, timeout: timeout)
    }
}

/// An HTTP `CONNECT` tunnel (RFC 9110 §9.3.6): once the proxy answers 2xx, the socket carries
/// the bytes of the connection to the origin, TLS included, as if it were connected to it.
enum ProxyTunnel {
    /// The largest proxy answer head accepted.
    static let maxHeadSize = 16 << 10

    static func open(through proxy: HTTPProxy, to endpoint: Endpoint, userAgent: String, timeout: Double)
        throws(TransportError) -> TCPSocket
    {
        let deadline = monotonicSeconds() + timeout
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: proxy.host, port: proxy.port, timeout: timeout)
        } catch {
            throw TransportError(.connectFailed, "proxy \(proxy): \(error.message)", isRetryable: true)
        }
        try sendAll(
            Array(request(to: endpoint, through: proxy, userAgent: userAgent).utf8), on: socket, before: deadline, proxy
        )
        let head = try receiveHead(from: socket, before: deadline, proxy)
        let (status, reason) = try statusLine(of: head, proxy)
        switch status {
        case 200...299:
            return socket
        case 407, 401:  // tinyproxy answers refused credentials with 401
            throw TransportError(
                .proxyFailed,
                "proxy authentication required by \(proxy)"
                    + (proxy.username == nil
                        ? " (give credentials in the proxy URL)" : " (the credentials were refused)"))
        default:
            // 502/503/504: the proxy could not reach the origin, which may pass.
            throw TransportError(
                .proxyFailed, "proxy \(proxy) answered CONNECT \(endpoint.host) with \(status) \(reason)",
                isRetryable: [502, 503, 504].contains(status)
            )
        }
    }

    static func request(to endpoint: Endpoint, through proxy: HTTPProxy, userAgent: String) -> String {
        let target = "\(endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host):\(endpoint.port)"
        var request = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\nUser-Agent: \(userAgent)\r\n"
        if let authorization = proxy.authorization { request += "Proxy-Authorization: \(authorization)\r\n" }
        return request + "\r\n"
    }

    /// `HTTP/1.1 407 Proxy Authentication Required` → (407, "Proxy Authentication Required").
    static func statusLine(of head: [UInt8], _ proxy: HTTPProxy) throws(TransportError) -> (Int, String) {
        // Printable ASCII only: the proxy's bytes end up in error messages and terminals.
        let line = String(
            decoding: head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
                .filter { $0 >= 0x20 && $0 < 0x7f }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw TransportError(
                .proxyFailed, "proxy \(proxy) did not answer CONNECT in HTTP/1.1 ('\(line.prefix(60))')")
        }
        let reason = parts.count > 2 ? String(parts[2].prefix(80)) : ""
        return (status, reason)
    }

    private static func sendAll(_ bytes: [UInt8], on socket: TCPSocket, before deadline: Double, _ proxy: HTTPProxy)
        throws(TransportError)
    {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            let code = errno
            if count > 0 {
                offset += count
            } else if count < 0, code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
                try wait(for: Int16(POLLOUT), on: socket, before: deadline, proxy)
            } else {
                let reason = count < 0 ? String(cString: strerror(code)) : "nothing written"
                throw TransportError(.connectionClosed, "proxy \(proxy): send: \(reason)", isRetryable: true)
            }
        }
    }

    /// The answer's head, up to and including its blank line, and not a byte more: what follows
    /// belongs to the tunnel (an h2c origin speaks first). Each read peeks: bytes without the
    /// blank line are all head and are taken off the socket (so that poll waits for more
    /// instead of seeing them again); with it, exactly the rest of the head is taken.
    private static func receiveHead(from socket: TCPSocket, before deadline: Double, _ proxy: HTTPProxy)
        throws(TransportError) -> [UInt8]
    {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: maxHeadSize)
        while true {
            let room = maxHeadSize - head.count
            guard room > 0 else {
                throw TransportError(
                    .proxyFailed, "proxy \(proxy) answered CONNECT with a head over \(maxHeadSize) bytes")
            }
            let count = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, room, Int32(MSG_PEEK)) }
            let code = errno
            if count > 0 {
                // The blank line may straddle two reads: look from up to 3 bytes back.
                let carry = Swift.min(3, head.count)
                let window = Array(head.suffix(carry)) + buffer[..<count]
                let take = headEnd(window[...]).map { $0 - carry } ?? count
                let taken = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, take, 0) }
                guard taken == take else {
                    throw TransportError(
                        .connectionClosed, "proxy \(proxy): reading its answer failed", isRetryable: true)
                }
                head += buffer[..<take]
                if take < count || headEnd(window[...]) != nil { return head }
                continue
            } else if count == 0 {
                throw TransportError(
                    .connectionClosed, "proxy \(proxy) closed the connection before answering CONNECT",
                    isRetryable: true)
            } else if !(code == EAGAIN || code == EWOULDBLOCK || code == EINTR) {
                throw TransportError(
                    .connectionClosed, "proxy \(proxy): recv: \(String(cString: strerror(code)))", isRetryable: true)
            }
            try wait(for: Int16(POLLIN), on: socket, before: deadline, proxy)
        }
    }

    /// The index just past the first `\r\n\r\n`.
    static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in bytes.startIndex...(bytes.endIndex - 4) where bytes[index..<index + 4].elementsEqual(terminator) {
            return index + 4
        }
        return nil
    }

    private static func wait(for events: Int16, on socket: TCPSocket, before deadline: Double, _ proxy: HTTPProxy)
        throws(TransportError)
    {
        let remaining = deadline - monotonicSeconds()
        guard remaining > 0 else {
            throw TransportError(.connectFailed, "proxy \(proxy): no answer to CONNECT in time", isRetryable: true)
        }
        var descriptor = pollfd(fd: socket.fd, events: events, revents: 0)
        _ = poll(&descriptor, 1, pollMilliseconds(remaining))
    }
}
