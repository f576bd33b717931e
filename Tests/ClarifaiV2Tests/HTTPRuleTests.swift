import ClarifaiV2
import ProtoWire
import Testing

/// The V2 HTTP bindings (`google.api.http` of the official service) as clients use them.
struct HTTPRuleTests {
    private let ids = UserAppIDSet(userID: "me", appID: "my app")

    @Test func postAndPatchUseTheLongPathAndDropUserAppIDFromTheBody() throws {
        var post = PostAnnotationsRequest()
        post.userAppID = ids
        var annotation = Annotation()
        annotation.id = "a1"
        annotation.inputID = "i1"
        post.annotations = [annotation]
        let binding = try V2.postAnnotations.http.call(for: post)
        #expect(binding.verb == "POST")
        #expect(binding.path == "/v2/users/me/apps/my%20app/annotations")
        let body = try PostAnnotationsRequest(jsonUTF8: binding.body)
        #expect(body.userAppID == nil)
        #expect(body.annotations == post.annotations)

        var patch = PatchAnnotationsRequest()
        patch.annotations = post.annotations
        patch.action = "merge"
        let patchBinding = try V2.patchAnnotations.http.call(for: patch)
        #expect(patchBinding.verb == "PATCH")
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
        let binding = try V2.listAnnotations.http.call(for: list)
        #expect(binding.verb == "GET")
        #expect(binding.body.isEmpty)
        #expect(
            binding.path == "/v2/annotations?ids=a%201&ids=a%262&input_ids=i%2F1&input_ids=%C3%A4&statuses.code=24151"
                + "&list_all_annotations=true&page=2&per_page=128&user_ids=u&model_version_ids=m&task_id=t&user_app_id.app_id=only-app"
        )
        #expect(try V2.listAnnotations.http.call(for: ListAnnotationsRequest()).path == "/v2/annotations")
    }

    @Test func getAndDeleteNameTheAnnotationInThePath() throws {
        var get = GetAnnotationRequest()
        get.userAppID = ids
        get.inputID = "in/put"
        get.annotationID = "an?n"
        #expect(
            try V2.getAnnotation.http.call(for: get)
                == RESTCall(
                    verb: "GET", path: "/v2/users/me/apps/my%20app/inputs/in%2Fput/annotations/an%3Fn", body: []))
        var delete = DeleteAnnotationRequest()
        delete.inputID = "i"
        delete.annotationID = "a"
        #expect(
            try V2.deleteAnnotation.http.call(for: delete)
                == RESTCall(verb: "DELETE", path: "/v2/inputs/i/annotations/a", body: []))
    }

    @Test func bulkDeletesUseTheDocumentedPaths() throws {
        var byID = DeleteAnnotationsRequest()
        byID.ids = ["a"]
        byID.inputIDs = ["i"]
        let binding = try V2.deleteAnnotations.http.call(for: byID)
        #expect(binding.verb == "DELETE")
        #expect(binding.path == "/v2/annotations")
        #expect(try DeleteAnnotationsRequest(jsonUTF8: binding.body) == byID)
        var byInput = DeleteAnnotationsRequest()
        byInput.inputIDs = ["i"]
        #expect(try V2.deleteAnnotations.http.call(for: byInput).path == "/v2/inputs/annotations")
    }

    @Test func aRequestWithoutItsPathVariablesHasNoRESTForm() {
        var get = GetAnnotationRequest()
        get.annotationID = "a"
        #expect(throws: Violation("input_id", "must not be empty: every REST path of this call holds it")) {
            try V2.getAnnotation.http.call(for: get)
        }
    }

    @Test func serversReadTheRequestBackFromPathQueryAndBody() throws {
        let route = V2.route(verb: "GET", path: "/v2/users/me/apps/my%20app/annotations")
        guard case .method(let method, let values) = route else {
            Issue.record("no route: \(route)")
            return
        }
        #expect(method.name == "ListAnnotations")
        let request = try method.restRequest(
            body: [],
            query: [
                ("perPage", "7"), ("input_ids", "a"), ("INPUT_IDS", "b"), ("statuses", "ANNOTATION_PENDING"),
                ("other", "x"),
            ],
            pathValues: values
        )
        var expected = ListAnnotationsRequest()
        expected.userAppID = ids
        expected.perPage = 7
        expected.inputIDs = ["a", "b"]
        expected.statuses = [Status(code: .annotationPending)]
        #expect(request as? ListAnnotationsRequest == expected)
        #expect(throws: RESTProblem.self) { try method.restRequest(body: [], query: [("page", "-1")], pathValues: [:]) }
    }

    @Test func routesTellAWrongVerbFromAnUnknownPath() {
        guard case .wrongVerb = V2.route(verb: "PUT", path: "/v2/annotations") else {
            Issue.record("PUT /v2/annotations")
            return
        }
        guard case .unknown = V2.route(verb: "GET", path: "/v2/nothing") else {
            Issue.record("GET /v2/nothing")
            return
        }
        guard case .method(let method, let values) = V2.route(verb: "DELETE", path: "/v2/inputs/in%2F1/annotations/a")
        else {
            Issue.record("DELETE one annotation")
            return
        }
        #expect(method.name == "DeleteAnnotation")
        #expect(values == ["input_id": "in/1", "annotation_id": "a"])
    }
}
