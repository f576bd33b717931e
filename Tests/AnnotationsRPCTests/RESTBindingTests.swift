@testable import AnnotationsRPC
import ProtoWire
import Testing

/// The V2 HTTP bindings (`google.api.http` of the official service) the REST client uses.
struct RESTBindingTests {
    private let ids = UserAppIDSet(userID: "me", appID: "my app")

    @Test func postAndPatchUseTheLongPathAndDropUserAppIDFromTheBody() throws {
        var post = PostAnnotationsRequest()
        post.userAppID = ids
        post.annotations = [Annotation(id: "a1", inputID: "i1", concepts: ["tree": 1])]
        let binding = try #require(RESTBinding(post))
        #expect(binding.method == "POST")
        #expect(binding.path == "/v2/users/me/apps/my%20app/annotations")
        let body = try PostAnnotationsRequest(jsonUTF8: binding.body)
        #expect(body.userAppID == nil)
        #expect(body.annotations == post.annotations)

        var patch = PatchAnnotationsRequest()
        patch.annotations = post.annotations
        patch.action = "merge"
        let patchBinding = try #require(RESTBinding(patch))
        #expect(patchBinding.method == "PATCH")
        #expect(patchBinding.path == "/v2/annotations")
        #expect(try PatchAnnotationsRequest(jsonUTF8: patchBinding.body) == patch)
    }

    @Test func listPutsEveryFilterInTheQuery() throws {
        var list = ListAnnotationsRequest()
        list.userAppID = UserAppIDSet(userID: "", appID: "only-app")
        list.ids = ["a 1", "a&2"]
        list.inputIDs = ["i/1", "ä"]
        list.statuses = [Status(code: .annotationPending)]
        list.listAllAnnotations = true
        list.page = 2
        list.perPage = 128
        list.userIDs = ["u"]
        list.modelVersionIDs = ["m"]
        list.taskID = "t"
        let binding = try #require(RESTBinding(list))
        #expect(binding.method == "GET")
        #expect(binding.body.isEmpty)
        #expect(binding.path == "/v2/annotations?ids=a%201&ids=a%262&input_ids=i%2F1&input_ids=%C3%A4&statuses.code=24151"
            + "&list_all_annotations=true&page=2&per_page=128&user_ids=u&model_version_ids=m&task_id=t&user_app_id.app_id=only-app")
        #expect(RESTBinding(ListAnnotationsRequest())?.path == "/v2/annotations")
    }

    @Test func getAndDeleteNameTheAnnotationInThePath() throws {
        var get = GetAnnotationRequest()
        get.userAppID = ids
        get.inputID = "in/put"
        get.annotationID = "an?n"
        #expect(RESTBinding(get) == RESTBinding(method: "GET", path: "/v2/users/me/apps/my%20app/inputs/in%2Fput/annotations/an%3Fn", body: []))
        var delete = DeleteAnnotationRequest()
        delete.inputID = "i"
        delete.annotationID = "a"
        #expect(RESTBinding(delete) == RESTBinding(method: "DELETE", path: "/v2/inputs/i/annotations/a", body: []))
    }

    @Test func bulkDeletesUseTheDocumentedPaths() throws {
        var byID = DeleteAnnotationsRequest()
        byID.ids = ["a"]
        byID.inputIDs = ["i"]
        let binding = try #require(RESTBinding(byID))
        #expect(binding.method == "DELETE")
        #expect(binding.path == "/v2/annotations")
        #expect(try DeleteAnnotationsRequest(jsonUTF8: binding.body) == byID)
        var byInput = DeleteAnnotationsRequest()
        byInput.inputIDs = ["i"]
        #expect(RESTBinding(byInput)?.path == "/v2/inputs/annotations")
    }

    @Test func otherMessagesHaveNoBinding() {
        #expect(RESTBinding(Annotation()) == nil)
    }
}
