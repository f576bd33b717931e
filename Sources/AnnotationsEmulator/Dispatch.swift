import ProtoWire

/// The annotation RPCs of `clarifai.api.V2` the emulator serves, with their message types.
public enum EmulatorMethod: String, CaseIterable, Sendable {
    case postAnnotations = "PostAnnotations"
    case listAnnotations = "ListAnnotations"
    case getAnnotation = "GetAnnotation"
    case patchAnnotations = "PatchAnnotations"
    case deleteAnnotation = "DeleteAnnotation"
    case deleteAnnotations = "DeleteAnnotations"

    /// The gRPC service every method belongs to.
    public static let serviceName = "clarifai.api.V2"

    /// Accepts the bare method name (`PostAnnotations`) or the gRPC path
    /// (`/clarifai.api.V2/PostAnnotations`).
    public init?(name: String) {
        var bare = Substring(name)
        if let slash = name.lastIndex(of: "/") {
            let service = name[..<slash].drop { $0 == "/" }
            guard service.isEmpty || service == Self.serviceName else { return nil }
            bare = name[name.index(after: slash)...]
        }
        self.init(rawValue: String(bare))
    }

    /// `/clarifai.api.V2/<Method>`.
    public var grpcPath: String { "/\(Self.serviceName)/\(rawValue)" }

    public var requestType: any ProtoMessage.Type {
        switch self {
        case .postAnnotations: PostAnnotationsRequest.self
        case .listAnnotations: ListAnnotationsRequest.self
        case .getAnnotation: GetAnnotationRequest.self
        case .patchAnnotations: PatchAnnotationsRequest.self
        case .deleteAnnotation: DeleteAnnotationRequest.self
        case .deleteAnnotations: DeleteAnnotationsRequest.self
        }
    }

    public var responseType: any ProtoMessage.Type {
        switch self {
        case .postAnnotations, .listAnnotations, .patchAnnotations: MultiAnnotationResponse.self
        case .getAnnotation: SingleAnnotationResponse.self
        case .deleteAnnotation, .deleteAnnotations: BaseResponse.self
        }
    }

    /// A response of this method's type carrying only `status`.
    func response(status: Status) -> any ProtoMessage {
        switch self {
        case .postAnnotations, .listAnnotations, .patchAnnotations:
            var response = MultiAnnotationResponse()
            response.status = status
            return response
        case .getAnnotation:
            var response = SingleAnnotationResponse()
            response.status = status
            return response
        case .deleteAnnotation, .deleteAnnotations:
            var response = BaseResponse()
            response.status = status
            return response
        }
    }
}

/// gRPC status codes the dispatcher ends calls with (the `grpc-status` trailer).
public enum GRPCStatusCode {
    public static let ok: Int32 = 0
    public static let invalidArgument: Int32 = 3
    public static let unimplemented: Int32 = 12
}

/// What the gRPC side sends back for one call: the response message's bytes (without the
/// 5-byte gRPC prefix), and the `grpc-status` / `grpc-message` trailers.
public typealias GRPCReply = (responseBytes: [UInt8], grpcStatus: Int32, grpcMessage: String)

/// What the REST side sends back for one call: the response in Clarifai's JSON shape, and
/// the HTTP status (see ``AnnotationStore/httpStatus(for:)``).
public typealias JSONReply = (body: [UInt8], httpStatus: Int, statusCode: StatusCode)

extension AnnotationStore {
    // MARK: - One path for every transport

    /// Runs one call with an already-decoded request: the path both ``handle(method:requestBytes:authorization:fault:)``
    /// (gRPC) and ``handleJSON(method:body:query:pathParameters:authorization:fault:)`` (REST)
    /// take.
    ///
    /// Returns the response message, or nil when `method` is not one of ``EmulatorMethod``.
    /// A request of another type than the method's is answered with CONN_BAD_REQUEST_FORMAT.
    public func handle(
        method: String, request: any ProtoMessage, authorization: String?, fault: InjectedFault? = nil
    ) -> (any ProtoMessage)? {
        guard let known = EmulatorMethod(name: method) else { return nil }
        return handle(known, request: request, auth: Authorization(headerValue: authorization), fault: fault)
    }

