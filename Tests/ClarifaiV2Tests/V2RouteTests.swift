import ClarifaiV2
import ProtoWire
import Testing

/// `V2.route(verb:path:)` (Sources/ClarifaiV2/V2.swift): the method every REST path of every
/// binding goes to, the values of its variables, and what is a wrong verb (405) or no path at
/// all (404).
@Suite struct V2RouteTests {
    enum Expected: Sendable, Equatable, CustomStringConvertible {
        case method(String, [String: String])
        case wrongVerb
        case unknown

        var description: String {
            switch self {
            case .method(let name, let values): "\(name) \(values.sorted { $0.key < $1.key })"
            case .wrongVerb: "wrong verb"
            case .unknown: "unknown"
            }
        }
    }

    static func routed(_ verb: String, _ path: String) -> Expected {
        switch V2.route(verb: verb, path: path) {
        case .method(let method, let values): .method(method.name, values)
        case .wrongVerb: .wrongVerb
        case .unknown: .unknown
        }
    }

    struct Example: Sendable, CustomStringConvertible {
        let verb: String
        let path: String
        let expected: Expected
        var description: String { "\(verb) \(path)" }

        init(_ verb: String, _ path: String, _ expected: Expected) {
            self.verb = verb
            self.path = path
            self.expected = expected
        }
    }

    static let app = ["user_app_id.user_id": "me", "user_app_id.app_id": "my-app"]
    static let long = "/v2/users/me/apps/my-app"

    /// `values` and the user and app of `long`.
    static func inApp(_ values: [String: String]) -> [String: String] {
        app.merging(values) { $1 }
    }

    /// GetAnnotation of `input_id` and `annotation_id`.
    static func getAnnotation(_ inputID: String, _ annotationID: String) -> Expected {
        .method("GetAnnotation", ["input_id": inputID, "annotation_id": annotationID])
    }

    /// The variables of one annotation's path.
    static let one = ["input_id": "i1", "annotation_id": "a1"]

    /// Both templates (with the user and app, and the short one) of every method.
    static let everyTemplate: [Example] = [
        Example("POST", long + "/annotations", .method("PostAnnotations", app)),
        Example("POST", "/v2/annotations", .method("PostAnnotations", [:])),
        Example("GET", long + "/annotations", .method("ListAnnotations", app)),
        Example("GET", "/v2/annotations", .method("ListAnnotations", [:])),
        Example("PATCH", long + "/annotations", .method("PatchAnnotations", app)),
        Example("PATCH", "/v2/annotations", .method("PatchAnnotations", [:])),
        Example("GET", long + "/inputs/i1/annotations/a1", .method("GetAnnotation", inApp(one))),
        Example("GET", "/v2/inputs/i1/annotations/a1", .method("GetAnnotation", one)),
        Example("DELETE", long + "/inputs/i1/annotations/a1", .method("DeleteAnnotation", inApp(one))),
        Example("DELETE", "/v2/inputs/i1/annotations/a1", .method("DeleteAnnotation", one)),
        // Both bindings of DeleteAnnotations route, whatever their `when` (that is for clients).
        Example("DELETE", long + "/inputs/annotations", .method("DeleteAnnotations", app)),
        Example("DELETE", "/v2/inputs/annotations", .method("DeleteAnnotations", [:])),
        Example("DELETE", long + "/annotations", .method("DeleteAnnotations", app)),
        Example("DELETE", "/v2/annotations", .method("DeleteAnnotations", [:])),
        Example(
            "POST", long + "/inputs/v1/track_annotations/searches/stream",
            .method("StreamAnnotations", inApp(["input_id": "v1"]))),
        Example(
            "POST", "/v2/inputs/v1/track_annotations/searches/stream",
            .method("StreamAnnotations", ["input_id": "v1"])),
        Example(
            "PATCH", long + "/task/t1/annotations/status",
            .method("PatchAnnotationsStatus", inApp(["task_id": "t1"]))),
        Example("GET", long + "/annotations/workers", .method("ListAnnotationWorkers", app)),
        Example("GET", "/v2/annotations/workers", .method("ListAnnotationWorkers", [:])),
        Example(
            "GET", long + "/tasks/t1/annotations/count",
            .method("GetTaskAnnotationCount", inApp(["task_id": "t1"]))),
        Example("GET", "/v2/tasks/t1/annotations/count", .method("GetTaskAnnotationCount", ["task_id": "t1"])),
    ]

