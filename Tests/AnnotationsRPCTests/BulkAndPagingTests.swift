import AnnotationsEmulator
import AnnotationsRPC
import ProtoWire
import Synchronization
import Testing

extension NetworkTests {
    @Suite(.timeLimit(.minutes(3)))
    struct BulkAndPagingTests {
        private func annotations(_ count: Int) -> [Annotation] {
            (0..<count).map { Annotation(inputID: "input-\($0)", concepts: ["tree": 1]) }
        }

        @Test func postAllSplitsIntoCallsOf128() async throws {
            let server = try V2Server()
            let client = try server.client()
            let progress = Mutex<[BulkProgress]>([])
            let result = await client.postAll(annotations(300), concurrency: 3) { update in
                progress.withLock { $0.append(update) }
            }
            #expect(result.succeeded.count == 300)
            #expect(result.failed.isEmpty)
            #expect(
                server.records().map { try! PostAnnotationsRequest(serializedBytes: $0.request).annotations.count }
                    .sorted() == [44, 128, 128])
            #expect(progress.withLock { $0.last } == BulkProgress(total: 300, succeeded: 300, failed: 0))
            var all: [Annotation] = []
            for try await annotation in client.listAll() { all.append(annotation) }
            #expect(all.count == 300)
            #expect(Set(all.map(\.id)).count == 300)
        }

        @Test func onlyTheFailedItemsAreSentAgain() async throws {
            let statuses = Array(repeating: 24150, count: 5) + [24152] + Array(repeating: 24150, count: 4)
            let server = try V2Server(script: [#"{"status": 10010, "items": \#(statuses)}"#])
            let items = annotations(10)
            let result = try await server.client().postAll(items)
            #expect(result.failed.isEmpty)
            #expect(result.succeeded.count == 10)
            let sent = server.records().map {
                try! PostAnnotationsRequest(serializedBytes: $0.request).annotations.map(\.inputID)
            }
            #expect(sent == [items.map(\.inputID), ["input-5"]])
        }

        @Test func failuresAreReportedPerAnnotation() async throws {
            let server = try V2Server(script: [#"{"status": 10020}"#])
            let result = try await server.client().postAll(annotations(3))
            #expect(result.succeeded.isEmpty)
            #expect(result.failed.map(\.annotation.inputID) == ["input-0", "input-1", "input-2"])
            #expect((result.failed.first?.error as? ClarifaiStatusError)?.code == .failure)
        }

        /// The emulator, like Clarifai, returns at most 1,000 per page: a page of 1,000 for a
        /// per_page of 5,000 is not the last one (the walk used to stop there, silently).
        @Test func listAllWalksOnWhenTheServerCapsThePage() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            var configuration = ClientConfiguration()
            configuration.endpoint = emulator.endpoint
            configuration.key = "test"
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            let posted = await client.postAll(annotations(2_300), concurrency: 4)
            #expect(posted.failed.isEmpty)
            var seen = 0
            for try await _ in client.listAll(AnnotationQuery(perPage: 5_000)) { seen += 1 }
            #expect(seen == 2_300)
        }

        @Test func listAllWalksEveryPage() async throws {
            let server = try V2Server()
            let client = try server.client()
            _ = try await client.post(annotations(50))
            var seen: [String] = []
            for try await annotation in client.listAll(AnnotationQuery(perPage: 20)) { seen.append(annotation.inputID) }
            #expect(seen == (0..<50).map { "input-\($0)" })
            let pages = server.records().filter { $0.method == "ListAnnotations" }
                .map { try! ListAnnotationsRequest(serializedBytes: $0.request).page }
            #expect(pages == [1, 2, 3])
        }
    }
}
