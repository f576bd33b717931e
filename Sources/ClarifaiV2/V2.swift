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

    /// Creates 1…128 annotations (REST: `POST` the app's `/annotations`); each must pass `AnnotationRules`.
    public static let postAnnotations = V2Method<PostAnnotationsRequest, MultiAnnotationResponse>(
        "PostAnnotations",
        http: HTTPRule("POST", body: .request, app("/annotations"), fields: [.userID, .appID], query: userApp()),
        rules: { AnnotationRules.violation(inAnnotations: $0.annotations, requireIDs: false) }
    )

    /// One page of the app's annotations, filtered (REST: `GET` the app's `/annotations?…`); ids pair with input ids.
    public static let listAnnotations = V2Method<ListAnnotationsRequest, MultiAnnotationResponse>(
        "ListAnnotations",
        http: HTTPRule(
            "GET", body: .none, app("/annotations"), fields: [.userID, .appID],
            query: [
                .strings("ids", \.ids), .strings("input_ids", \.inputIDs),
                .statuses("statuses.code", aliases: ["statuses", "statuses_code"], \.statuses),
                .bool("list_all_annotations", \.listAllAnnotations), .uint32("page", \.page),
                .uint32("per_page", \.perPage),
                .strings("user_ids", \.userIDs), .strings("model_version_ids", \.modelVersionIDs),
                .string("task_id", \.taskID),
                .bool("return_model_output", \.returnModelOutput),
                .strings("workflow_version_ids", \.workflowVersionIDs),
            ] + userApp()
        ),
        rules: { $0.ids.isEmpty ? nil : AnnotationRules.idPairs(ids: $0.ids, inputIDs: $0.inputIDs) }
    )

    /// One annotation of one input (REST: `GET` the app's `/inputs/{input_id}/annotations/{annotation_id}`).
    public static let getAnnotation = V2Method<GetAnnotationRequest, SingleAnnotationResponse>(
        "GetAnnotation",
        http: HTTPRule(
            "GET", body: .none, app("/inputs/{input_id}/annotations/{annotation_id}"),
            fields: [
                .userID, .appID, RequestField("input_id", \.inputID), RequestField("annotation_id", \.annotationID),
            ],
            query: userApp() + [.string("input_id", \.inputID), .string("annotation_id", \.annotationID)]
        ),
        rules: { AnnotationRules.id($0.inputID, "input_id") ?? AnnotationRules.id($0.annotationID, "annotation_id") }
    )

    /// Changes 1…128 annotations, each named by its id, as `action` says (REST: `PATCH` the app's `/annotations`).
    public static let patchAnnotations = V2Method<PatchAnnotationsRequest, MultiAnnotationResponse>(
        "PatchAnnotations",
        http: HTTPRule(
            "PATCH", body: .request, app("/annotations"), fields: [.userID, .appID],
            query: userApp() + [.string("action", \.action), .bool("delete_if_empty_data", \.deleteIfEmptyData)]
        ),
        rules: { AnnotationRules.violation(inAnnotations: $0.annotations, requireIDs: true) }
    )

    /// Deletes one annotation of one input (REST: `DELETE` the app's `/inputs/{input_id}/annotations/{annotation_id}`).
    public static let deleteAnnotation = V2Method<DeleteAnnotationRequest, BaseResponse>(
        "DeleteAnnotation",
        http: HTTPRule(
            "DELETE", body: .none, app("/inputs/{input_id}/annotations/{annotation_id}"),
            fields: [
                .userID, .appID, RequestField("input_id", \.inputID), RequestField("annotation_id", \.annotationID),
            ],
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
            if request.ids.isEmpty && request.inputIDs.isEmpty {
                return Violation(
                    "input_ids", "nothing to delete: give input_ids, or ids with input_ids of equal length")
            }
            return request.ids.isEmpty
                ? AnnotationRules.nonEmpty(request.inputIDs, "input_ids")
                : AnnotationRules.idPairs(ids: request.ids, inputIDs: request.inputIDs)
        }
    )

    /// The annotations of a video input, one message each, ordered by frame (see
    /// `StreamAnnotationsRequest` for the filters). Over REST the body is newline-delimited
    /// `{"result": …}` objects.
    public static let streamAnnotations = V2Method<StreamAnnotationsRequest, SingleStreamAnnotationResponse>(
        "StreamAnnotations", .serverStreaming,
        http: HTTPRule(
            "POST", body: .request, app("/inputs/{input_id}/track_annotations/searches/stream"),
            fields: [.userID, .appID, RequestField("input_id", \.inputID)]
        ),
        rules: { AnnotationRules.id($0.inputID, "input_id") }
    )

    /// Task review: sets `status_code` on the annotations of `task_id` made by `user_ids` whose
    /// status is one of `status_codes`. Its only REST path names the user and the app.
    public static let patchAnnotationsStatus = V2Method<PatchAnnotationsStatusRequest, PatchAnnotationsStatusResponse>(
        "PatchAnnotationsStatus",
        http: HTTPRule(
            "PATCH", body: .request,
            [.init("/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/task/{task_id}/annotations/status")],
            fields: [.userID, .appID, RequestField("task_id", \.taskID)]
        ),
        rules: { request in
            if let violation = AnnotationRules.id(request.taskID, "task_id") { return violation }
            if request.statusCode.rawValue == 0 {
                return Violation("status_code", "must be set: the status the annotations get")
            }
            if !request.action.isEmpty && request.action != "overwrite" {
                return Violation(
                    "action", "'\(request.action.prefix(40))' is not an action; the only one is 'overwrite'")
            }
            return nil
        }
    )

    /// How many annotations of a task each worker has, by review status.
    public static let getTaskAnnotationCount = V2Method<GetTaskCountRequest, SingleTaskCountResponse>(
        "GetTaskAnnotationCount",
        http: HTTPRule(
            "GET", body: .none, app("/tasks/{task_id}/annotations/count"),
            fields: [.userID, .appID, RequestField("task_id", \.taskID)],
            query: userApp() + [
                .string("task_id", \.taskID), .strings("user_ids", \.userIDs),
                .strings("model_version_ids", \.modelVersionIDs),
                .strings("workflow_version_ids", \.workflowVersionIDs),
            ]
        ),
        rules: { AnnotationRules.id($0.taskID, "task_id") }
    )

    /// The workers (users, models, workflows) that made the app's annotations, page by page.
    public static let listAnnotationWorkers = V2Method<ListAnnotationWorkersRequest, MultiWorkerResponse>(
        "ListAnnotationWorkers",
        http: HTTPRule(
            "GET", body: .none, app("/annotations/workers"), fields: [.userID, .appID],
            query: userApp() + [
                .uint32("page", \.page), .uint32("per_page", \.perPage),
                .strings("additional_fields", \.additionalFields),
                .bool("trusted_only", \.trustedOnly),
            ]
        )
    )

    /// The official pair of an app's binding: `/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}`
    /// + `path`, then the short `/v2` + `path` for a key that names its app.
    static func app<Request: AppScopedRequest>(
        _ path: String, when applies: (@Sendable (Request) -> Bool)? = nil
    ) -> [HTTPRule<Request>.Binding] {
        [
            .init("/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}" + path, when: applies),
            .init("/v2" + path, when: applies),
        ]
    }

    /// `user_app_id.user_id` and `user_app_id.app_id`, for the short form of a binding.
    static func userApp<Request: AppScopedRequest>() -> [QueryParameter<Request>] {
        [.field(.userID), .field(.appID)]
    }

    /// Every method: the six documented calls, then the others in the order of the official service.
    public static let all: [any AnyV2Method] = [
        postAnnotations, listAnnotations, getAnnotation, patchAnnotations, deleteAnnotation, deleteAnnotations,
        streamAnnotations, patchAnnotationsStatus, listAnnotationWorkers, getTaskAnnotationCount,
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
