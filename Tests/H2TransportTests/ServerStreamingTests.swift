import Foundation
import Synchronization
import Testing

@testable import H2Transport

/// Streamed bodies from our own `HTTPServer` (`ServerBodySource`), read by our clients: the
/// source is pulled only as the client's window allows, a reset stops the pulling, pacing does
/// not hold up other streams, and REST reads the body as chunks (`HTTP2Channel.stream`).
extension NetworkTests {
    @Suite(.timeLimit(.minutes(2)))
    struct ServerStreamingTests {
        /// Counts what a source gave and how its body ended.
        final class Feed: Sendable {
            struct State {
                var pulls = 0
                var pulledBytes = 0
                var pullsAfterEnd = 0
                var ending: ServerBodySource.Ending?
            }
            let state = Mutex(State())
            let ended = Signal()

            var snapshot: State { state.withLock { $0 } }

            /// `chunks` chunks of `chunkSize` bytes (each one gRPC message of `chunkSize - 5`
            /// bytes when `grpc`), paced by `pause` seconds, then `trailers`.
            func source(
                chunks: Int, chunkSize: Int, pause: Double = 0, grpc: Bool = true,
                trailers: [HeaderField] = [HeaderField("grpc-status", "0")]
            ) -> ServerBodySource {
                let waitNext = Mutex(false)
                return ServerBodySource(onEnd: { ending in
                    self.state.withLock { $0.ending = ending }
                    self.ended.fire()
                }) { _ in
                    let index = self.state.withLock { state -> Int in
                        if state.ending != nil { state.pullsAfterEnd += 1 }
                        return state.pulls
                    }
                    if pause > 0 {
                        // Every other pull waits: a message every `pause` seconds.
                        let waits = waitNext.withLock { flag in
                            defer { flag.toggle() }
                            return flag
                        }
                        if waits { return .wait(seconds: pause) }
                    }
                    guard index < chunks else { return .end(trailers: trailers) }
                    let bytes =
                        grpc
                        ? GRPCWire.frame([UInt8](repeating: UInt8(index % 251), count: chunkSize - 5))
                        : [UInt8](repeating: UInt8(index % 251), count: chunkSize)
                    self.state.withLock { state in
                        state.pulls += 1
                        state.pulledBytes += bytes.count
                    }
                    return .bytes(bytes)
                }
            }
        }

        private func server(_ feed: @escaping @Sendable (ServerRequest) -> ServerBodySource?) throws -> HTTPServer {
            try HTTPServer { request in
                guard let source = feed(request) else {
                    // A gRPC echo: the request body is the framed request message.
                    return ServerResponse(
                        status: 200, headers: [HeaderField("content-type", "application/grpc")], body: request.body,
                        trailers: [HeaderField("grpc-status", "0")]
                    )
                }
                let grpc = request.headers["content-type"] == "application/grpc"
                var response = ServerResponse(
                    status: 200,
                    headers: [HeaderField("content-type", grpc ? "application/grpc" : "application/x-ndjson")]
                )
                response.bodySource = source
                return response
            }
        }

        /// The value once it has not changed for 300 ms (at most 10 s): nothing announces that
        /// nghttp2 stopped asking for DATA, so quiescence is what can be observed.
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

        /// The deadline bounds the whole body: a paced, endless stream with 500 ms to live ends
        /// in `.deadlineExceeded`, in time, after some chunks.
        private func expectTheDeadlineEndsAnEndlessStream(on channel: any HTTPRequestChannel) async throws {
            let start = ContinuousClock.now
            let response = try await channel.stream(
                HTTP2Request(method: "GET", path: "/v2/feed"),
                deadline: ContinuousClock.now.advanced(by: .milliseconds(500))
            )
            var chunks = 0
            let error = await #expect(throws: TransportError.self) { for try await _ in response { chunks += 1 } }
            #expect(error?.kind == .deadlineExceeded)
            #expect(chunks > 5)
            #expect(ContinuousClock.now - start < .seconds(1))
        }

