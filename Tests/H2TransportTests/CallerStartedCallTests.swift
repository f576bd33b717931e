import Foundation
import Testing

@testable import H2Transport

extension NetworkTests {
    /// A call on an idle connection is written by its caller while the I/O thread polls
    /// (`ConnectionIO.driveIfIdle`); the thread must still see its answer, its deadline and
    /// the calls behind it.
    @Suite(.timeLimit(.minutes(1)))
    struct CallerStartedCallTests {
        static func echoServer(tls: Bool) throws -> HTTPServer {
            try HTTPServer(
                tls: tls
                    ? ServerTLSConfiguration(
                        certificateFile: TestCertificates.path("server.pem"),
                        keyFile: TestCertificates.path("server.key")) : nil
            ) { request in
                var response = ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/grpc")], body: request.body,
                    trailers: [HeaderField("grpc-status", "0")])
                if request.path.hasSuffix("/slow") { response.delay = 3 }
                return response
            }
        }

        static func channel(_ server: HTTPServer, tls: Bool) -> GRPCChannel {
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            return GRPCChannel(
                endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: server.port, usesTLS: tls),
                configuration: configuration)
        }

        /// One call at a time, each after a pause: the I/O thread is asleep in `poll` when it
        /// comes, and its caller writes it (no wake-up through the pipe); its deadline arms the
        /// timer the thread polls.
        @Test(arguments: [false, true])
        func callsOnAnIdleConnectionAreWrittenByTheirCallers(tls: Bool) async throws {
            let server = try Self.echoServer(tls: tls)
            defer { server.stop() }
            let channel = Self.channel(server, tls: tls)
            defer { channel.close() }
            for index in 0..<50 {
                try await Task.sleep(for: .milliseconds(5))
                let message = [UInt8]((0..<(index * 397 % 20000)).map { UInt8(truncatingIfNeeded: $0 &+ index) })
                let answer = try await channel.unary(path: "/x.Y/Echo", request: message, timeout: .seconds(10))
                #expect(answer.message == message)
            }
            let connections = channel.http.connections
            #expect(connections.count == 1)
            let started = connections.map(\.callsStartedByCallers).reduce(0, +)
            let wakeUps = connections.map(\.wakeUps).reduce(0, +)
            // Not quite all: a pause can end before the I/O thread is back in poll.
            #expect(started >= 40, "\(started) of 50 calls written by their callers")
            #expect(wakeUps <= 10, "\(wakeUps) wake-ups for 50 calls")
        }

        /// Back to back: the next call comes while the I/O thread is still busy with the last
        /// answer, and it takes the call before it sleeps. Almost no call needs a wake-up.
        @Test func callsBackToBackNeedNoWakeUp() async throws {
            let server = try Self.echoServer(tls: false)
            defer { server.stop() }
            let channel = Self.channel(server, tls: false)
            defer { channel.close() }
            for index in 0..<200 {
                let message = [UInt8(truncatingIfNeeded: index)]
                #expect(
                    try await channel.unary(path: "/x.Y/Echo", request: message, timeout: .seconds(10)).message
                        == message)
            }
            let wakeUps = channel.http.connections.map(\.wakeUps).reduce(0, +)
            #expect(wakeUps <= 40, "\(wakeUps) wake-ups for 200 calls")
        }

        /// A call its caller wrote has a deadline the polling thread did not know of: the timer
        /// it armed wakes the thread, and the call ends at its deadline.
        @Test func aCallerStartedCallEndsAtItsDeadline() async throws {
            let server = try Self.echoServer(tls: false)
            defer { server.stop() }
            let channel = Self.channel(server, tls: false)
            defer { channel.close() }
            _ = try await channel.unary(path: "/x.Y/Echo", request: [0])  // connected
            for attempt in 0..<3 {
                let startedBefore = channel.http.connections.map(\.callsStartedByCallers).reduce(0, +)
                try await Task.sleep(for: .milliseconds(50))  // idle: the thread polls with no timeout
                let start = ContinuousClock.now
                do {
                    _ = try await channel.unary(path: "/x.Y/slow", request: [1], timeout: .milliseconds(300))
                    Issue.record("the slow call answered before its deadline")
                } catch {
                    #expect(error.code == .deadlineExceeded)
                }
                let waited = ContinuousClock.now - start
                #expect(waited < .seconds(2), "waited \(waited) for a 0.3 s deadline")
                let startedAfter = channel.http.connections.map(\.callsStartedByCallers).reduce(0, +)
                if startedAfter > startedBefore { break }
                #expect(attempt < 2, "no slow call was written by its caller")
            }
            #expect(try await channel.unary(path: "/x.Y/Echo", request: [2]).message == [2])
        }

        /// Calls that arrive while one is open are queued for the I/O thread, which batches
        /// them: every answer still comes back right.
        @Test func concurrentCallsAreAllAnswered() async throws {
            let server = try Self.echoServer(tls: false)
            defer { server.stop() }
            let channel = Self.channel(server, tls: false)
            defer { channel.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        for round in 0..<20 {
                            let message = [UInt8(index), UInt8(round)]
                            let answer = try await channel.unary(
                                path: "/x.Y/Echo", request: message, timeout: .seconds(20))
                            #expect(answer.message == message)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
