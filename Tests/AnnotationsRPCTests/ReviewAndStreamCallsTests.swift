import AnnotationsEmulator
import AnnotationsRPC
import ClarifaiV2
import Foundation
import H2Transport
import ProtoWire
import TestPeers
import Testing

extension NetworkTests {
    /// StreamAnnotations, PatchAnnotationsStatus, GetTaskAnnotationCount and
    /// ListAnnotationWorkers through the typed client, on every wire, against the emulator.
    @Suite(.timeLimit(.minutes(3)))
    struct ReviewAndStreamCallsTests {
        private func client(
            _ emulator: Emulator, _ transport: Transport, configure: (inout ClientConfiguration) -> Void = { _ in }
        ) throws -> AnnotationsClient {
            try client(emulator.endpoint, transport, configure: configure)
        }

        private func client(
            _ endpoint: String, _ transport: Transport, configure: (inout ClientConfiguration) -> Void = { _ in }
        ) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = endpoint
            configuration.key = "test-key"
            configuration.transport = transport
            configuration.userAppID = UserAppIDSet(userID: "me", appID: "video-app")
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            configuration.defaultTimeout = .seconds(10)
            configure(&configuration)
            return try AnnotationsClient(configuration: configuration)
        }

        private func streamed(
            _ client: AnnotationsClient, _ configure: (inout StreamAnnotationsRequest) -> Void = { _ in }
        ) async throws -> [String] {
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            configure(&request)
            var seen: [String] = []
            for try await item in client.streamAnnotations(request) {
                seen.append(item.annotation.id + (item.frameFullyProcessed ? "!" : ""))
            }
            return seen
        }

        @Test(arguments: Transport.allCases)
        func streamAnnotationsOrdersByFrameAndFilters(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, transport)
            defer { client.close() }
            _ = try await client.post(VideoFixture.video)
            var other = Annotation()
            other.inputID = "image-1"
            _ = try await client.post([other])

