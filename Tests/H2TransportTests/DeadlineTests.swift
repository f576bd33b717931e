import Foundation
import Testing

@testable import H2Transport

extension NetworkTests {
    /// One deadline bounds a call wherever it waits, here for a stream slot.
    @Suite(.timeLimit(.minutes(1)))
    struct DeadlineTests {
        /// The server allows one stream at a time and holds it 3 s: a second call waits in
        /// nghttp2's queue for a slot, and its 0.5 s deadline must end that wait.
        @Test func aCallWaitingForAStreamSlotEndsAtItsDeadline() async throws {
            var limits = ServerLimits()
            limits.maxConcurrentStreams = 1
            let server = try HTTPServer(limits: limits) { request in
                var response = ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/grpc")], body: request.body,
                    trailers: [HeaderField("grpc-status", "0")]
                )
                if request.path.hasSuffix("/slow") { response.delay = 3 }
                return response
            }
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            _ = try await channel.unary(path: "/x.Y/Echo", request: [0])  // connected, SETTINGS known
            async let slow = channel.unary(path: "/x.Y/slow", request: [1], timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(100))
            let start = ContinuousClock.now
            do {
                _ = try await channel.unary(path: "/x.Y/Echo", request: [2], timeout: .milliseconds(500))
                Issue.record("the queued call got a slot before the slow one ended")
            } catch {
                #expect(error.code == .deadlineExceeded)
            }
            let waited = ContinuousClock.now - start
            #expect(waited < .seconds(2), "waited \(waited) for a 0.5 s deadline")
            #expect(try await slow.message == [1])
        }
    }
}
