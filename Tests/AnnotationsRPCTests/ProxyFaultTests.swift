import AnnotationsEmulator
import AnnotationsRPC
import Foundation
import H2Transport
import ProtoWire
import TestPeers
import Testing

extension NetworkTests {
    /// The client through a proxy that drops, delays, truncates, resets and stalls connections
    /// (Tests/Peers/fault_proxy.py), against the emulator: every call ends within its deadline,
    /// with the right answer or a clear error, and nothing leaks.
    @Suite(.timeLimit(.minutes(5)))
    struct ProxyFaultTests {
        static let calls = 10_000
        static let deadline = Duration.milliseconds(1500)

        // Other suites run in the same process at the same time, so the leak checks count only
        // what this test creates: sockets to or from its proxy and emulator ports, and the
        // threads of client connections ("h2-io …", "http1 …") and of server connections.

        /// Open descriptors of TCP sockets whose local or remote port is one of `ports`.
        private static func sockets(onPorts ports: Set<Int>) -> Int {
            var inodes = Set<String>()
            for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
                let text = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
                for line in text.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: " ")
                    guard fields.count > 9, fields[3] != "0A" else { continue }  // not the listeners
                    let local = Int(fields[1].split(separator: ":").last ?? "", radix: 16) ?? -1
                    let remote = Int(fields[2].split(separator: ":").last ?? "", radix: 16) ?? -1
                    if ports.contains(local) || ports.contains(remote) { inodes.insert(String(fields[9])) }
                }
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return names.filter { name in
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")) ?? ""
                return target.hasPrefix("socket:[") && inodes.contains(String(target.dropFirst(8).dropLast()))
            }.count
        }

        /// Threads whose name starts with one of `prefixes`.
        private static func threads(named prefixes: [String]) -> Int {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.filter { task in
                let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
                return prefixes.contains { name.hasPrefix($0) }
            }.count
        }

        private static func residentKilobytes() -> Int {
            let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
        }

        private enum Outcome: Sendable {
            case correct
            case clearError
            case wrong(String)
        }

        @Test(arguments: [Transport.grpc, .restHTTP1])
        func tenThousandFaultyCallsEndInTimeAndLeakNothing(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            // Every connection breaks, after 0-256 KiB from the server: the client keeps reconnecting.
            let proxy = try PeerProcess(
                "fault_proxy.py",
                [
                    "--target", String(emulator.port), "--fault-rate", "1", "--strike-bytes", "262144",
                ])
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(proxy.port)"
            configuration.key = "proxy-key"
            configuration.transport = transport
            configuration.defaultTimeout = ProxyFaultTests.deadline
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            configuration.retryPolicy.maxBackoff = .milliseconds(50)
            configuration.connection.connectTimeout = 1
            configuration.connection.unresponsiveTimeout = 1
            configuration.connection.maxHTTP1Connections = 16

            // A first client warms up the process (thread pools, TLS-free paths) before the baseline.
            let setup = try AnnotationsClient(
                configuration: {
                    var c = configuration
                    c.endpoint = emulator.endpoint
                    return c
                }())
            let known = try await setup.post((0..<20).map { Annotation(inputID: "in-\($0)", concepts: ["c\($0)": 1]) })
            setup.close()
            let ports: Set<Int> = [emulator.port, proxy.port]
            let threadNames = ["h2-io", "http1", "http-conn"]
            let threadsBefore = ProxyFaultTests.threads(named: threadNames)
            let residentBefore = ProxyFaultTests.residentKilobytes()

            let client = try AnnotationsClient(configuration: configuration)
            let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
                let workers = 16
                for worker in 0..<workers {
                    group.addTask {
                        var outcomes: [Outcome] = []
                        for index in stride(from: worker, to: ProxyFaultTests.calls, by: workers) {
                            let started = ContinuousClock.now
                            var outcome: Outcome
                            do {
                                if index % 2 == 0 {
                                    let target = known[index % known.count]
                                    let got = try await client.get(inputID: target.inputID, annotationID: target.id)
                                    outcome =
                                        got.id == target.id && got.data == target.data
                                        ? .correct : .wrong("get returned \(got.id)")
                                } else {
                                    let annotation = Annotation(
                                        inputID: "new-\(index % 50)", concepts: ["n\(index)": 1])
                                    let posted = try await client.post([annotation])
                                    outcome =
                                        posted.count == 1 && posted[0].data == annotation.data
                                        ? .correct : .wrong("post returned \(posted.count)")
                                }
                            } catch let error as GRPCError
                                where [.unavailable, .deadlineExceeded, .internal].contains(error.code)
                            {
                                outcome = .clearError
                            } catch let error as TransportError {
                                outcome = .clearError
                                _ = error
                            } catch let error as ClarifaiStatusError {
                                outcome = .wrong("Clarifai status \(error)")
                            } catch {
                                outcome = .wrong("unexpected \(type(of: error)): \(error)")
                            }
                            let elapsed = ContinuousClock.now - started
                            if elapsed > ProxyFaultTests.deadline + .milliseconds(750) {
                                outcome = .wrong("call took \(elapsed), deadline \(ProxyFaultTests.deadline)")
                            }
                            outcomes.append(outcome)
                        }
                        return outcomes
                    }
                }
                var all: [Outcome] = []
                for try await part in group { all += part }
                return all
            }
            client.close()
            let summary = proxy.stop()

            let wrong = outcomes.compactMap { if case .wrong(let why) = $0 { why } else { nil } }
            let correct = outcomes.filter { if case .correct = $0 { true } else { false } }.count
            #expect(outcomes.count == ProxyFaultTests.calls)
            #expect(wrong.isEmpty, "\(wrong.count) wrong outcomes, e.g. \(wrong.prefix(3))")
            #expect(correct > ProxyFaultTests.calls * 2 / 5, "only \(correct) calls succeeded; proxy: \(summary)")
            for mode in ["drop", "delay", "truncate", "reset", "stall"] {
                #expect(summary.contains("\(mode)="), "proxy: \(summary)")
            }

            // Everything the calls opened is closed again (the server side closes its ends once
            // it notices, within its poll interval).
            var socketsLeft = ProxyFaultTests.sockets(onPorts: ports)
            var threadsAfter = ProxyFaultTests.threads(named: threadNames)
            for _ in 0..<100 where socketsLeft > 0 || threadsAfter > threadsBefore {
                try await Task.sleep(for: .milliseconds(100))
                socketsLeft = ProxyFaultTests.sockets(onPorts: ports)
                threadsAfter = ProxyFaultTests.threads(named: threadNames)
            }
            #expect(socketsLeft == 0, "\(socketsLeft) sockets of the test still open")
            #expect(threadsAfter <= threadsBefore, "connection threads \(threadsBefore) → \(threadsAfter)")
            // A coarse guard (other suites share the process); `make soak` measures memory alone.
            let residentAfter = ProxyFaultTests.residentKilobytes()
            #expect(residentAfter - residentBefore < 96 * 1024, "resident \(residentBefore) kB → \(residentAfter) kB")
        }

        @Test func theClientReconnectsAfterTheServerRestarts() async throws {
            var emulator: Emulator? = try Emulator()
            let port = emulator!.port
            var configuration = ClientConfiguration()
            configuration.endpoint = emulator!.endpoint
            configuration.key = "k"
            configuration.defaultTimeout = .seconds(3)
            configuration.retryPolicy.initialBackoff = .milliseconds(20)
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            _ = try await client.post([Annotation(inputID: "a", concepts: ["x": 1])])
            emulator?.stop()
            emulator = nil
            // Open connections notice the stop within their poll interval (200 ms).
            try await Task.sleep(for: .milliseconds(400))
            do {
                _ = try await client.list(timeout: .milliseconds(500))
                Issue.record("a stopped server answered")
            } catch let error as RetryableError {
                #expect(error.isRetryable || error is GRPCError)
            }
            let restarted = try Emulator(port: port)
            defer { restarted.stop() }
            // The channel waits out its connection backoff (1 s ± 20 %), then connects again.
            let started = ContinuousClock.now
            var answered = false
            while !answered, ContinuousClock.now - started < .seconds(5) {
                answered = (try? await client.list(timeout: .seconds(2))) != nil
            }
            #expect(answered)
        }
    }
}
