import ProtoWire

/// The methods of `clarifai.api.V2` this package speaks, each listed once with everything the
/// client, the emulator and the CLI need (see ``V2Method``). Adding a method is one entry here
/// (plus `all`), its client call and its store logic in the emulator.
///
/// ```swift
/// for method in V2.all { print(method.grpcPath, method.restVerb, method.restTemplates[0]) }
/// ```
public enum V2 {
    /// The gRPC service every method belongs to.
    public static let serviceName = "clarifai.api.V2"

    public static let postAnnotations = V2Method<PostAnnotationsRequest, MultiAnnotationResponse>(
        "PostAnnotations",
        http: HTTPRule("POST", body: .request, app("/annotations"), fields: [.userID, .appID], query: userApp()),
        rules: { AnnotationRules.violation(inAnnotations: $0.annotations, requireIDs: false) }
    )

    public static let listAnnotations = V2Method<ListAnnotationsRequest, MultiAnnotationResponse>(
        "ListAnnotations",
        http: HTTPRule(
            "GET", body: .none, app("/annotations"), fields: [.userID, .appID],
            query: [
                .strings("ids", \.ids), .strings("input_ids", \.inputIDs),
                .statuses("statuses.code", aliases: ["statuses", "statuses_code"], \.statuses),
                .bool("list_all_annotations", \.listAllAnnotations), .uint32("page", \.page), .uint32("per_page", \.perPage),
                .strings("user_ids", \.userIDs), .strings("model_version_ids", \.modelVersionIDs), .string("task_id", \.taskID),
                .bool("return_model_output", \.returnModelOutput), .strings("workflow_version_ids", \.workflowVersionIDs),
            ] + userApp()
        ),
        rules: { $0.ids.isEmpty ? nil : AnnotationRules.idPairs(ids: $0.ids, inputIDs: $0.inputIDs) }
    )

    public static let getAnnotation = V2Method<GetAnnotationRequest, SingleAnnotationResponse>(
        "GetAnnotation",
        http: HTTPRule(
            "GET", body: .none, app("/inputs/{input_id}/annotations/{annotation_id}"),
            fields: [.userID, .appID, RequestField("input_id", \.inputID), RequestField("annotation_id", \.annotationID)],
            query: userApp() + [.string("input_id", \.inputID), .string("annotation_id", \.annotationID)]
        ),
        rules: { AnnotationRules.id($0.inputID, "input_id") ?? AnnotationRules.id($0.annotationID, "annotation_id") }
    )

    public static let patchAnnotations = V2Method<PatchAnnotationsRequest, MultiAnnotationResponse>(
        "PatchAnnotations",
        http: HTTPRule(
            "PATCH", body: .request, app("/annotations"), fields: [.userID, .appID],
            query: userApp() + [.string("action", \.action), .bool("delete_if_empty_data", \.deleteIfEmptyData)]
        ),
        rules: { AnnotationRules.violation(inAnnotations: $0.annotations, requireIDs: true) }
    )

    public static let deleteAnnotation = V2Method<DeleteAnnotationRequest, BaseResponse>(
        "DeleteAnnotation",
        http: HTTPRule(
            "DELETE", body: .none, app("/inputs/{input_id}/annotations/{annotation_id}"),
            fields: [.userID, .appID, RequestField("input_id", \.inputID), RequestField("annotation_id", \.annotationID)],
            query: userApp() + [.string("input_id", \.inputID), .string("annotation_id", \.annotationID)]
        ),
        rules: { AnnotationRules.id($0.inputID, "input_id") ?? AnnotationRules.id($0.annotationID, "annotation_id") }
    )

    /// By id pairs (`/annotations`), or every annotation of some inputs (the documented
    /// `/inputs/annotations`, when there are no ids).
    public static let deleteAnnotations = V2Method<DeleteAnnotationsRequest, BaseResponse>(
        "DeleteAnnotations",
        http: HTTPRule(
            "DELETE", body: .request,
            app("/inputs/annotations", when: { $0.ids.isEmpty }) + app("/annotations", when: { !$0.ids.isEmpty }),
            fields: [.userID, .appID],
            query: userApp() + [.strings("ids", \.ids), .strings("input_ids", \.inputIDs)]
        ),
        rules: { request in
            request.ids.isEmpty
                ? AnnotationRules.nonEmpty(request.inputIDs, "input_ids")
                : AnnotationRules.idPairs(ids: request.ids, inputIDs: request.inputIDs)
        }
    )

    /// The official pair of an app's binding: `/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}`
    /// + `path`, then the short `/v2` + `path` for a key that names its app.
    static func app<Request: AppScopedRequest>(
        _ path: String, when applies: (@Sendable (Request) -> Bool)? = nil
    ) -> [HTTPRule<Request>.Binding] {
        [.init("/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}" + path, when: applies), .init("/v2" + path, when: applies)]
    }

    /// `user_app_id.user_id` and `user_app_id.app_id`, for the short form of a binding.
    static func userApp<Request: AppScopedRequest>() -> [QueryParameter<Request>] {
        [.field(.userID), .field(.appID)]
    }

    /// Every method, in the order of the official service.
    public static let all: [any AnyV2Method] = [
        postAnnotations, listAnnotations, getAnnotation, patchAnnotations, deleteAnnotation, deleteAnnotations,
    ]

    /// The method of a bare name (`PostAnnotations`) or a gRPC path (`/clarifai.api.V2/PostAnnotations`).
    public static func method(named name: String) -> (any AnyV2Method)? {
        var bare = Substring(name)
        if let slash = name.lastIndex(of: "/") {
            let service = name[..<slash].drop { $0 == "/" }
            guard service.isEmpty || service == serviceName else { return nil }
            bare = name[name.index(after: slash)...]
        }
        return all.first { $0.name == bare }
    }

    /// What a REST path (without its query) stands for.
    public enum Route: Sendable {
        /// A method and the values of its path's variables (percent-decoded).
        case method(any AnyV2Method, pathValues: [String: String])
        /// A path of some method, but not with this verb (HTTP 405).
        case wrongVerb
        /// No method has such a path (HTTP 404).
        case unknown
    }

    /// The method a REST call goes to. Every binding of every method is tried, literals first
    /// in the order of ``all``.
    public static func route(verb: String, path: some StringProtocol) -> Route {
        let segments = path.split(separator: "/").map { PercentEncoding.decoded($0) }
        var pathKnown = false
        for method in all {
            for template in method.restTemplates {
                guard let values = template.match(segments) else { continue }
                if method.restVerb == verb { return .method(method, pathValues: values) }
                pathKnown = true
            }
        }
        return pathKnown ? .wrongVerb : .unknown
    }
}