    @Test(arguments: everyTemplate)
    func routesEveryTemplate(_ example: Example) {
        #expect(V2RouteTests.routed(example.verb, example.path) == example.expected)
    }

    /// The table above holds every template of every method once.
    @Test func theTableCoversEveryTemplate() {
        let listed = Set(
            V2RouteTests.everyTemplate.compactMap { example -> String? in
                guard case .method(let name, _) = example.expected,
                    let method = V2.all.first(where: { $0.name == name })
                else { return nil }
                let template = method.restTemplates.first { $0.match(V2RouteTests.segments(example.path)) != nil }
                return template.map { "\(name) \($0)" }
            })
        let all = Set(V2.all.flatMap { method in method.restTemplates.map { "\(method.name) \($0)" } })
        #expect(listed == all)
        #expect(all.count == V2RouteTests.everyTemplate.count)
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map { PercentEncoding.decoded($0) }
    }

    /// A path a client builds for any method routes back to that method with the same values.
    @Test(arguments: V2.all.map(\.name))
    func everyExpandedTemplateRoutesBack(methodName: String) throws {
        let method = try #require(V2.method(named: methodName))
        for template in method.restTemplates {
            let values = Dictionary(uniqueKeysWithValues: template.variables.map { ($0, "v/\($0) ?&%") })
            let path = try #require(template.expand { values[$0] ?? "" })
            #expect(V2RouteTests.routed(method.restVerb, path) == .method(methodName, values), "\(path)")
        }
    }

    /// A known path with another verb is 405; verbs are case-sensitive (RFC 9110 §9.1).
    @Test(arguments: [
        Example("PUT", "/v2/annotations", .wrongVerb),
        Example("HEAD", "/v2/annotations", .wrongVerb),
        Example("OPTIONS", long + "/annotations", .wrongVerb),
        Example("get", "/v2/annotations", .wrongVerb),
        Example("Post", "/v2/annotations", .wrongVerb),
        Example("", "/v2/annotations", .wrongVerb),
        Example("POST", "/v2/inputs/i1/annotations/a1", .wrongVerb),
        Example("PATCH", "/v2/inputs/i1/annotations/a1", .wrongVerb),
        Example("GET", "/v2/inputs/annotations", .wrongVerb),  // only DELETE has it
        Example("POST", "/v2/inputs/annotations", .wrongVerb),
        Example("GET", "/v2/inputs/v1/track_annotations/searches/stream", .wrongVerb),
        Example("POST", long + "/task/t1/annotations/status", .wrongVerb),
        Example("POST", "/v2/annotations/workers", .wrongVerb),
        Example("DELETE", "/v2/tasks/t1/annotations/count", .wrongVerb),
    ])
    func wrongVerbs(_ example: Example) {
        #expect(V2RouteTests.routed(example.verb, example.path) == example.expected)
    }

    /// No template has such a path: 404, whatever the verb.
    @Test(arguments: [
        Example("GET", "", .unknown),
        Example("GET", "/", .unknown),
        Example("GET", "/v2", .unknown),
        Example("GET", "/v2/", .unknown),
        Example("GET", "/v1/annotations", .unknown),
        Example("GET", "/v2/annotation", .unknown),
        Example("GET", "/v2/Annotations", .unknown),  // literals are case-sensitive
        Example("GET", "v2/nothing", .unknown),
        Example("GET", "/v2/inputs/i1/annotations", .unknown),
        Example("GET", "/v2/inputs/i1/annotations/a1/extra", .unknown),
        Example("GET", "/v2/users/me/apps/annotations", .unknown),
        Example("GET", "/v2/users/me/annotations", .unknown),
        Example("PATCH", "/v2/task/t1/annotations/status", .unknown),  // no short binding
        Example("DELETE", "/v2/inputs//annotations/a1", .unknown),  // an empty segment binds no variable
        Example("GET", "/v2/annotations?per_page=1", .unknown),  // the caller strips the query
        Example("GET", "/v2/annotations%2Fworkers", .unknown),  // an escaped '/' never splits a segment
        Example("POST", "/v2/users/me/apps/my-app/annotations/workers/x", .unknown),
    ])
    func unknownPaths(_ example: Example) {
        #expect(V2RouteTests.routed(example.verb, example.path) == example.expected)
    }