        /// 64 MiB in 64 KiB messages to a reader that pauses: the source is pulled no further
        /// than the client's stream window (4 MiB) plus one chunk ahead of what the reader took.
        @Test func theSourceIsPulledOnlyAsTheWindowAllows() async throws {
            let feed = Feed()
            let chunkSize = 64 << 10
            let chunks = 1024
            let server = try server { _ in feed.source(chunks: chunks, chunkSize: chunkSize) }
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let window = Int(channel.configuration.initialWindowSize)
            let stream = try await channel.serverStreaming(path: "/x.Y/Stream", request: [], timeout: .seconds(60))
            var takenBytes = 0
            var aheads: [Int] = []
            var count = 0
            for try await message in stream {
                #expect(message.count == chunkSize - 5)
                count += 1
                takenBytes += message.count + 5
                if [1, 400, 900].contains(count) {
                    let pulled = try await settled { feed.snapshot.pulledBytes }
                    aheads.append(pulled - takenBytes)
                }
            }
            #expect(count == chunks)
            #expect(stream.trailers?["grpc-status"] == "0")
            #expect(aheads.count == 3)
            for ahead in aheads {
                // The window, the chunk the source gave last (held until the window opens), and
                // the message the client is assembling.
                #expect(ahead <= window + 2 * chunkSize, "pulled \(ahead) bytes ahead of the reader")
                // At least the window less the unacknowledged quarter and nghttp2's half (see
                // `ResponseBodyState`): the pause measured something.
                #expect(ahead >= window / 4, "the server ran ahead while the reader paused: \(ahead)")
            }
            #expect(await feed.ended.wait(timeout: .seconds(5)))
            #expect(feed.snapshot.ending == .completed)
            print("server source: pulled ahead of the reader while paused:", aheads)
        }

        @Test func aResetStopsThePulling() async throws {
            let feed = Feed()
            let server = try server { request in
                request.path.hasSuffix("/Stream") ? feed.source(chunks: 1_000_000, chunkSize: 100, pause: 0.005) : nil
            }
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let stream = try await channel.serverStreaming(path: "/x.Y/Stream", request: [])
            var taken = 0
            for try await _ in stream {
                taken += 1
                if taken == 3 { break }
            }
            #expect(await feed.ended.wait(timeout: .seconds(5)), "the server saw the reset")
            #expect(feed.snapshot.ending == .reset(errorCode: 8))  // CANCEL
            // Several paced resumes (5 ms) later, on the same connection: still no pull.
            for index in 0..<5 {
                #expect(try await channel.unary(path: "/x.Y/Echo", request: [UInt8(index)]).message == [UInt8(index)])
                try await Task.sleep(for: .milliseconds(10))  // an absence is checked: time must pass
            }
            #expect(feed.snapshot.pullsAfterEnd == 0)
            #expect(feed.snapshot.pulls < 1_000_000)
        }

        @Test func aPacedSourceHoldsUpNoOtherStream() async throws {
            let feed = Feed()
            let server = try server { request in
                request.path.hasSuffix("/Stream") ? feed.source(chunks: 5, chunkSize: 20, pause: 0.1) : nil
            }
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let start = ContinuousClock.now
            let stream = try await channel.serverStreaming(path: "/x.Y/Stream", request: [])
            var arrivals: [Duration] = []
            var iterator = stream.makeAsyncIterator()
            while try await iterator.next() != nil {
                arrivals.append(ContinuousClock.now - start)
                // Between paced messages, a unary call on the same connection answers at once.
                let before = ContinuousClock.now
                _ = try await channel.unary(path: "/x.Y/Echo", request: [1])
                #expect(ContinuousClock.now - before < .milliseconds(80))
            }
            #expect(arrivals.count == 5)
            #expect(arrivals.last! >= .milliseconds(400), "paced: \(arrivals)")
        }

        @Test func aStatusInTheSourcesTrailersIsThrownAfterTheMessages() async throws {
            let feed = Feed()
            let trailers = [HeaderField("grpc-status", "5"), HeaderField("grpc-message", "gone%20away")]
            let server = try server { _ in feed.source(chunks: 2, chunkSize: 10, trailers: trailers) }
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let stream = try await channel.serverStreaming(path: "/x.Y/Stream", request: [])
            var count = 0
            let error = await #expect(throws: GRPCError.self) {
                for try await _ in stream { count += 1 }
            }
            #expect(count == 2)
            #expect(error?.code == .notFound)
            #expect(error?.message == "gone away")
        }

        @Test func restReadsTheBodyAsChunksOverHTTP2() async throws {
            let feed = Feed()
            let server = try server { _ in feed.source(chunks: 300, chunkSize: 1000, grpc: false, trailers: []) }
            defer { server.stop() }
            let channel = HTTP2Channel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let response = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"))
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/x-ndjson")
            var body: [UInt8] = []
            for try await chunk in response { body += chunk }
            #expect(body == (0..<300).flatMap { [UInt8](repeating: UInt8($0 % 251), count: 1000) })
            #expect(response.trailers == [])
            #expect(await feed.ended.wait(timeout: .seconds(5)))
            #expect(feed.snapshot.ending == .completed)
        }