            // `!`: the last message of its frame.
            #expect(try await streamed(client) == ["f1a!", "f2a!", "f3a", "f3b!", "f9a!"])
            #expect(
                try await streamed(client) {
                    $0.frameNumberStart = 2
                    $0.maxFrames = 2
                } == ["f2a!", "f3a", "f3b!"])
            #expect(
                try await streamed(client) {
                    $0.frameTimeStart = 66
                    $0.maxDuration = 34
                } == ["f2a!"])
            #expect(
                try await streamed(client) {
                    $0.frameTimeStart = 66
                    $0.maxDuration = 35
                } == ["f2a!", "f3a", "f3b!"])
            #expect(try await streamed(client) { $0.trackIDs = ["t2"] } == ["f2a!", "f3b!"])
            #expect(try await streamed(client) { $0.annotationType = .point } == ["f3b!"])
            #expect(try await streamed(client) { $0.minPredictionScore = 0.5 } == ["f2a!", "f3a!"])
            #expect(try await streamed(client) { $0.worker = Worker(.user(User(id: "nobody"))) } == [])
            #expect(try await streamed(client) { $0.inputID = "image-1" } == [])
            // Windows that reach the end of the number range end there (no overflow).
            #expect(
                try await streamed(client) {
                    $0.frameTimeStart = .max
                    $0.maxDuration = 1
                } == [])
            #expect(try await streamed(client) { $0.frameTimeStart = .max - 3_599_999 } == [])
            #expect(
                try await streamed(client) {
                    $0.frameNumberStart = .max
                    $0.maxFrames = .max
                } == [])

            // The rule is the contract's: refused before anything is sent.
            await #expect(throws: ValidationError.self) { _ = try await streamed(client) { $0.inputID = "" } }
        }

        /// A stream larger than a DATA frame: messages (REST lines) cut across chunks, and many
        /// in one chunk when the reader lags, all arrive whole and in order.
        @Test(arguments: Transport.allCases)
        func aLongStreamArrivesWholeAndInOrder(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, transport)
            defer { client.close() }
            let padding = String(repeating: "x", count: 300)
            for batch in 0..<3 {
                _ = try await client.post(
                    (0..<100).map { index in
                        let number = UInt32(batch * 100 + index)
                        var annotation = VideoFixture.frame(
                            "f\(number)", number: number, time: UInt64(number) * 10, track: "t\(padding)")
                        annotation.data?.frames[0].data?.regions[0].data?.concepts[0].id = "car-\(padding)"
                        return annotation
                    })
            }
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            var ids: [String] = []
            for try await item in client.streamAnnotations(request) {
                ids.append(item.annotation.id)
                if ids.count % 50 == 0 { try await Task.sleep(for: .milliseconds(20)) }  // let chunks pile up
            }
            #expect(ids == (0..<300).map { "f\($0)" })
        }

        @Test(arguments: Transport.allCases)
        func aStreamRefusedByTheServerEndsWithItsStatus(_ transport: Transport) async throws {
            let emulator = try Emulator(store: AnnotationStore(apiKey: "the-key"))
            defer { emulator.stop() }
            let client = try client(emulator, transport)
            defer { client.close() }
            let error = await #expect(throws: ClarifaiStatusError.self) { _ = try await streamed(client) }
            #expect(error?.code == .connKeyInvalid)
        }

        @Test(arguments: Transport.allCases)
        func theDeadlineEndsASlowStream(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, transport) {
                $0.metadata = [HeaderField("x-stream-interval-ms", "150")]
                $0.retryPolicy.maxAttempts = 1
            }
            defer { client.close() }
            _ = try await client.post(VideoFixture.video)
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            var seen = 0
            let started = ContinuousClock.now
            let error = await #expect(throws: (any Error).self) {
                for try await _ in client.streamAnnotations(request, timeout: .milliseconds(400)) { seen += 1 }
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(3), "the stream outlived its deadline: \(elapsed)")
            #expect(seen < VideoFixture.video.count, "\(seen) messages")
            // The messages arrive as they are sent: some came before the deadline.
            #expect(seen >= 1)
            #expect("\(error.map { "\($0)" } ?? "")".lowercased().contains("deadline"), "\(String(describing: error))")
        }

        @Test(arguments: Transport.allCases)
        func leavingTheLoopEarlyCancelsTheStreamAndTheClientGoesOn(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, transport) { $0.metadata = [HeaderField("x-stream-interval-ms", "50")] }
            defer { client.close() }
            _ = try await client.post(VideoFixture.video)
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            let started = ContinuousClock.now
            for try await item in client.streamAnnotations(request) {
                #expect(item.annotation.id == "f1a")
                break
            }
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(try await client.list().count == VideoFixture.video.count)
        }

        @Test(arguments: Transport.allCases)
        func taskReviewCountsAndWorkers(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, transport)
            defer { client.close() }
            func annotation(_ id: String, user: String, task: String, _ status: StatusCode, trusted: Bool = false)
                -> Annotation
            {
                var annotation = Annotation(inputID: "img-\(id)", concepts: ["tree": 1])
                annotation.id = id
                annotation.userID = user
                annotation.taskID = task
                annotation.trusted = trusted
                annotation.status = Status(code: status)
                return annotation
            }
            var byModel = annotation("m1", user: "", task: "task-1", .annotationPending)
            byModel.worker = Worker(.model(Model(id: "detector")))
            _ = try await client.post([
                annotation("a1", user: "ann", task: "task-1", .annotationAwaitingReview),
                annotation("a2", user: "ann", task: "task-1", .annotationAwaitingReview, trusted: true),
                annotation("b1", user: "bob", task: "task-1", .annotationPending),
                annotation("b2", user: "bob", task: "task-2", .annotationAwaitingReview),
                byModel,
            ])

            let before = try await client.taskAnnotationCount(taskID: "task-1").counts
            #expect(before.map { $0.worker?.user?.id ?? $0.worker?.model?.id ?? "" } == ["detector", "ann", "bob"])
            #expect(
                before.map { [$0.pending, $0.awaitingReview, $0.success] } == [[1, 0, 0], [0, 2, 0], [1, 0, 0]])

            let reviewed = try await client.patchAnnotationsStatus(
                taskID: "task-1", to: .annotationSuccess, userIDs: ["ann", "bob"], from: [.annotationAwaitingReview]
            )
            #expect(reviewed.updatedCount == 2)
            #expect(reviewed.userIDs == ["ann"])
            let after = try await client.taskAnnotationCount(taskID: "task-1", userIDs: ["ann"]).counts
            #expect(after.map { [$0.awaitingReview, $0.success] } == [[0, 2]])
            #expect(
                try await client.get(inputID: "img-b2", annotationID: "b2").status?.code == .annotationAwaitingReview)

            let workers = try await client.listAnnotationWorkers()
            #expect(workers.map { $0.user?.id ?? "model:" + ($0.model?.id ?? "") } == ["ann", "bob", "model:detector"])
            #expect(try await client.listAnnotationWorkers(trustedOnly: true).map { $0.user?.id } == ["ann"])
            #expect(try await client.listAnnotationWorkers(page: 2, perPage: 2).count == 1)

            await #expect(throws: ValidationError.self) { _ = try await client.taskAnnotationCount(taskID: "") }
            await #expect(throws: ValidationError.self) {
                _ = try await client.patchAnnotationsStatus(taskID: "task-1", to: StatusCode(rawValue: 0))
            }
        }

        /// The same calls against the emulator and against grpc-go (the Go peer, a separate
        /// implementation of the same semantics): the same answers, call by call.
        @Test func theEmulatorAndTheGoPeerAgree() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let goPeer = try GoPeer.start()
            defer { _ = goPeer.stop() }
            let fromEmulator = try await transcript(client(emulator, .grpc))
            let fromGo = try await transcript(client("h2c://127.0.0.1:\(goPeer.port)", .grpc))
            #expect(fromEmulator.count == 14)
            #expect(fromEmulator.contains("bob or mv-1: [\"bob 1\", \"carol 1\"]"), "\(fromEmulator)")
            for (emulated, go) in zip(fromEmulator, fromGo) {
                #expect(emulated == go)
            }
        }

        /// grpc-go recycles its connections (MaxConnectionAge 300 ms, grace 1 s) under keepalive
        /// enforcement: eight callers making unary calls and paced streams for 3 s, with no retry
        /// beyond the transparent ones for streams the server never saw, fail no call, and each
        /// stream arrives whole although its connection is told to go away under it.
        @Test func ourCallsPassThroughTheGoPeersRecycling() async throws {
            let peer = try GoPeer.start(["--max-connection-age-ms", "300", "--max-connection-age-grace-ms", "1000"])
            let client = try client("h2c://127.0.0.1:\(peer.port)", .grpc) {
                $0.retryPolicy.maxAttempts = 1
                $0.metadata = [HeaderField("x-stream-interval-ms", "40")]
            }
            _ = try await client.post(VideoFixture.video)
            let request = {
                var request = StreamAnnotationsRequest()
                request.inputID = "video-1"
                return request
            }()
            let expected = try await client.streamAnnotations(request).reduce(into: []) { $0.append($1.annotation.id) }
            let until = ContinuousClock.now.advanced(by: .seconds(3))
            let outcomes = try await withThrowingTaskGroup(of: (calls: Int, streams: Int, failures: [String]).self) {
                group in
                for caller in 0..<8 {
                    group.addTask {
                        var calls = 0
                        var streams = 0
                        var failures: [String] = []
                        while ContinuousClock.now < until {
                            do {
                                if caller < 2 {
                                    let ids = try await client.streamAnnotations(request).reduce(into: []) {
                                        $0.append($1.annotation.id)
                                    }
                                    if ids != expected { failures.append("stream \(ids)") }
                                    streams += 1
                                } else {
                                    _ = try await client.list()
                                    calls += 1
                                }
                            } catch {
                                failures.append("\(error)")
                            }
                        }
                        return (calls, streams, failures)
                    }
                }
                return try await group.reduce(into: [(calls: Int, streams: Int, failures: [String])]()) {
                    $0.append($1)
                }
            }
            client.close()
            let summary = GoPeer.summary(of: peer.stop())
            let failures = outcomes.flatMap(\.failures)
            #expect(failures.isEmpty, "\(failures.count) failed: \(failures.prefix(5))")
            let calls = outcomes.map(\.calls).reduce(0, +)
            let streams = outcomes.map(\.streams).reduce(0, +)
            #expect(calls > 100 && streams >= 10, "\(calls) calls, \(streams) streams")
            // One connection per ~300 ms over 3 s; no stream was cut short.
            #expect(summary["CONNECTIONS", default: 0] >= 5, "\(summary)")
            #expect(summary["CANCELLED"] == 0, "\(summary)")
            #expect(summary["STREAMS"] == streams + 1, "\(summary)")
            print("through grpc-go's recycling:", calls, "calls,", streams, "streams,", summary)
        }

        /// A scenario's results as lines: every stream filter, a review, counts and workers.
        private func transcript(_ client: AnnotationsClient) async throws -> [String] {
            defer { client.close() }
            _ = try await client.post(VideoFixture.video)
            var reviewed = Annotation(inputID: "img-1", concepts: ["tree": 1])
            reviewed.id = "t1"
            reviewed.userID = "ann"
            reviewed.taskID = "task-1"
            reviewed.status = Status(code: .annotationAwaitingReview)
            var pending = reviewed
            pending.id = "t2"
            pending.userID = "bob"
            pending.status = Status(code: .annotationPending)
            var byModelVersion = pending
            byModelVersion.id = "t3"
            byModelVersion.userID = "carol"
            byModelVersion.modelVersionID = "mv-1"
            _ = try await client.post([reviewed, pending, byModelVersion])
            var lines: [String] = []
            let filters: [(String, (inout StreamAnnotationsRequest) -> Void)] = [
                ("all", { _ in }),
                (
                    "frames 2-3",
                    {
                        $0.frameNumberStart = 2
                        $0.maxFrames = 2
                    }
                ),
                ("frames 0-1", { $0.maxFrames = 2 }),
                (
                    "66-100 ms",
                    {
                        $0.frameTimeStart = 66
                        $0.maxDuration = 35
                    }
                ),
                ("track t2", { $0.trackIDs = ["t2"] }),
                ("points", { $0.annotationType = .point }),
                ("score 0.5", { $0.minPredictionScore = 0.5 }),
                ("by labeler", { $0.worker = Worker(.user(User(id: "labeler"))) }),
            ]
            for (name, filter) in filters {
                lines.append("\(name): \(try await streamed(client, filter))")
            }
            let counts = try await client.taskAnnotationCount(taskID: "task-1").counts
            lines.append("counts: \(counts.map { "\($0.userID) \($0.pending) \($0.awaitingReview) \($0.success)" })")
            let union = try await client.taskAnnotationCount(
                taskID: "task-1", userIDs: ["bob"], modelVersionIDs: ["mv-1"]
            ).counts
            lines.append("bob or mv-1: \(union.map { "\($0.userID) \($0.pending)" })")
            let patched = try await client.patchAnnotationsStatus(
                taskID: "task-1", to: .annotationSuccess, from: [.annotationAwaitingReview])
            lines.append("review: \(patched.userIDs) \(patched.updatedCount)")
            let after = try await client.taskAnnotationCount(taskID: "task-1", userIDs: ["ann"]).counts
            lines.append("after: \(after.map { "\($0.userID) \($0.awaitingReview) \($0.success)" })")
            lines.append("workers: \(try await client.listAnnotationWorkers().map { $0.user?.id ?? "?" })")
            lines.append(
                "page 2: \(try await client.listAnnotationWorkers(page: 2, perPage: 2).map { $0.user?.id ?? "?" })")
            return lines
        }
    }
}