    /// Segments are split at '/' first, then percent-decoded: values hold any character; an escape
    /// that is not one stays as it is; '+' is a plus; literals may be escaped too (RFC 3986
    /// §6.2.2.2: an escaped unreserved character is the same character).
    @Test(arguments: [
        Example("GET", "/v2/inputs/in%2F1/annotations/a%20b", getAnnotation("in/1", "a b")),
        Example("GET", "/v2/inputs/%E2%98%95/annotations/%3F%26%23", getAnnotation("☕", "?&#")),
        Example("GET", "/v2/inputs/caf%c3%a9/annotations/x", getAnnotation("café", "x")),
        Example("GET", "/v2/inputs/%zz/annotations/%", getAnnotation("%zz", "%")),
        Example("GET", "/v2/inputs/a+b/annotations/%2B", getAnnotation("a+b", "+")),
        Example("GET", "/v2/inputs/%2541/annotations/x", getAnnotation("%41", "x")),
        Example("GET", "/v2/%61nnotations", .method("ListAnnotations", [:])),
        Example("GET", "/%76%32/annotations/workers", .method("ListAnnotationWorkers", [:])),
        Example("GET", "/v2/users/m%65/apps/my%2Dapp/annotations", .method("ListAnnotations", app)),
    ])
    func percentEncodedSegments(_ example: Example) {
        #expect(V2RouteTests.routed(example.verb, example.path) == example.expected)
    }

    /// Empty segments are dropped: a trailing slash, a doubled one or a missing leading one
    /// reach the same method.
    @Test(arguments: [
        Example("GET", "/v2/annotations/", .method("ListAnnotations", [:])),
        Example("GET", "//v2//annotations//", .method("ListAnnotations", [:])),
        Example("GET", "v2/annotations", .method("ListAnnotations", [:])),
        Example("POST", long + "/annotations/", .method("PostAnnotations", app)),
        Example("DELETE", "/v2/inputs/i1/annotations/a1/", .method("DeleteAnnotation", one)),
        Example("DELETE", "/v2/inputs//annotations", .method("DeleteAnnotations", [:])),
    ])
    func emptySegmentsAreDropped(_ example: Example) {
        #expect(V2RouteTests.routed(example.verb, example.path) == example.expected)
    }

    /// `when`: a client sends DeleteAnnotations to `/inputs/annotations` without ids, to
    /// `/annotations` with them; the user and app go in the path when both are known.
    @Test(
        arguments: [
            ([], ["i1"], UserAppIDSet(userID: "me", appID: "my-app"), "/v2/users/me/apps/my-app/inputs/annotations"),
            ([], ["i1"], nil, "/v2/inputs/annotations"),
            ([], ["i1"], UserAppIDSet(userID: "", appID: "my-app"), "/v2/inputs/annotations"),
            (["a1"], ["i1"], UserAppIDSet(userID: "me", appID: "my-app"), "/v2/users/me/apps/my-app/annotations"),
            (["a1"], ["i1"], UserAppIDSet(userID: "me", appID: ""), "/v2/annotations"),
            (["a1", "a2"], ["i1", "i1"], nil, "/v2/annotations"),
        ] as [([String], [String], UserAppIDSet?, String)])
    func deleteAnnotationsChoosesItsPathByItsIDs(
        ids: [String], inputIDs: [String], app: UserAppIDSet?, path: String
    ) throws {
        var request = DeleteAnnotationsRequest()
        request.ids = ids
        request.inputIDs = inputIDs
        request.userAppID = app
        let call = try V2.deleteAnnotations.http.call(for: request)
        #expect(call.verb == "DELETE")
        #expect(call.path == path)
        guard case .method(let method, _) = V2.route(verb: call.verb, path: call.path) else {
            Issue.record("\(call.path) does not route")
            return
        }
        #expect(method.name == "DeleteAnnotations")
    }
}