    func handle(_ method: EmulatorMethod, request: any ProtoMessage, auth: Authorization, fault: InjectedFault?) -> any ProtoMessage {
        switch (method, request) {
        case (.postAnnotations, let request as PostAnnotationsRequest): return post(request, auth: auth, fault: fault)
        case (.listAnnotations, let request as ListAnnotationsRequest): return list(request, auth: auth, fault: fault)
        case (.getAnnotation, let request as GetAnnotationRequest): return get(request, auth: auth, fault: fault)
        case (.patchAnnotations, let request as PatchAnnotationsRequest): return patch(request, auth: auth, fault: fault)
        case (.deleteAnnotation, let request as DeleteAnnotationRequest): return delete(request, auth: auth, fault: fault)
        case (.deleteAnnotations, let request as DeleteAnnotationsRequest): return delete(request, auth: auth, fault: fault)
        default:
            return method.response(status: stamped(Status.make(
                .connBadRequestFormat,
                "\(method.rawValue) takes a \(method.requestType.protoMessageName), not a \(type(of: request).protoMessageName)",
                details: "request type"
            )))
        }
    }

    // MARK: - gRPC

    /// Handles one gRPC call of `clarifai.api.V2`: `method` is the method name
    /// (`PostAnnotations`) or the path (`/clarifai.api.V2/PostAnnotations`), `requestBytes` the
    /// request message (without the 5-byte gRPC prefix), `authorization` the value of the
    /// `authorization` metadata entry, `fault` what the `x-emulator-fault` entry asks for.
    ///
    /// - An unknown method ends with gRPC UNIMPLEMENTED (12) and no message, as grpc servers
    ///   answer methods they do not have.
    /// - Otherwise the call ends with gRPC OK and a response message; every problem is a
    ///   Clarifai status in it: authentication first (CONN_KEY_INVALID 11008), then a request
    ///   that does not decode as the method's request type: **CONN_BAD_REQUEST_FORMAT (11100)**,
    ///   the description naming the method, the type and the wire error. (Chosen over ending
    ///   the call with gRPC INVALID_ARGUMENT: clients of Clarifai look at the status in the
    ///   response, and the description reaches them that way.)
    public func handle(
        method: String, requestBytes: [UInt8], authorization: String?, fault: InjectedFault? = nil
    ) -> GRPCReply {
        grpcCall(method: method, requestBytes: requestBytes, authorization: authorization, fault: fault).reply
    }

    /// ``handle(method:requestBytes:authorization:fault:)``, with the Clarifai status code of the
    /// response (nil when the call ends with a gRPC status of its own), for the call log.
    func grpcCall(
        method: String, requestBytes: [UInt8], authorization: String?, fault: InjectedFault?
    ) -> (reply: GRPCReply, statusCode: StatusCode?) {
        guard let known = EmulatorMethod(name: method) else {
            return (([], GRPCStatusCode.unimplemented, "Method not found: \(method)"), nil)
        }
        let auth = Authorization(headerValue: authorization)
        let response: any ProtoMessage
        if let refused = authenticationFailure(auth) {
            response = known.response(status: stamped(refused))
        } else {
            do {
                let request = try Self.decode(known.requestType, requestBytes)
                response = handle(known, request: request, auth: auth, fault: fault)
            } catch {
                response = known.response(status: stamped(Status.make(
                    .connBadRequestFormat,
                    "Bad request format: the \(known.rawValue) request is not a valid \(known.requestType.protoMessageName): \(error)",
                    details: "\(error)"
                )))
            }
        }
        return ((response.serializedBytes(), GRPCStatusCode.ok, ""), Self.statusCode(of: response))
    }