        @Test func restStreamDeadlineAndCancellation() async throws {
            let feed = Feed()
            let server = try server { _ in feed.source(chunks: 1_000_000, chunkSize: 10, pause: 0.01, grpc: false) }
            defer { server.stop() }
            let channel = HTTP2Channel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            try await expectTheDeadlineEndsAnEndlessStream(on: channel)
            #expect(await feed.ended.wait(timeout: .seconds(5)))
            #expect(feed.snapshot.ending == .reset(errorCode: 8))
            // `cancel()` ends a stream at once; the channel goes on.
            let second = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"))
            var iterator = second.makeAsyncIterator()
            _ = try await iterator.next()
            second.cancel()
            let cancelled = await #expect(throws: TransportError.self) { _ = try await iterator.next() }
            #expect(cancelled?.kind == .cancelled)
            let third = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"))
            var thirdIterator = third.makeAsyncIterator()
            #expect(try await thirdIterator.next() != nil)
        }

        /// Over HTTP/1.1 the socket is read only as the loop asks: a reader that pauses holds
        /// the server back by TCP's window, so the source is pulled no further than the kernel's
        /// socket buffers ahead of what the reader took.
        @Test func http1ReadsAStreamAsTheLoopAsks() async throws {
            let feed = Feed()
            let chunkSize = 64 << 10
            let chunks = 1024
            let server = try server { _ in feed.source(chunks: chunks, chunkSize: chunkSize, grpc: false, trailers: [])
            }
            defer { server.stop() }
            let channel = HTTP1Channel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            let response = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
            #expect(response.status == 200)
            var takenBytes = 0
            var aheads: [Int] = []
            var reads = 0
            var mismatches = 0
            for try await chunk in response {
                // Chunks come as the socket's reads bring them; their bytes are the source's, in
                // order (checked at the ends: a debug build's byte loop over 64 MiB is slow).
                let expected = { (offset: Int) in UInt8((offset / chunkSize) % 251) }
                if chunk.first != expected(takenBytes) || chunk.last != expected(takenBytes + chunk.count - 1) {
                    mismatches += 1
                }
                takenBytes += chunk.count
                reads += 1
                if [1, 300, 600].contains(reads) {
                    let pulled = try await settled { feed.snapshot.pulledBytes }
                    aheads.append(pulled - takenBytes)
                }
            }
            #expect(mismatches == 0)
            #expect(takenBytes == chunks * chunkSize)
            #expect(response.trailers == [])
            #expect(aheads.count == 3)
            for ahead in aheads {
                #expect(ahead <= 16 << 20, "pulled \(ahead) bytes ahead of the reader")
            }
            #expect(await feed.ended.wait(timeout: .seconds(5)))
            #expect(feed.snapshot.ending == .completed)
            // Read to its end, the connection goes back to the pool and carries the next request.
            feed.state.withLock { $0 = Feed.State() }
            let again = try await channel.send(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
            #expect(again.body.count == chunks * chunkSize)
            #expect(channel.openConnectionCount == 1)
            print("http/1.1 source: pulled ahead of the reader while paused:", aheads)
        }

        @Test func http1StreamDeadlineAndCancellationCloseTheConnection() async throws {
            let feed = Feed()
            let server = try server { _ in feed.source(chunks: 1_000_000, chunkSize: 10, pause: 0.01, grpc: false) }
            defer { server.stop() }
            let channel = HTTP1Channel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            try await expectTheDeadlineEndsAnEndlessStream(on: channel)
            // The server sees the connection go: its source ends.
            #expect(await feed.ended.wait(timeout: .seconds(5)))
            #expect(channel.openConnectionCount == 0)
            // `cancel()` ends a stream at once; the channel goes on with a new connection.
            let second = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
            var iterator = second.makeAsyncIterator()
            _ = try await iterator.next()
            second.cancel()
            let cancelled = await #expect(throws: TransportError.self) { _ = try await iterator.next() }
            #expect(cancelled?.kind == .cancelled)
            #expect(second.trailers == nil)
            // Leaving the loop early (the iterator dropped) closes the connection too.
            let third = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
            for try await _ in third { break }
            #expect(channel.openConnectionCount == 0)
            let fourth = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
            var fourthIterator = fourth.makeAsyncIterator()
            #expect(try await fourthIterator.next() != nil)
            #expect(channel.openConnectionCount == 1)
        }

        @Test func http1SendsAStreamedBodyChunked() async throws {
            let feed = Feed()
            let server = try server { _ in
                feed.source(chunks: 50, chunkSize: 3000, pause: 0.002, grpc: false, trailers: [])
            }
            defer { server.stop() }
            let channel = HTTP1Channel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            defer { channel.close() }
            for _ in 0..<2 {  // the connection is reused after a chunked body
                let response = try await channel.send(HTTP2Request(method: "GET", path: "/v2/feed"), deadline: nil)
                #expect(response.status == 200)
                #expect(response.body.count == 50 * 3000)
                feed.state.withLock { $0 = Feed.State() }
            }
            #expect(channel.openConnectionCount == 1)
        }
    }
}
