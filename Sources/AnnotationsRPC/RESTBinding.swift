import H2Transport
import ProtoWire

/// One annotation call in Clarifai's REST form: the `google.api.http` binding of the V2
/// service (verb, path with its variables, query for GETs, body `*` otherwise), with the
/// request's remaining fields as JSON in Clarifai's shape.
struct RESTBinding: Equatable {
    var method: String
    /// Path and query, percent-encoded.
    var path: String
    /// The request as JSON, empty for GET.
    var body: [UInt8]

    /// The binding of a request of one of the five annotation calls, or nil for another type.
    ///
    /// With both a user id and an app id the `/v2/users/{user_id}/apps/{app_id}/…` form is
    /// used and `user_app_id` leaves the body; otherwise the short form, with whatever part of
    /// `user_app_id` there is kept in the body or query.
    init?(_ request: any ProtoMessage) {
        switch request {
        case var post as PostAnnotationsRequest:
            let prefix = RESTBinding.prefix(&post.userAppID)
            self.init(method: "POST", path: prefix + "/annotations", body: post.jsonUTF8())
        case var patch as PatchAnnotationsRequest:
            let prefix = RESTBinding.prefix(&patch.userAppID)
            self.init(method: "PATCH", path: prefix + "/annotations", body: patch.jsonUTF8())
        case var list as ListAnnotationsRequest:
            let prefix = RESTBinding.prefix(&list.userAppID)
            self.init(method: "GET", path: prefix + "/annotations" + RESTBinding.query(list), body: [])
        case var get as GetAnnotationRequest:
            let prefix = RESTBinding.prefix(&get.userAppID)
            let path = prefix + RESTBinding.annotationPath(inputID: get.inputID, annotationID: get.annotationID)
            self.init(method: "GET", path: path + RESTBinding.userAppQuery(get.userAppID), body: [])
        case var delete as DeleteAnnotationRequest:
            let prefix = RESTBinding.prefix(&delete.userAppID)
            let path = prefix + RESTBinding.annotationPath(inputID: delete.inputID, annotationID: delete.annotationID)
            self.init(method: "DELETE", path: path + RESTBinding.userAppQuery(delete.userAppID), body: [])
        case var delete as DeleteAnnotationsRequest:
            let prefix = RESTBinding.prefix(&delete.userAppID)
            // The documented form for "every annotation of these inputs" is /inputs/annotations.
            let path = prefix + (delete.ids.isEmpty ? "/inputs/annotations" : "/annotations")
            self.init(method: "DELETE", path: path, body: delete.jsonUTF8())
        default:
            return nil
        }
    }

    init(method: String, path: String, body: [UInt8]) {
        self.method = method
        self.path = path
        self.body = body
    }

    /// `/v2/users/{user_id}/apps/{app_id}` when both ids are known (they then leave the
    /// request), `/v2` otherwise.
    private static func prefix(_ userAppID: inout UserAppIDSet?) -> String {
        guard let ids = userAppID, !ids.userID.isEmpty, !ids.appID.isEmpty else { return "/v2" }
        userAppID = nil
        return "/v2/users/\(segment(ids.userID))/apps/\(segment(ids.appID))"
    }

    private static func annotationPath(inputID: String, annotationID: String) -> String {
        "/inputs/\(segment(inputID))/annotations/\(segment(annotationID))"
    }

    /// grpc-gateway's query form of ListAnnotationsRequest: repeated keys for repeated fields,
    /// dotted paths into messages, defaults left out.
    static func query(_ list: ListAnnotationsRequest) -> String {
        var items: [(String, String)] = []
        items += list.ids.map { ("ids", $0) }
        items += list.inputIDs.map { ("input_ids", $0) }
        items += list.statuses.map { ("statuses.code", String($0.code.rawValue)) }
        if list.listAllAnnotations { items.append(("list_all_annotations", "true")) }
        if list.page != 0 { items.append(("page", String(list.page))) }
        if list.perPage != 0 { items.append(("per_page", String(list.perPage))) }
        items += list.userIDs.map { ("user_ids", $0) }
        items += list.modelVersionIDs.map { ("model_version_ids", $0) }
        if !list.taskID.isEmpty { items.append(("task_id", list.taskID)) }
        if list.returnModelOutput { items.append(("return_model_output", "true")) }
        items += list.workflowVersionIDs.map { ("workflow_version_ids", $0) }
        items += userAppItems(list.userAppID)
        return queryString(items)
    }

    private static func userAppQuery(_ userAppID: UserAppIDSet?) -> String {
        queryString(userAppItems(userAppID))
    }

    private static func userAppItems(_ userAppID: UserAppIDSet?) -> [(String, String)] {
        guard let ids = userAppID else { return [] }
        return [("user_app_id.user_id", ids.userID), ("user_app_id.app_id", ids.appID)].filter { !$0.1.isEmpty }
    }

    private static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\($0.0)=\(escaped($0.1))" }.joined(separator: "&")
    }

    private static func segment(_ text: String) -> String { escaped(text) }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so an id can hold any
    /// character (`/`, `?`, `&`, spaces, non-ASCII) without changing the route.
    static func escaped(_ text: String) -> String {
        let unreserved = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
        }
        if unreserved { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension RESTBinding {
    /// The typed answer of a REST call: the response decoded from its JSON body, or the error
    /// the HTTP status and body stand for.
    ///
    /// - A body with a Clarifai status is believed whatever the HTTP status (Clarifai sends
    ///   401 with 11008, 404 with 11101, 200 with 10010 MIXED_STATUS, …); the caller turns
    ///   any status but SUCCESS into `ClarifaiStatusError`.
    /// - A non-2xx answer without one (a proxy's 502 page, an empty 503) maps like gRPC's
    ///   HTTP-status table: 401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED, 404 →
    ///   UNIMPLEMENTED, 429/502/503/504 → UNAVAILABLE (retried), others → UNKNOWN.
    /// - Fields the package does not know (a newer server's) are skipped, as JSON clients do.
    static func response<Response: ProtoMessage>(_ http: HTTP2Response, as type: Response.Type) throws(GRPCError) -> Response {
        let decoded = http.body.isEmpty ? nil : try? decode(Response.self, http.body)
        let isSuccess = (200..<300).contains(http.status)
        if let decoded, isSuccess || (decoded as? any ClarifaiResponse)?.status.map({ $0.code != .success }) == true {
            return decoded
        }
        guard isSuccess else {
            let snippet = String(decoding: http.body.prefix(200), as: UTF8.self)
            throw GRPCError(
                code: GRPCError.code(forHTTPStatus: http.status),
                message: "HTTP \(http.status) without a Clarifai status" + (snippet.isEmpty ? "" : ": \(snippet)"),
                headers: http.headers
            )
        }
        do {
            return try decode(Response.self, http.body)
        } catch {
            throw GRPCError(code: .internal, message: "undecodable \(Response.protoMessageName) JSON: \(error)", headers: http.headers)
        }
    }

    private static func decode<Response: ProtoMessage>(_ type: Response.Type, _ body: [UInt8]) throws -> Response {
        try JSONDecoding.$ignoresUnknownFields.withValue(true) { try Response(jsonUTF8: body) }
    }
}
