import Foundation
import Testing

@testable import H2Transport

/// Many calls on one connection: every response matched to its request, and nothing leaks.
extension NetworkTests {
    @Suite(.timeLimit(.minutes(3)))
    struct LoadTests {
        /// Sockets and pipes: what a connection owns (the runtime opens anon inodes of its own).
        private func openFileDescriptors() -> Int {
            descriptorTargets().filter { $0.hasPrefix("socket:") || $0.hasPrefix("pipe:") }.count
        }

        private func descriptorTarget(_ fd: Int32) -> String {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? "?"
        }

        private func descriptorTargets() -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return names.map {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "?"
            }.sorted()
        }

        private func residentMegabytes() -> Double {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
        }

        @Test func tenThousandCallsWithAHundredInFlight() async throws {
            let peer = try PeerProcess("grpc_interop_server.py")
            let targetsBefore = descriptorTargets()
            let descriptorsBefore = openFileDescriptors()
            var memoryAfterWarmUp = 0.0
            var connectionTargets: Set<String> = []
            do {
                let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: peer.port, usesTLS: false))
                // Warm up: the connection, the thread, the allocator's pools.
                for index in 0..<200 {
                    _ = try await channel.unary(path: "/interop.Test/UnaryCall", request: Array("w\(index)".utf8))
                }
                memoryAfterWarmUp = residentMegabytes()
                let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
                    var next = 0
                    var mismatches = 0
                    func add() {
                        let index = next
                        next += 1
                        group.addTask {
                            let payload = Array("request-\(index)-\(String(repeating: "x", count: index % 97))".utf8)
                            let response = try await channel.unary(
                                path: "/interop.Test/UnaryCall", request: payload, timeout: .seconds(30))
                            return response.message == payload ? 0 : 1
                        }
                    }
                    for _ in 0..<100 { add() }
                    while let result = try await group.next() {
                        mismatches += result
                        if next < 10_000 { add() }
                    }
                    return mismatches
                }
                #expect(mismatches == 0)
                // What the connection holds, by what each descriptor refers to (`socket:[inode]`,
                // `pipe:[inode]`): suites of other test modules run at the same time, and their
                // descriptors may take the same numbers, never the same inodes.
                connectionTargets = Set(channel.http.connections.flatMap(\.descriptors).map(descriptorTarget))
                // The socket, the pipe (both ends one inode) and the timer.
                #expect(connectionTargets.count == 3)
                // Every timerfd of the process is `anon_inode:[timerfd]`, whoever holds it: it
                // cannot be told apart from other suites' connections, and is closed with the pipe.
                connectionTargets = connectionTargets.filter { !$0.hasPrefix("anon_inode:") }
                channel.close()
            }
            // The I/O thread exits and closes its socket and its wake pipe.
            let settled = ContinuousClock.now + .seconds(5)
            var left = connectionTargets
            repeat {
                try await Task.sleep(for: .milliseconds(50))
                left = connectionTargets.intersection(descriptorTargets())
            } while !left.isEmpty && ContinuousClock.now < settled
            #expect(left.isEmpty, "still open: \(left)")
            // And no descriptor per call (10,000 calls) anywhere, whatever else runs meanwhile.
            #expect(
                openFileDescriptors() <= descriptorsBefore + 64,
                "new descriptors: \(descriptorTargets().filter { !targetsBefore.contains($0) })")
            #expect(
                residentMegabytes() < memoryAfterWarmUp + 20, "RSS \(memoryAfterWarmUp) MB → \(residentMegabytes()) MB")
        }
    }
}
