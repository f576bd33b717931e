import Foundation
import Synchronization
import Testing

@testable import H2Transport

/// Server-streaming calls against grpcio (`Tests/Peers/grpc_streaming_server.py`): all messages,
/// an early exit the server sees, flow control holding a fast server back, deadlines, a status
/// after messages, the per-message size limit, many streams beside unary calls, the pool and a
/// CONNECT proxy.
extension NetworkTests {
    @Suite(.timeLimit(.minutes(3)))
    struct GRPCStreamingTests {
        enum Mode: String, CaseIterable, Sendable { case h2c, tls }

        static let h2cPeer = Result { try PeerProcess("grpc_streaming_server.py") }
        static let tlsPeer = Result {
            try PeerProcess(
                "grpc_streaming_server.py",
                ["--tls", TestCertificates.path("server.pem"), TestCertificates.path("server.key")])
        }

        private func channel(_ mode: Mode = .h2c, _ configure: (inout ConnectionConfiguration) -> Void = { _ in })
            throws -> GRPCChannel
        {
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            configure(&configuration)
            let endpoint =
                mode == .tls
                ? Endpoint(host: "localhost", port: try GRPCStreamingTests.tlsPeer.get().port, usesTLS: true)
                : Endpoint(host: "127.0.0.1", port: try GRPCStreamingTests.h2cPeer.get().port, usesTLS: false)
            return GRPCChannel(endpoint: endpoint, configuration: configuration)
        }

        private static func json(_ object: [String: Any]) -> [UInt8] {
            [UInt8](try! JSONSerialization.data(withJSONObject: object))
        }

        /// A fresh id for the peer's records of one call.
        private static func callID(_ name: String) -> String { "\(name)-\(UUID().uuidString)" }

        /// What the peer knows of the Count call `id`, after waiting up to `waitMs` for it to end.
        private func stats(_ channel: GRPCChannel, _ id: String, waitMs: Int = 0) async throws -> [String: Any] {
            let response = try await channel.unary(
                path: "/stream.Test/Stats", request: Self.json(["id": id, "wait_ended_ms": waitMs]),
                timeout: .seconds(10)
            )
            return try #require(try JSONSerialization.jsonObject(with: Data(response.message)) as? [String: Any])
        }

        /// Message i of the peer's Count: i as 4 big-endian bytes, then bytes i % 251.
        private static func expected(_ index: Int, size: Int) -> [UInt8] {
            let head = withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }.prefix(size)
            return Array(head) + [UInt8](repeating: UInt8(index % 251), count: max(0, size - head.count))
        }

