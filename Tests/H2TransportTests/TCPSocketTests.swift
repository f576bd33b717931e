import Foundation
import Testing

@testable import H2Transport

#if canImport(Glibc)
    import Glibc
#endif

/// Connecting to every address of a name, staggered (RFC 8305), within one timeout. A listener
/// whose accept queue is full drops new SYNs, so on loopback it stands for a blackholed address.
extension NetworkTests {
    @Suite(.serialized, .timeLimit(.minutes(1)))
    struct TCPSocketTests {
        @Test func aBlackholedFirstFamilyCostsOneAttemptDelayNotTheTimeout() throws {
            let blackholed = try BlackholedListener(ip: "::1")
            let listening = try Listener(ip: "127.0.0.1")
            let start = ContinuousClock.now
            let socket = try TCPSocket.connect(
                to: [blackholed.address, listening.address], naming: "test", timeout: 10
            )
            let elapsed = ContinuousClock.now - start
            #expect(peerFamily(socket.fd) == AF_INET)
            #expect(elapsed >= .milliseconds(200))  // the second attempt waited for the first…
            #expect(elapsed < .seconds(5))  // …a quarter of a second, not the 10 s timeout
        }

        @Test func aRefusedAddressStartsTheNextAtOnce() throws {
            let listening = try Listener(ip: "127.0.0.1")
            let refused = try #require(TCPSocket.Address(ip: "127.0.0.1", port: closedPort()))
            let start = ContinuousClock.now
            let socket = try TCPSocket.connect(to: [refused, listening.address], naming: "test", timeout: 10)
            #expect(peerFamily(socket.fd) == AF_INET)
            #expect(ContinuousClock.now - start < .milliseconds(200))
        }

        @Test func everyAddressBlackholedFailsAtTheTimeoutNotOneTimeoutEach() throws {
            let first = try BlackholedListener(ip: "::1")
            let second = try BlackholedListener(ip: "127.0.0.1")
            let start = ContinuousClock.now
            #expect(throws: TransportError.self) {
                _ = try TCPSocket.connect(to: [first.address, second.address], naming: "test", timeout: 1)
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(900))
            #expect(elapsed < .seconds(2))
        }

        @Test func namesResolveToEveryFamilyInterleaved() throws {
            let addresses = try TCPSocket.resolve(host: "127.0.0.1", port: 443)
            #expect(addresses == [TCPSocket.Address(ip: "127.0.0.1", port: 443)])
            #expect(TCPSocket.Address(ip: "not an ip", port: 1) == nil)
        }
    }
}

private func peerFamily(_ fd: Int32) -> Int32 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
    }
    return Int32(storage.ss_family)
}

private func closedPort() throws -> Int {
    let listener = try Listener(ip: "127.0.0.1")
    return listener.port  // closed when `listener` goes
}

/// A listening socket on an ephemeral loopback port, closed on deinit.
private final class Listener {
    let fd: Int32
    let port: Int
    let address: TCPSocket.Address

    init(ip: String, backlog: Int32 = 16) throws {
        let family = ip.contains(":") ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0, let address = TCPSocket.Address(ip: ip, port: 0) else { throw TestFailure("socket") }
        let bound = address.bytes.withUnsafeBytes {
            bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
        guard bound == 0, listen(fd, backlog) == 0 else { throw TestFailure("bind/listen \(ip)") }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // sin_port and sin6_port sit at the same offset, right after the family.
        let portBytes = withUnsafeBytes(of: storage) { ($0[2], $0[3]) }
        let port = Int(portBytes.0) << 8 | Int(portBytes.1)
        self.port = port
        self.address = try #require(TCPSocket.Address(ip: ip, port: port))
    }

    deinit { close(fd) }
}

/// A listener that never accepts, its queue filled: the kernel drops further SYNs.
private final class BlackholedListener {
    private let listener: Listener
    private var fillers: [Int32] = []
    var address: TCPSocket.Address { listener.address }

    init(ip: String) throws {
        listener = try Listener(ip: ip, backlog: 0)
        let family = ip.contains(":") ? AF_INET6 : AF_INET
        for _ in 0..<4 {
            let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = listener.address.bytes.withUnsafeBytes {
                connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
            }
            fillers.append(fd)
        }
        usleep(200_000)  // let the queue fill
    }

    deinit { fillers.forEach { close($0) } }
}

private struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "\(description): \(String(cString: strerror(errno)))" }
}
