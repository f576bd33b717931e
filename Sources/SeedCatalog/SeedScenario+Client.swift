import AnnotationsRPC
import ProtoWire

extension SeedScenario {
    /// What a documented call answered, as Clarifai's REST JSON.
    public struct Outcome: Sendable {
        public var json: String
        public var count: Int
    }

    /// Sends the documented request through the typed client: the call the documentation's
    /// sample makes, with the client's own user/app, key, deadline and retries.
    @discardableResult
    public func run(with client: AnnotationsClient) async throws -> Outcome {
        func annotations(_ items: [Annotation]) -> Outcome {
            var response = MultiAnnotationResponse()
            response.status = Status(code: .success, description: "Ok")
            response.annotations = items
            return Outcome(json: response.jsonString(), count: items.count)
        }
        switch request {
        case let post as PostAnnotationsRequest:
            return annotations(try await client.post(post.annotations))
        case let list as ListAnnotationsRequest:
            return annotations(
                try await client.list(
                    AnnotationQuery(
                        ids: list.ids, inputIDs: list.inputIDs, userIDs: list.userIDs,
                        modelVersionIDs: list.modelVersionIDs,
                        statuses: list.statuses.map(\.code), listAllAnnotations: list.listAllAnnotations,
                        taskID: list.taskID,
                        page: list.page, perPage: list.perPage
                    )))
        case let patch as PatchAnnotationsRequest:
            guard let action = PatchAction(rawValue: patch.action) else {
                throw ValidationError("action", "'\(patch.action)' is not merge, overwrite or remove")
            }
            return annotations(try await client.patch(patch.annotations, action: action))
        case let get as GetAnnotationRequest:
            return annotations([try await client.get(inputID: get.inputID, annotationID: get.annotationID)])
        case let delete as DeleteAnnotationRequest:
            try await client.delete(inputID: delete.inputID, annotationID: delete.annotationID)
            return Outcome(json: #"{"status":{"code":10000,"description":"Ok"}}"#, count: 0)
        case let delete as DeleteAnnotationsRequest:
            if delete.ids.isEmpty {
                try await client.delete(inputIDs: delete.inputIDs)
            } else {
                try await client.delete(ids: delete.ids, inputIDs: delete.inputIDs)
            }
            return Outcome(json: #"{"status":{"code":10000,"description":"Ok"}}"#, count: 0)
        default:
            throw ValidationError("request", "no client call for \(type(of: request).protoMessageName)")
        }
    }

    /// The annotations a patch, get or delete refers to, so that a demo or a test can create
    /// them first: (input id, annotation id).
    public var referencedAnnotations: [(inputID: String, annotationID: String)] {
        switch request {
        case let patch as PatchAnnotationsRequest: patch.annotations.map { ($0.inputID, $0.id) }
        case let get as GetAnnotationRequest: [(get.inputID, get.annotationID)]
        case let delete as DeleteAnnotationRequest: [(delete.inputID, delete.annotationID)]
        case let delete as DeleteAnnotationsRequest: Array(zip(delete.inputIDs, delete.ids))
        default: []
        }
    }
}

extension SeedScenarios {
    /// Runs every documented scenario in order through `client`, first creating the
    /// annotations that patches, gets and deletes name by id (the documentation assumes they
    /// exist). Failures are collected, not thrown, so one failing call does not hide the rest.
    ///
    /// ```swift
    /// for (scenario, result) in await SeedScenarios.runAll(with: client) { … }
    /// ```
    public static func runAll(with client: AnnotationsClient) async -> [(
        SeedScenario, Result<SeedScenario.Outcome, any Error>
    )] {
        var results: [(SeedScenario, Result<SeedScenario.Outcome, any Error>)] = []
        var created = Set<String>()
        for scenario in all {
            for (inputID, annotationID) in scenario.referencedAnnotations where !created.contains(annotationID) {
                created.insert(annotationID)
                var setup = Annotation(id: annotationID, inputID: inputID, concepts: ["tree": 1])
                setup.data?.regions = [Region.existing(id: "{YOUR_REGION_ID}", concepts: ["tree": 1])]
                _ = try? await client.post([setup])
            }
            do {
                results.append((scenario, .success(try await scenario.run(with: client))))
            } catch {
                results.append((scenario, .failure(error)))
            }
        }
        return results
    }
}
