import ClarifaiV2
import ProtoWire
import SeedCatalog
import Testing

@testable import AnnotationsEmulator

/// Every documented request (`SeedScenarios.all`, from the pages in `shared/seeds/`) is
/// answered with SUCCESS — through the typed entry, the gRPC bytes and the REST JSON — once
/// the store holds what the patches and deletes refer to.
@Suite struct SeedScenarioTests {
    static let titles = SeedScenarios.all.map(\.title)
    static let key = "Key YOUR_API_KEY"

    static func scenario(_ title: String) throws -> SeedScenario {
        try #require(SeedScenarios.all.first { $0.title == title })
    }

    /// What the documented updates and deletes name: `{YOUR_ANNOTATION_ID}` of
    /// `{YOUR_INPUT_ID}` with region `{REGION_ID}`, and annotations `{YOUR_ANNOTATION_ID_1}`
    /// / `_2` of inputs `{YOUR_INPUT_ID_1}` / `_2`, posted in the documentation's app.
    static func preparedStore() -> AnnotationStore {
        let store = AnnotationStore()
        var pending = Fixture.annotation(
            input: "{YOUR_INPUT_ID}", id: "{YOUR_ANNOTATION_ID}", concepts: [("tree", 1)],
            regions: [
                Fixture.region(
                    id: "{REGION_ID}", box: BoundingBox(topRow: 0.6, leftCol: 0.6, bottomRow: 0.8, rightCol: 0.8),
                    concepts: [("bike", 1)]
                )
            ]
        )
        pending.status = Status(code: .annotationPending)
        let response = store.post(
            Fixture.post(
                [
                    pending,
                    Fixture.annotation(
                        input: "{YOUR_INPUT_ID_1}", id: "{YOUR_ANNOTATION_ID_1}", concepts: [("one", 1)]),
                    Fixture.annotation(
                        input: "{YOUR_INPUT_ID_2}", id: "{YOUR_ANNOTATION_ID_2}", concepts: [("two", 1)]),
                ], app: SeedScenarios.userAppID), auth: .key("YOUR_API_KEY"))
        precondition(response.status?.code == .success)
        return store
    }

    static func code(of response: (any ProtoMessage)?) -> StatusCode? {
        switch response {
        case let response as MultiAnnotationResponse: response.status?.code
        case let response as SingleAnnotationResponse: response.status?.code
        case let response as BaseResponse: response.status?.code
        default: nil
        }
    }

    static func description(of response: (any ProtoMessage)?) -> String {
        response?.jsonString() ?? "no response"
    }

    @Test func everyScenarioIsCovered() {
        #expect(SeedScenarios.all.count == 27)
        #expect(Set(SeedScenarios.all.map(\.method)).isSubset(of: Set(V2.all.map(\.name))))
    }

    @Test(arguments: titles)
    func typedEntryAnswersSuccess(title: String) throws {
        let scenario = try Self.scenario(title)
        let store = Self.preparedStore()
        let response = store.handle(method: scenario.method, request: scenario.request, authorization: Self.key)
        #expect(Self.code(of: response) == .success, "\(Self.description(of: response))")
    }

    @Test(arguments: titles)
    func grpcBytesAnswerSuccess(title: String) throws {
        let scenario = try Self.scenario(title)
        let store = Self.preparedStore()
        let reply = store.handle(
            method: scenario.method, requestBytes: scenario.request.serializedBytes(), authorization: Self.key)
        #expect(reply.grpcStatus == 0)
        let responseType = try #require(V2.method(named: scenario.method)).responseType
        let response = try Self.decode(responseType, reply.responseBytes)
        #expect(Self.code(of: response) == .success, "\(Self.description(of: response))")
    }

    @Test(arguments: titles)
    func restJSONAnswersSuccess(title: String) throws {
        let scenario = try Self.scenario(title)
        let store = Self.preparedStore()
        let reply = store.handleJSON(
            method: scenario.method, body: scenario.request.jsonUTF8(), authorization: Self.key)
        #expect(reply.httpStatus == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        #expect(reply.statusCode == .success)
    }

    private static func decode<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) throws -> any ProtoMessage {
        try M(serializedBytes: bytes)
    }

    /// All of them in the documentation's order on one store, as `make demo` runs them.
    @Test func allInDocumentOrderOnOneStore() throws {
        let store = Self.preparedStore()
        for scenario in SeedScenarios.all {
            let response = store.handle(method: scenario.method, request: scenario.request, authorization: Self.key)
            #expect(Self.code(of: response) == .success, "\(scenario.title): \(Self.description(of: response))")
        }
    }

    /// What the documented calls do to the store, step by step.
    @Test func documentedEffects() throws {
        let app = SeedScenarios.userAppID
        let auth = Authorization(headerValue: Self.key)
        let store = Self.preparedStore()
        func run(_ title: String) throws -> (any ProtoMessage)? {
            let scenario = try Self.scenario(title)
            return store.handle(method: scenario.method, request: scenario.request, authorization: Self.key)
        }
        func stored(_ id: String, _ input: String) -> Annotation? { store.stored(id, input: input, app: app) }

        // A pending annotation for another user.
        let other = try #require(
            try run("Annotate an image with a different user_id and status") as? MultiAnnotationResponse)
        #expect(other.annotations.first?.userID == "{USER_ID}")
        #expect(other.annotations.first?.status?.code == .annotationPending)
        // Task annotations are found by task id.
        _ = try run("Annotate an input for a task")
        #expect(
            store.list(Fixture.list(app: app) { $0.taskID = "{{task_id}}" }, auth: auth).annotations.map(\.inputID) == [
                "{{asset_id}}"
            ])
        // The documented user_ids list finds the other user's annotation when asked for it.
        #expect(store.list(Fixture.list(app: app) { $0.userIDs = ["{USER_ID}"] }, auth: auth).annotations.count == 1)
        // Updates.
        _ = try run("Update an annotation with concepts")
        #expect(stored("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}")?.data?.concepts.map(\.id) == ["tree", "apple"])
        _ = try run("Update an annotation with concepts in a region")
        #expect(
            stored("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}")?.data?.regions.first?.data?.concepts.map(\.id) == [
                "bike", "apple",
            ])
        _ = try run("Update annotation status")
        #expect(stored("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}")?.status?.code == .annotationSuccess)
        _ = try run("Update annotation region coordinates")
        let overwritten = try #require(stored("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}"))
        #expect(overwritten.data?.concepts.isEmpty == true)
        #expect(
            overwritten.data?.regions.first?.regionInfo?.boundingBox
                == BoundingBox(topRow: 0.5, leftCol: 0.5, bottomRow: 0.8, rightCol: 0.8))
        // Deletes.
        _ = try run("Delete an annotation by input ID and annotation ID")
        #expect(stored("{YOUR_ANNOTATION_ID}", "{YOUR_INPUT_ID}") == nil)
        _ = try run("Bulk delete annotations by input IDs and annotation IDs")
        #expect(stored("{YOUR_ANNOTATION_ID_1}", "{YOUR_INPUT_ID_1}") == nil)
        #expect(stored("{YOUR_ANNOTATION_ID_2}", "{YOUR_INPUT_ID_2}") == nil)
    }
}
