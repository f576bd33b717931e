import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP server for the `session` fuzz target. On every connection it sends an empty
/// SETTINGS frame (so the client's connect completes), waits for the client's first HEADERS
/// frame (its request), then sends the current script's bytes (the raw HTTP/2 frames of an
/// answer, as the fuzzer made them) and closes its side. One listener for the whole run.
final class ScriptedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let script = Mutex<[UInt8]>([])

    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                _ = bind(fd, socketAddress, length)
                _ = getsockname(fd, socketAddress, &length)
            }
        }
        listen(fd, 64)
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fuzz-server"
        thread.start()
    }

    /// What the next connections receive.
    func setScript(_ bytes: [UInt8]) {
        script.withLock { $0 = bytes }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let bytes = script.withLock { $0 }
            let thread = Thread {
                ScriptedServer.serve(connection, bytes)
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    private static func serve(_ connection: Int32, _ bytes: [UInt8]) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard write(connection, [0, 0, 0, 4, 0, 0, 0, 0, 0]) else { return }
        // The client's preface (24 bytes), then frames: 3-byte length, type, flags, stream id.
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var offset = 24
        var sawHeaders = false
        while !sawHeaders {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received += buffer[..<count]
            while received.count >= offset + 9 {
                let length = Int(received[offset]) << 16 | Int(received[offset + 1]) << 8 | Int(received[offset + 2])
                if received[offset + 3] == 1 { sawHeaders = true }
                offset += 9 + length
            }
        }
        guard write(connection, bytes) else { return }
        shutdown(connection, Int32(SHUT_WR))
        while recv(connection, &buffer, buffer.count, 0) > 0 {}
    }

    private static func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
