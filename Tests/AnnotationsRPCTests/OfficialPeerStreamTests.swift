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
    /// ListAnnotationWorkers through the typed gRPC client against `clarifai_v2_server.py` (a
    /// server on the official clarifai-grpc stubs), each answer compared with the emulator's for
    /// the same data and the same request.
    @Suite(.timeLimit(.minutes(2)))
    struct OfficialPeerStreamTests {
        private static let app = UserAppIDSet(userID: "me", appID: "video-app")

        private static func configure(_ configuration: inout ClientConfiguration, _ metadata: [HeaderField]) {
            configuration.transport = .grpc
            configuration.userAppID = app
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            configuration.defaultTimeout = .seconds(10)
            configuration.metadata = metadata
        }

        private func client(_ emulator: Emulator, metadata: [HeaderField] = []) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = emulator.endpoint
            configuration.key = "test-key"
            Self.configure(&configuration, metadata)
            return try AnnotationsClient(configuration: configuration)
        }

        private func client(
            _ server: V2Server, metadata: [HeaderField] = [], configure: (inout ClientConfiguration) -> Void = { _ in }
        ) throws -> AnnotationsClient {
            try server.client {
                Self.configure(&$0, metadata)
                configure(&$0)
            }
        }

        /// The video, and an image annotation that no stream of `video-1` may show.
        private static func postVideo(_ client: AnnotationsClient) async throws {
            _ = try await client.post(VideoFixture.video)
            var image = Annotation(inputID: "image-1", concepts: ["tree": 1])
            image.id = "img-a"
            image.userID = "labeler"
            _ = try await client.post([image])
        }

        /// What a stream yields, without the timestamps (each server sets its own).
        private func streamed(
            _ client: AnnotationsClient, _ configure: (inout StreamAnnotationsRequest) -> Void = { _ in }
        ) async throws -> [StreamedAnnotation] {
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            configure(&request)
            var items: [StreamedAnnotation] = []
            for try await var item in client.streamAnnotations(request) {
                item.annotation.createdAt = nil
                item.annotation.modifiedAt = nil
                items.append(item)
            }
            return items
        }

        /// `id`, with `!` on the last message of a frame.
        private static func marks(_ items: [StreamedAnnotation]) -> [String] {
            items.map { $0.annotation.id + ($0.frameFullyProcessed ? "!" : "") }
        }

        /// The server's exit line: `STREAMS <m> CANCELLED <c> SENT <s>`.
        private struct StreamSummary: Equatable {
            var streams = -1
            var cancelled = -1
            var sent = -1

            init(_ output: String) {
                guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("STREAMS ") }) else { return }
                let words = line.split(separator: " ")
                func value(_ name: String) -> Int {
                    guard let index = words.firstIndex(of: Substring(name)), index + 1 < words.count else { return -1 }
                    return Int(words[index + 1]) ?? -1
                }
                streams = value("STREAMS")
                cancelled = value("CANCELLED")
                sent = value("SENT")
            }
        }

        @Test func theStreamIsTheEmulatorsItemForItem() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let server = try V2Server()
            let ours = try client(emulator)
            defer { ours.close() }
            let official = try client(server)
            defer { official.close() }
            try await Self.postVideo(ours)
            try await Self.postVideo(official)

            let requests: [(String, (inout StreamAnnotationsRequest) -> Void)] = [
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
                    "66-99 ms",
                    {
                        $0.frameTimeStart = 66
                        $0.maxDuration = 34
                    }
                ),
                (
                    "66-100 ms",
                    {
                        $0.frameTimeStart = 66
                        $0.maxDuration = 35
                    }
                ),
                ("track t2", { $0.trackIDs = ["t2"] }),
                ("points", { $0.annotationType = .point }),
                (
                    "points or polygons",
                    {
                        let bits = AnnotationDataType.point.rawValue | AnnotationDataType.polygon.rawValue
                        $0.annotationType = AnnotationDataType(rawValue: bits)
                    }
                ),
                ("score 0.5", { $0.minPredictionScore = 0.5 }),
                ("by labeler", { $0.worker = Worker(.user(User(id: "labeler"))) }),
                ("by nobody", { $0.worker = Worker(.user(User(id: "nobody"))) }),
                ("an image", { $0.inputID = "image-1" }),
                (
                    "past the last time",
                    {
                        $0.frameTimeStart = .max
                        $0.maxDuration = 1
                    }
                ),
                (
                    "past the last frame",
                    {
                        $0.frameNumberStart = .max
                        $0.maxFrames = .max
                    }
                ),
            ]
            for (name, request) in requests {
                let fromOfficial = try await streamed(official, request)
                let fromEmulator = try await streamed(ours, request)
                #expect(fromOfficial == fromEmulator, "\(name)")
            }
            #expect(Self.marks(try await streamed(official)) == ["f1a!", "f2a!", "f3a", "f3b!", "f9a!"])

            // The official classes decoded each request and wrote the same bytes back.
            let records = server.records().filter { $0.method == "StreamAnnotations" }
            #expect(records.count == requests.count + 1)
            #expect(records.allSatisfy { !$0.request.isEmpty && $0.request == $0.raw })
            #expect(StreamSummary(server.peer.stop()) == StreamSummary("STREAMS 15 CANCELLED 0 SENT 29"))
        }

        @Test func leavingEarlyStopsTheStreamOnTheServerAndTheClientGoesOn() async throws {
            let server = try V2Server()
            let official = try client(server, metadata: [HeaderField("x-stream-interval-ms", "50")])
            defer { official.close() }
            try await Self.postVideo(official)
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            let started = ContinuousClock.now
            for try await item in official.streamAnnotations(request) {
                #expect(item.annotation.id == "f1a")
                break
            }
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(try await official.list().count == VideoFixture.video.count + 1)
            // A whole paced stream (about 250 ms) on the same client: by its end the server has
            // long seen the first one go.
            #expect(Self.marks(try await streamed(official)) == ["f1a!", "f2a!", "f3a", "f3b!", "f9a!"])
            let summary = StreamSummary(server.peer.stop())
            #expect(summary.streams == 2)
            #expect(summary.cancelled == 1)
            // The complete stream sent 5; the one left after its first message stopped short (its
            // first may not count: SENT counts the sends grpcio completed while the call lived).
            #expect((5..<10).contains(summary.sent), "\(summary)")
        }

        @Test func aSlowReaderGetsEveryMessage() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let server = try V2Server()
            let ours = try client(emulator)
            defer { ours.close() }
            // A 16 KiB stream window for a stream of about 240 KB: grpcio has to wait for the
            // reader, again and again.
            let official = try client(server) { $0.connection.initialWindowSize = 16_384 }
            defer { official.close() }
            let padding = String(repeating: "x", count: 2000)
            let frames = (0..<120).map { index -> Annotation in
                let number = UInt32(119 - index)  // stored backwards: the stream sorts them
                var annotation = VideoFixture.frame(
                    "f\(number)", number: number, time: UInt64(number) * 10, track: "t\(index % 3)")
                annotation.data?.frames[0].data?.regions[0].data?.concepts[0].id = "car-\(padding)"
                return annotation
            }
            _ = try await ours.post(frames)
            _ = try await official.post(frames)

            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            var slow: [StreamedAnnotation] = []
            for try await var item in official.streamAnnotations(request) {
                item.annotation.createdAt = nil
                item.annotation.modifiedAt = nil
                slow.append(item)
                try await Task.sleep(for: .milliseconds(slow.count % 20 == 0 ? 100 : 2))
            }
            #expect(slow.map(\.annotation.id) == (0..<120).map { "f\($0)" })
            #expect(slow == (try await streamed(ours)))
            #expect(StreamSummary(server.peer.stop()) == StreamSummary("STREAMS 1 CANCELLED 0 SENT 120"))
        }

        @Test func theDeadlineEndsAPacedStreamInTime() async throws {
            let server = try V2Server()
            let official = try client(server, metadata: [HeaderField("x-stream-interval-ms", "150")]) {
                $0.retryPolicy.maxAttempts = 1
            }
            defer { official.close() }
            try await Self.postVideo(official)
            var request = StreamAnnotationsRequest()
            request.inputID = "video-1"
            var seen = 0
            let started = ContinuousClock.now
            do {
                for try await _ in official.streamAnnotations(request, timeout: .milliseconds(400)) { seen += 1 }
                Issue.record("the stream outlived its deadline")
            } catch let error as GRPCError {
                #expect(error.code == .deadlineExceeded, "\(error)")
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(2), "the stream outlived its deadline: \(elapsed)")
            // A pause before each message: 150, 300 ms are in, 450 ms is past the deadline.
            #expect((1..<VideoFixture.video.count).contains(seen), "\(seen) messages")
            #expect(try await official.list().count == VideoFixture.video.count + 1)
            let summary = StreamSummary(server.peer.stop())
            #expect(summary.streams == 1)
            #expect(summary.cancelled == 1)
            #expect(summary.sent < VideoFixture.video.count, "\(summary)")
        }

        @Test func aRefusedStreamEndsWithItsStatus() async throws {
            let server = try V2Server(apiKey: "the-key")
            let official = try client(server)
            defer { official.close() }
            let error = await #expect(throws: ClarifaiStatusError.self) { _ = try await streamed(official) }
            #expect(error?.code == .connKeyInvalid)
        }

        /// `--script` reaches the stream: a gRPC UNAVAILABLE and a TRY_AGAIN before the first
        /// message are retried, as for any call.
        @Test func aScriptedFailureBeforeTheFirstMessageIsRetried() async throws {
            let server = try V2Server(script: [
                #"{"pass": true}"#, #"{"pass": true}"#, #"{"grpc": 14, "message": "down"}"#, #"{"status": 10030}"#,
            ])
            let official = try client(server)
            defer { official.close() }
            try await Self.postVideo(official)
            #expect(Self.marks(try await streamed(official)) == ["f1a!", "f2a!", "f3a", "f3b!", "f9a!"])
            #expect(server.records().filter { $0.method == "StreamAnnotations" }.count == 3)
        }

        @Test func reviewCountsAndWorkersAgreeWithTheEmulator() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let server = try V2Server()
            let fromEmulator = try await transcript(client(emulator))
            let fromOfficial = try await transcript(client(server))
            #expect(fromEmulator.count == 13)
            #expect(fromOfficial.count == fromEmulator.count)
            for (emulated, official) in zip(fromEmulator, fromOfficial) {
                #expect(official == emulated)
            }
            // Some answers worked out by hand, so that agreeing on nothing cannot pass.
            #expect(
                fromOfficial.first == """
                    counts task-1 of video-app: ["model:detector  1 0 0 0 0", "user:ann ann 0 2 0 0 0", \
                    "user:bob bob 1 0 0 0 0", "user:carol carol 0 0 0 1 0", "user:dan dan 0 0 0 0 1", \
                    "user:ivy ivy 0 1 0 0 0"]
                    """)
            #expect(fromOfficial.contains(#"review: ["ann", "ivy"] 3"#), "\(fromOfficial)")
            #expect(fromOfficial.contains(#"i1: 24150 Annotation success"#), "\(fromOfficial)")
            #expect(fromOfficial.last == #"page 2: ["model:detector", "user:ivy"]"#)
        }

        /// Task review, counts and workers as lines, the same for any server on the same data.
        private func transcript(_ client: AnnotationsClient) async throws -> [String] {
            defer { client.close() }
            func annotation(
                _ id: String, user: String, task: String, _ status: StatusCode, trusted: Bool = false
            ) -> Annotation {
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
            // Of task-1 by annotation_info, as the "Task Annotations" page sends it.
            var byInfo = annotation("i1", user: "ivy", task: "", .annotationAwaitingReview)
            byInfo.annotationInfo = ["task_id": "task-1"]
            var byModelVersion = annotation("c1", user: "carol", task: "task-1", .annotationReviewDenied)
            byModelVersion.modelVersionID = "mv-1"
            _ = try await client.post([
                annotation("a1", user: "ann", task: "task-1", .annotationAwaitingReview),
                annotation("a2", user: "ann", task: "task-1", .annotationAwaitingReview, trusted: true),
                annotation("b1", user: "bob", task: "task-1", .annotationPending),
                annotation("b2", user: "bob", task: "task-2", .annotationAwaitingReview),
                byModel, byInfo, byModelVersion,
                annotation("d1", user: "dan", task: "task-1", .annotationAwaitingConsensusReview, trusted: true),
            ])

            func counts(
                _ taskID: String, userIDs: [String] = [], modelVersionIDs: [String] = []
            ) async throws -> String {
                let response = try await client.taskAnnotationCount(
                    taskID: taskID, userIDs: userIDs, modelVersionIDs: modelVersionIDs)
                let counts = response.counts.map { count in
                    let worker = count.worker.map(Self.name) ?? "?"
                    let numbers = [
                        count.pending, count.awaitingReview, count.success, count.reviewDenied,
                        count.awaitingConsensusReview,
                    ]
                    return "\(worker) \(count.userID) " + numbers.map(String.init).joined(separator: " ")
                }
                return "counts \(response.taskID) of \(response.appID): \(counts)"
            }
            var lines: [String] = []
            lines.append(try await counts("task-1"))
            lines.append(try await counts("task-1", userIDs: ["bob"], modelVersionIDs: ["mv-1"]))
            lines.append(try await counts("task-none"))
            let reviewed = try await client.patchAnnotationsStatus(
                taskID: "task-1", to: .annotationSuccess, userIDs: ["ann", "bob", "ivy"],
                from: [.annotationAwaitingReview]
            )
            lines.append("review: \(reviewed.userIDs) \(reviewed.updatedCount)")
            let denied = try await client.patchAnnotationsStatus(
                taskID: "task-1", to: .annotationReviewDenied, userIDs: ["bob"])
            lines.append("deny: \(denied.userIDs) \(denied.updatedCount)")
            lines.append(try await counts("task-1", userIDs: ["ann", "bob"]))
            // The patched statuses with their descriptions. An untouched one by its code alone: a
            // post that gives a code without a description gets one from the emulator, not from
            // clarifai_v2_server.py.
            for id in ["a1", "b1", "i1"] {
                let status = try await client.get(inputID: "img-\(id)", annotationID: id).status
                lines.append("\(id): \(status?.code.rawValue ?? 0) \(status?.description ?? "")")
            }
            let untouched = try await client.get(inputID: "img-b2", annotationID: "b2").status
            lines.append("b2: \(untouched?.code.rawValue ?? 0)")
            lines.append("workers: \(try await client.listAnnotationWorkers().map(Self.name))")
            lines.append("trusted: \(try await client.listAnnotationWorkers(trustedOnly: true).map(Self.name))")
            lines.append("page 2: \(try await client.listAnnotationWorkers(page: 2, perPage: 2).map(Self.name))")
            return lines
        }

        private static func name(_ worker: Worker) -> String {
            switch worker.worker {
            case .user(let user)?: "user:\(user.id)"
            case .model(let model)?: "model:\(model.id)"
            case .workflow(let workflow)?: "workflow:\(workflow.id)"
            case nil: "none"
            }
        }
    }
}