    private static func decode<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) throws -> any ProtoMessage {
        try M(serializedBytes: bytes)
    }

    // MARK: - REST (JSON)

    /// Handles one REST call: the server maps the HTTP route to `method` (e.g.
    /// `GET /v2/annotations` → `ListAnnotations`, `DELETE /v2/inputs/{input_id}/annotations/{annotation_id}`
    /// → `DeleteAnnotation`) and passes the rest.
    ///
    /// - `body`: the JSON request body, or empty (GET, or a DELETE of one annotation). Field
    ///   names in `.proto` or lowerCamelCase form, enums by name or number.
    /// - `query`: the query parameters in order, decoded (percent-escapes and `+` resolved);
    ///   a repeated field is given by repeating its parameter (`input_ids=a&input_ids=b`).
    ///   Understood: `page`, `per_page`, `ids`, `input_ids`, `user_ids`,
    ///   `model_version_ids`, `workflow_version_ids`, `statuses` / `statuses.code` (name or
    ///   number), `task_id`, `list_all_annotations`, `return_model_output` (`true`/`false`/
    ///   `1`/`0`), `input_id`, `annotation_id`, `action`, `delete_if_empty_data`,
    ///   `user_app_id.user_id`, `user_app_id.app_id` — each where the method's request has
    ///   that field; lowerCamelCase spellings too. Other parameters are ignored.
    /// - `pathParameters`: the route's variables: `user_id`, `app_id` (from
    ///   `/v2/users/{user_id}/apps/{app_id}/…`), `input_id`, `annotation_id`; they win over
    ///   the body and the query.
    ///
    /// A body that is not JSON of the request type, or a query value of the wrong kind:
    /// CONN_BAD_REQUEST_FORMAT (11100), HTTP 400. An unknown method: CONN_DOES_NOT_EXIST,
    /// HTTP 404. Authentication is checked first, as for gRPC.
    public func handleJSON(
        method: String, body: [UInt8], query: [(name: String, value: String)] = [],
        pathParameters: [String: String] = [:], authorization: String?, fault: InjectedFault? = nil
    ) -> JSONReply {
        guard let known = EmulatorMethod(name: method) else {
            var response = BaseResponse()
            response.status = stamped(Status.make(.connDoesNotExist, "Resource does not exist: no method '\(method)'", details: method))
            return (response.jsonUTF8(), 404, .connDoesNotExist)
        }
        let auth = Authorization(headerValue: authorization)
        let response: any ProtoMessage
        if let refused = authenticationFailure(auth) {
            response = known.response(status: stamped(refused))
        } else {
            do {
                var request = try RESTRequest.decode(known.requestType, body: body)
                try RESTRequest.apply(query: query, to: &request)
                RESTRequest.apply(pathParameters: pathParameters, to: &request)
                response = handle(known, request: request, auth: auth, fault: fault)
            } catch let problem as RESTRequest.Problem {
                response = known.response(status: stamped(Status.make(
                    .connBadRequestFormat, "Bad request format: \(problem.description)", details: problem.description
                )))
            } catch {
                response = known.response(status: stamped(Status.make(
                    .connBadRequestFormat, "Bad request format: \(error)", details: "\(error)"
                )))
            }
        }
        let code = Self.statusCode(of: response)
        return (response.jsonUTF8(), Self.httpStatus(for: code), code)
    }

    static func statusCode(of response: any ProtoMessage) -> StatusCode {
        switch response {
        case let response as MultiAnnotationResponse: response.status?.code ?? .zero
        case let response as SingleAnnotationResponse: response.status?.code ?? .zero
        case let response as BaseResponse: response.status?.code ?? .zero
        default: .zero
        }
    }

    /// The HTTP status of a REST response with this Clarifai status code: 200 for SUCCESS and
    /// MIXED_STATUS (the body tells which items failed), 401 CONN_KEY_INVALID, 404
    /// CONN_DOES_NOT_EXIST, 429 CONN_THROTTLED, 503 TRY_AGAIN, 400 for the other failures.
    public static func httpStatus(for code: StatusCode) -> Int {
        switch code {
        case .success, .mixedStatus: 200
        case .connKeyInvalid, .connKeyNotFound, .connCredentialsInvalid: 401
        case .connInsufficientScopes: 403
        case .connDoesNotExist: 404
        case .connThrottled, .connExceedHourlyLimit, .connExceedMonthlyLimit: 429
        case .tryAgain: 503
        default: 400
        }
    }
}

