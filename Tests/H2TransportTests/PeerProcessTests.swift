import Foundation
import Testing

extension NetworkTests {
    @Suite struct PeerProcessTests {
        @Test func startsAndStopsQuickly() throws {
            let start = Date()
            let peer = try PeerProcess("h2_fault_server.py", ["--mode", "ok"])
            let started = Date().timeIntervalSince(start)
            _ = peer.stop()
            let stopped = Date().timeIntervalSince(start) - started
            #expect(started < 3, "start took \(started) s")
            #expect(stopped < 2, "stop took \(stopped) s")
        }
    }
}
