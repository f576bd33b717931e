import AnnotationsEmulator
import AnnotationsRPC
import ProtoWire
import Testing

/// What a user's test does with the emulator: start it, point a client at it, call.
@Suite(.timeLimit(.minutes(1)))
struct EmulatorInMyTestsTests {
    @Test func postListAndStreamAgainstTheEmulator() async throws {
        let emulator = try Emulator()
        defer { emulator.stop() }
        var configuration = ClientConfiguration()
        configuration.endpoint = emulator.endpoint
        configuration.key = "my-test-key"
        let client = try AnnotationsClient(configuration: configuration)
        defer { client.close() }

        let posted = try await client.post([Annotation(inputID: "my-input", concepts: ["tree": 1])])
        #expect(posted.count == 1 && posted[0].id.count == 32)
        #expect(try await client.list().map(\.id) == posted.map(\.id))

        var request = StreamAnnotationsRequest()
        request.inputID = "my-input"
        var streamed = 0
        for try await _ in client.streamAnnotations(request) { streamed += 1 }
        #expect(streamed == 0, "an annotation without frames is not part of a video's stream")
        #expect(emulator.store.count(app: AnnotationStore.standardDefaultApp) == 1)
    }
}