/// Building a request from a REST call's body, query and path.
enum RESTRequest {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func decode(_ type: any ProtoMessage.Type, body: [UInt8]) throws -> any ProtoMessage {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return type.init() }
        do {
            return try decodeJSON(type, body)
        } catch {
            throw Problem(description: "the body is not a valid \(type.protoMessageName) in JSON: \(error)")
        }
    }

    private static func decodeJSON<M: ProtoMessage>(_ type: M.Type, _ body: [UInt8]) throws -> any ProtoMessage {
        try M(jsonUTF8: body)
    }

    /// `per_page`, `perPage` and `PER_PAGE` are one parameter.
    private static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" })
    }

    static func apply(query: [(name: String, value: String)], to request: inout any ProtoMessage) throws {
        guard !query.isEmpty else { return }
        // Repeated fields given in the query replace the body's; values accumulate in order.
        var started = Set<String>()
        func strings(_ key: String, _ value: String, _ list: inout [String]) {
            if started.insert(key).inserted { list = [] }
            list.append(value)
        }
        for (rawName, value) in query {
            let name = normalized(rawName)
            switch request {
            case var list as ListAnnotationsRequest:
                switch name {
                case "page": list.page = try uint32(rawName, value)
                case "perpage": list.perPage = try uint32(rawName, value)
                case "ids": strings(name, value, &list.ids)
                case "inputids": strings(name, value, &list.inputIDs)
                case "userids": strings(name, value, &list.userIDs)
                case "modelversionids": strings(name, value, &list.modelVersionIDs)
                case "workflowversionids": strings(name, value, &list.workflowVersionIDs)
                case "statuses", "statuses.code", "statusescode":
                    if started.insert("statuses").inserted { list.statuses = [] }
                    list.statuses.append(Status(code: try statusCode(rawName, value)))
                case "taskid": list.taskID = value
                case "listallannotations": list.listAllAnnotations = try bool(rawName, value)
                case "returnmodeloutput": list.returnModelOutput = try bool(rawName, value)
                default: applyUserAppID(name, value, &list.userAppID)
                }
                request = list
            case var get as GetAnnotationRequest:
                switch name {
                case "inputid": get.inputID = value
                case "annotationid": get.annotationID = value
                default: applyUserAppID(name, value, &get.userAppID)
                }
                request = get
            case var delete as DeleteAnnotationRequest:
                switch name {
                case "inputid": delete.inputID = value
                case "annotationid": delete.annotationID = value
                default: applyUserAppID(name, value, &delete.userAppID)
                }
                request = delete
            case var delete as DeleteAnnotationsRequest:
                switch name {
                case "ids": strings(name, value, &delete.ids)
                case "inputids": strings(name, value, &delete.inputIDs)
                default: applyUserAppID(name, value, &delete.userAppID)
                }
                request = delete
            case var patch as PatchAnnotationsRequest:
                switch name {
                case "action": patch.action = value
                case "deleteifemptydata": patch.deleteIfEmptyData = try bool(rawName, value)
                default: applyUserAppID(name, value, &patch.userAppID)
                }
                request = patch
            case var post as PostAnnotationsRequest:
                applyUserAppID(name, value, &post.userAppID)
                request = post
            default:
                return
            }
        }
    }

    private static func applyUserAppID(_ name: String, _ value: String, _ ids: inout UserAppIDSet?) {
        switch name {
        case "userappid.userid": ids = with(ids ?? UserAppIDSet()) { $0.userID = value }
        case "userappid.appid": ids = with(ids ?? UserAppIDSet()) { $0.appID = value }
        default: break  // not a field of this request: ignored
        }
    }

    static func apply(pathParameters: [String: String], to request: inout any ProtoMessage) {
        guard !pathParameters.isEmpty else { return }
        func ids(_ current: UserAppIDSet?) -> UserAppIDSet? {
            guard pathParameters["user_id"] != nil || pathParameters["app_id"] != nil else { return current }
            var ids = current ?? UserAppIDSet()
            if let user = pathParameters["user_id"] { ids.userID = user }
            if let app = pathParameters["app_id"] { ids.appID = app }
            return ids
        }
        switch request {
        case var post as PostAnnotationsRequest:
            post.userAppID = ids(post.userAppID)
            request = post
        case var list as ListAnnotationsRequest:
            list.userAppID = ids(list.userAppID)
            request = list
        case var patch as PatchAnnotationsRequest:
            patch.userAppID = ids(patch.userAppID)
            request = patch
        case var delete as DeleteAnnotationsRequest:
            delete.userAppID = ids(delete.userAppID)
            request = delete
        case var get as GetAnnotationRequest:
            get.userAppID = ids(get.userAppID)
            if let input = pathParameters["input_id"] { get.inputID = input }
            if let annotation = pathParameters["annotation_id"] { get.annotationID = annotation }
            request = get
        case var delete as DeleteAnnotationRequest:
            delete.userAppID = ids(delete.userAppID)
            if let input = pathParameters["input_id"] { delete.inputID = input }
            if let annotation = pathParameters["annotation_id"] { delete.annotationID = annotation }
            request = delete
        default:
            break
        }
    }

    private static func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
        var value = value
        change(&value)
        return value
    }

    private static func uint32(_ name: String, _ value: String) throws -> UInt32 {
        guard let number = UInt32(value) else {
            throw Problem(description: "query parameter \(name) must be a whole number from 0 to \(UInt32.max), got '\(value.prefix(40))'")
        }
        return number
    }

    private static func bool(_ name: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0", "": return false
        default: throw Problem(description: "query parameter \(name) must be true or false, got '\(value.prefix(40))'")
        }
    }

    private static func statusCode(_ name: String, _ value: String) throws -> StatusCode {
        if let number = Int32(value) { return StatusCode(rawValue: number) }
        if let code = StatusCode(name: value) { return code }
        throw Problem(description: "query parameter \(name) must be a status code name or number, got '\(value.prefix(40))'")
    }
}
