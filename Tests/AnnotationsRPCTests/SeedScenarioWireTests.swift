import AnnotationsRPC
import Foundation
import ProtoWire
import SeedCatalog
import Testing

extension NetworkTests {
    /// Every documented request, sent through the typed client to a server on the official
    /// stubs: the server decodes exactly the message the documentation describes.
    @Suite(.timeLimit(.minutes(3)))
    struct SeedScenarioWireTests {
        @Test func everyDocumentedRequestArrivesAsDocumented() async throws {
            let server = try V2Server()
            let client = try server.client()
            for (index, scenario) in SeedScenarios.all.enumerated() {
                do {
                    try await perform(scenario.request, with: client)
                } catch let error as ClarifaiStatusError where error.code == .connDoesNotExist {
                    // Patches and deletes of ids the test server never stored: the request is what counts.
                }
                let records = server.records()
                try #require(records.count == index + 1, "\(scenario.title): no request recorded")
                let record = records[index]
                #expect(record.method == scenario.method, "\(scenario.title)")
                #expect(record.metadata["authorization"] as? String == "Key test-key")
                #expect(
                    record.raw == record.request,
                    "\(scenario.title): the official classes re-serialise our bytes differently")
                try expectSame(scenario.request, record.request, scenario.title)
            }
        }

        /// Decodes what the server received as the scenario's type and compares. Posts differ in
        /// one documented way: the client gives every annotation without an id a new id.
        private func expectSame<M: ProtoMessage>(_ expected: M, _ received: [UInt8], _ title: String) throws {
            var decoded = try M(serializedBytes: received)
            if var post = decoded as? PostAnnotationsRequest, let documented = expected as? PostAnnotationsRequest {
                for index in post.annotations.indices where documented.annotations[index].id.isEmpty {
                    let id = post.annotations[index].id
                    #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "\(title): client id \(id)")
                    post.annotations[index].id = ""
                }
                decoded = post as! M
            }
            #expect(
                decoded == expected, "\(title)\nsent:     \(decoded.jsonString())\ndocument: \(expected.jsonString())")
        }

        private func perform(_ request: any ProtoMessage, with client: AnnotationsClient) async throws {
            switch request {
            case let post as PostAnnotationsRequest:
                _ = try await client.post(post.annotations)
            case let list as ListAnnotationsRequest:
                _ = try await client.list(
                    AnnotationQuery(
                        ids: list.ids, inputIDs: list.inputIDs, userIDs: list.userIDs,
                        modelVersionIDs: list.modelVersionIDs,
                        statuses: list.statuses.map(\.code), listAllAnnotations: list.listAllAnnotations,
                        taskID: list.taskID,
                        page: list.page, perPage: list.perPage
                    ))
            case let patch as PatchAnnotationsRequest:
                _ = try await client.patch(patch.annotations, action: try #require(PatchAction(rawValue: patch.action)))
            case let delete as DeleteAnnotationRequest:
                try await client.delete(inputID: delete.inputID, annotationID: delete.annotationID)
            case let delete as DeleteAnnotationsRequest:
                if delete.ids.isEmpty {
                    try await client.delete(inputIDs: delete.inputIDs)
                } else {
                    try await client.delete(ids: delete.ids, inputIDs: delete.inputIDs)
                }
            case let get as GetAnnotationRequest:
                _ = try await client.get(inputID: get.inputID, annotationID: get.annotationID)
            default:
                Issue.record("no client call for \(type(of: request))")
            }
        }
    }
}