        @Test(arguments: Mode.allCases)
        func readsEveryMessageThenTheTrailers(mode: Mode) async throws {
            let channel = try channel(mode)
            defer { channel.close() }
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count", request: Self.json(["count": 200, "size": 3000]), timeout: .seconds(20)
            )
            #expect(stream.headers["content-type"]?.hasPrefix("application/grpc") == true)
            #expect(stream.trailers == nil, "no trailers before the end")
            var index = 0
            for try await message in stream {
                #expect(message == Self.expected(index, size: 3000), "message \(index)")
                index += 1
            }
            #expect(index == 200)
            #expect(stream.trailers?["grpc-status"] == "0")
        }

        @Test func zeroMessagesAndTrailersOnlyErrors() async throws {
            let channel = try channel()
            defer { channel.close() }
            let empty = try await channel.serverStreaming(path: "/stream.Test/Count", request: Self.json(["count": 0]))
            var count = 0
            for try await _ in empty { count += 1 }
            #expect(count == 0)
            #expect(empty.trailers?["grpc-status"] == "0")
            // UNIMPLEMENTED comes Trailers-Only: the call throws before any loop.
            let error = await #expect(throws: GRPCError.self) {
                _ = try await channel.serverStreaming(path: "/stream.Test/Nope", request: [])
            }
            #expect(error?.code == .unimplemented)
        }

        @Test func leavingTheLoopEarlyCancelsTheStreamAndTheConnectionGoesOn() async throws {
            let channel = try channel()
            defer { channel.close() }
            let id = Self.callID("early")
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count",
                request: Self.json(["id": id, "count": 100_000, "size": 100, "interval_ms": 2])
            )
            var taken = 0
            for try await _ in stream {
                taken += 1
                if taken == 5 { break }
            }
            // The peer's termination callback ran, and not because the call completed.
            let seen = try await stats(channel, id, waitMs: 5000)
            #expect(seen["ended"] as? Bool == true)
            #expect(seen["cancelled"] as? Bool == true)
            #expect((seen["sent"] as? Int ?? 0) < 100_000)
            // Same connection, still serving.
            let connection = try #require(channel.http.connections.first)
            #expect(try await channel.unary(path: "/stream.Test/Echo", request: [1, 2]).message == [1, 2])
            #expect(channel.http.connections.first === connection)
            #expect(connection.activeStreamCount == 0)
        }

        @Test func cancellingTheReadingTaskCancelsTheStream() async throws {
            let channel = try channel()
            defer { channel.close() }
            let id = Self.callID("task")
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count",
                request: Self.json(["id": id, "count": 100_000, "size": 100, "interval_ms": 5])
            )
            let firstTaken = Signal()
            let reader = Task { () throws -> Int in
                var taken = 0
                for try await _ in stream {
                    taken += 1
                    if taken == 1 { firstTaken.fire() }
                }
                return taken
            }
            await firstTaken.wait()
            reader.cancel()
            let error = await #expect(throws: GRPCError.self) { _ = try await reader.value }
            #expect(error?.code == .cancelled)
            let seen = try await stats(channel, id, waitMs: 5000)
            #expect(seen["cancelled"] as? Bool == true)
        }

        /// 64 MiB in 64 KiB messages to a reader that pauses: grpcio can get no further ahead
        /// than the stream's window (plus the message being assembled), measured both on the
        /// socket (bytes received against bytes taken) and by the peer (messages it sent).
        @Test func aSlowReaderHoldsTheServerBack() async throws {
            let counter = TrafficCounter()
            let channel = try channel { $0.trafficCounter = counter }
            defer { channel.close() }
            let id = Self.callID("slow")
            let messageSize = 64 << 10
            let total = 1024
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count", request: Self.json(["id": id, "count": total, "size": messageSize]),
                timeout: .seconds(120)
            )
            let window = Int(channel.configuration.initialWindowSize)
            // The window, the message being assembled and the rest of its DATA frame, plus the
            // frames' own 9-byte headers and the connection's other frames.
            let bound = window + (messageSize + 5) + (16 << 10) + 64 << 10
            var taken = 0
            var takenBytes = 0
            var pauses: [(aheadOnSocket: Int, aheadAtPeer: Int)] = []
            for try await message in stream {
                #expect(message.count == messageSize)
                taken += 1
                takenBytes += message.count + 5
                if [1, 300, 700].contains(taken) {
                    // Paused: wait for the server to stop (no more bytes for 300 ms).
                    let received = try await settled { counter.received }
                    let sentBytes = try await stats(channel, id)["sent_bytes"] as? Int ?? 0
                    pauses.append((received - takenBytes, sentBytes - takenBytes))
                }
            }
            #expect(taken == total)
            #expect(stream.trailers?["grpc-status"] == "0")
            for pause in pauses {
                #expect(
                    pause.aheadOnSocket <= bound,
                    "received \(pause.aheadOnSocket) bytes ahead of the reader; bound \(bound)")
                // The server did run ahead while the reader paused (the pause measured something):
                // at least the window less what the reader has taken but not yet acknowledged
                // (under a quarter window) and what nghttp2 holds before a WINDOW_UPDATE (under half).
                #expect(pause.aheadOnSocket >= window / 4)
                // grpcio counts a message sent once its own transport took it: its write buffer
                // (64 KiB) and a message in flight come on top of what reached the socket.
                #expect(
                    pause.aheadAtPeer <= bound + 2 * (messageSize + 5), "the peer sent \(pause.aheadAtPeer) bytes ahead"
                )
            }
            #expect(pauses.count == 3)
            print(
                "slow reader: ahead on the socket / at the peer while paused:",
                pauses.map { "\($0.aheadOnSocket)/\($0.aheadAtPeer)" })
        }

        /// The value once it has not changed for 300 ms (at most 10 s): the peer has no event
        /// for "blocked by flow control", so quiescence is what can be observed.
        private func settled(_ value: () -> Int) async throws -> Int {
            var last = value()
            var stableSince = ContinuousClock.now
            let giveUp = ContinuousClock.now.advanced(by: .seconds(10))
            while ContinuousClock.now - stableSince < .milliseconds(300) && ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(20))
                let current = value()
                if current != last {
                    last = current
                    stableSince = ContinuousClock.now
                }
            }
            return last
        }

        @Test func theDeadlineEndsAStreamInTheMiddle() async throws {
            let channel = try channel()
            defer { channel.close() }
            _ = try await channel.unary(path: "/stream.Test/Echo", request: [])  // connect first
            let start = ContinuousClock.now
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count", request: Self.json(["count": 1000, "size": 10, "interval_ms": 10]),
                timeout: .seconds(1)
            )
            var taken = 0
            let error = await #expect(throws: GRPCError.self) {
                for try await _ in stream { taken += 1 }
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(taken > 10 && taken < 1000, "\(taken) messages before the deadline")
            #expect(ContinuousClock.now - start < .seconds(2), "not within 2× the deadline")
            #expect(try await channel.unary(path: "/stream.Test/Echo", request: [3]).message == [3])
        }

        @Test func aStatusAfterMessagesIsThrownAfterThem() async throws {
            let channel = try channel()
            defer { channel.close() }
            let message = "precondition ☺ 100% failed"
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count",
                request: Self.json(["count": 3, "size": 4, "status": 9, "message": message])
            )
            var taken: [[UInt8]] = []
            let error = await #expect(throws: GRPCError.self) {
                for try await message in stream { taken.append(message) }
            }
            #expect(taken == (0..<3).map { Self.expected($0, size: 4) })
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == message)
            #expect(error?.trailers["grpc-status"] == "9")
            #expect(stream.trailers?["grpc-status"] == "9", "the trailers, after the end")
        }

        @Test func aMessageAboveTheLimitEndsTheStreamWithResourceExhausted() async throws {
            let channel = try channel { $0.maxResponseBodySize = 100_000 }
            defer { channel.close() }
            let id = Self.callID("large")
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count",
                request: Self.json(["id": id, "sizes": [10, 100_000, 100_001, 10], "interval_ms": 0])
            )
            var sizes: [Int] = []
            let error = await #expect(throws: GRPCError.self) {
                for try await message in stream { sizes.append(message.count) }
            }
            #expect(sizes == [10, 100_000])
            #expect(error?.code == .resourceExhausted)
            // The stream was reset, not read to its end.
            let seen = try await stats(channel, id, waitMs: 5000)
            #expect(seen["ended"] as? Bool == true)
            #expect(try await channel.unary(path: "/stream.Test/Echo", request: [4]).message == [4])
        }

        @Test func manyStreamsBesideUnaryCallsOnOneConnection() async throws {
            let channel = try channel()
            defer { channel.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for stream in 0..<60 {
                    group.addTask {
                        let size = 100 + stream * 37
                        let messages = try await channel.serverStreaming(
                            path: "/stream.Test/Count", request: Self.json(["count": 40, "size": size]),
                            timeout: .seconds(60)
                        )
                        var index = 0
                        for try await message in messages {
                            #expect(message == Self.expected(index, size: size))
                            index += 1
                        }
                        #expect(index == 40)
                    }
                }
                for call in 0..<300 {
                    group.addTask { () async throws in
                        let payload = Array("unary-\(call)".utf8)
                        #expect(
                            try await channel.unary(path: "/stream.Test/Echo", request: payload, timeout: .seconds(60))
                                .message == payload)
                    }
                }
                try await group.waitForAll()
            }
            #expect(channel.http.connections.count == 1)
        }

        /// An open stream is load on its pooled connection: with 2 streams per connection the
        /// pool spreads 8 open streams over 4 connections, and the load falls when they end.
        @Test func openStreamsCountAsLoadInThePool() async throws {
            let channel = try channel {
                $0.maxConnections = 4
                $0.targetStreamsPerConnection = 2
            }
            defer { channel.close() }
            var streams: [GRPCMessageStream] = []
            for _ in 0..<8 {
                streams.append(
                    try await channel.serverStreaming(
                        path: "/stream.Test/Count",
                        request: Self.json(["count": 100_000, "size": 10, "interval_ms": 20]),
                        timeout: .seconds(60)
                    ))
            }
            let loads = channel.http.connections.map(\.load)
            #expect(loads.reduce(0, +) == 8, "loads \(loads)")
            #expect(loads.count >= 2, "the pool grew for open streams: \(loads)")
            for stream in streams { stream.cancel() }
            streams = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while channel.http.connections.map(\.load).reduce(0, +) > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(channel.http.connections.map(\.load).reduce(0, +) == 0)
        }

        @Test(arguments: Mode.allCases)
        func throughAConnectProxy(mode: Mode) async throws {
            let proxy = try PeerProcess("connect_proxy.py")
            let channel = try channel(mode) { $0.proxy = .proxy(HTTPProxy(host: "127.0.0.1", port: proxy.port)) }
            let stream = try await channel.serverStreaming(
                path: "/stream.Test/Count", request: Self.json(["count": 50, "size": 20_000]), timeout: .seconds(20)
            )
            var index = 0
            for try await message in stream {
                #expect(message == Self.expected(index, size: 20_000))
                index += 1
            }
            #expect(index == 50)
            channel.close()
            #expect(proxy.stop().contains("TUNNELS 1"))
        }
    }
}

/// An event one task waits for and another fires, in either order.
final class Signal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }

    /// Waits at most `timeout`; true when it fired.
    func wait(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.wait()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first { self.fire() }  // releases the waiting child
            group.cancelAll()
            return first
        }
    }
}
