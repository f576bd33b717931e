import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port bound but never listening: connections to it are refused for as long as
/// this lives. (A port that was free a moment ago may be taken by another test running at the
/// same time; a bound one cannot.)
///
/// ```swift
/// let refusing = RefusingPort()
/// let endpoint = "h2c://127.0.0.1:\(refusing.port)"
/// ```
public final class RefusingPort: Sendable {
    public let port: Int
    private let fd: Int32

    public init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(fd, $0, length)
                _ = getsockname(fd, $0, &length)
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
    }

    deinit { close(fd) }
}
