import ClarifaiV2
import ProtoWire

/// The store logic of one method of the contract (``V2``): how the emulator answers it, with
/// one response (unary) or the messages of a stream (server streaming).
struct MethodHandler: Sendable {
    let method: any AnyV2Method
    let run: @Sendable (AnnotationStore, any ProtoMessage, Authorization, InjectedFault?) -> [any V2Response]

    init<Request, Response>(
        _ method: V2Method<Request, Response>,
        _ body: @escaping @Sendable (AnnotationStore, Request, Authorization, InjectedFault?) -> Response
    ) {
        self.init(method, stream: { [body($0, $1, $2, $3)] })
    }

    init<Request, Response>(
        _ method: V2Method<Request, Response>,
        stream body: @escaping @Sendable (AnnotationStore, Request, Authorization, InjectedFault?) -> [Response]
    ) {
        self.method = method
        run = { store, request, auth, fault in
            guard let request = request as? Request else {
                return [
                    method.response(
                        status: store.stamped(
                            Status.make(
                                .connBadRequestFormat,
                                "\(method.name) takes a \(Request.protoMessageName), not a \(type(of: request).protoMessageName)",
                                details: "request type"
                            )))
                ]
            }
            return body(store, request, auth, fault)
        }
    }

    var isStreaming: Bool { method.kind == .serverStreaming }
}

extension AnnotationStore {
    /// Every method the emulator serves, with its store logic: adding a method to the emulator
    /// is one line here (after its entry in ``V2``).
    static let handlers: [String: MethodHandler] = Dictionary(
        uniqueKeysWithValues: [
            MethodHandler(V2.postAnnotations) { $0.post($1, auth: $2, fault: $3) },
            MethodHandler(V2.listAnnotations) { $0.list($1, auth: $2, fault: $3) },
            MethodHandler(V2.getAnnotation) { $0.get($1, auth: $2, fault: $3) },
            MethodHandler(V2.patchAnnotations) { $0.patch($1, auth: $2, fault: $3) },
            MethodHandler(V2.deleteAnnotation) { $0.delete($1, auth: $2, fault: $3) },
            MethodHandler(V2.deleteAnnotations) { $0.delete($1, auth: $2, fault: $3) },
            MethodHandler(V2.streamAnnotations, stream: { $0.stream($1, auth: $2, fault: $3) }),
            MethodHandler(V2.patchAnnotationsStatus) { $0.patchStatus($1, auth: $2, fault: $3) },
            MethodHandler(V2.listAnnotationWorkers) { $0.listWorkers($1, auth: $2, fault: $3) },
            MethodHandler(V2.getTaskAnnotationCount) { $0.taskCount($1, auth: $2, fault: $3) },
        ].map { ($0.method.name, $0) })

    /// The served method of a bare name or gRPC path, nil for any other.
    static func handler(named name: String) -> MethodHandler? {
        V2.method(named: name).flatMap { handlers[$0.name] }
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
    /// Returns the response message (of a streaming method: the first message, nil when it
    /// streams none; see ``handleStream(method:request:authorization:fault:)``), or nil when
    /// `method` is not one the emulator serves. A request of another type than the method's is
    /// answered with CONN_BAD_REQUEST_FORMAT.
    public func handle(
        method: String, request: any ProtoMessage, authorization: String?, fault: InjectedFault? = nil
    ) -> (any ProtoMessage)? {
        handleStream(method: method, request: request, authorization: authorization, fault: fault)?.first
    }

    /// Every message of one call (one for a unary method), or nil when `method` is not one the
    /// emulator serves.
    public func handleStream(
        method: String, request: any ProtoMessage, authorization: String?, fault: InjectedFault? = nil
    ) -> [any ProtoMessage]? {
        guard let handler = Self.handler(named: method) else { return nil }
        return handler.run(self, request, Authorization(headerValue: authorization), fault)
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
        let call = grpcStreamCall(
            method: method, requestBytes: requestBytes, authorization: authorization, fault: fault)
        guard let responses = call.responses else { return (([], call.grpcStatus, call.grpcMessage), nil) }
        return ((responses.first?.serializedBytes() ?? [], GRPCStatusCode.ok, ""), call.statusCode)
    }

    /// One gRPC call's response messages (nil, with the gRPC status, for a method not served),
    /// whether the method streams, and the Clarifai status code for the call log: the first
    /// message's, SUCCESS for a stream of none.
    func grpcStreamCall(
        method: String, requestBytes: [UInt8], authorization: String?, fault: InjectedFault?
    ) -> (
        responses: [any V2Response]?, streaming: Bool, grpcStatus: Int32, grpcMessage: String, statusCode: StatusCode?
    ) {
        guard let handler = Self.handler(named: method) else {
            return (nil, false, GRPCStatusCode.unimplemented, "Method not found: \(method)", nil)
        }
        let known = handler.method
        let auth = Authorization(headerValue: authorization)
        let responses: [any V2Response]
        if let refused = authenticationFailure(auth) {
            responses = [known.response(status: stamped(refused))]
        } else {
            do {
                let request = try Self.decode(known.requestType, requestBytes)
                responses = handler.run(self, request, auth, fault)
            } catch {
                responses = [
                    known.response(
                        status: stamped(
                            Status.make(
                                .connBadRequestFormat,
                                "Bad request format: the \(known.name) request is not a valid \(known.requestType.protoMessageName): \(error)",
                                details: "\(error)"
                            )))
                ]
            }
        }
        let code = responses.isEmpty ? .success : responses[0].status?.code
        return (responses, handler.isStreaming, GRPCStatusCode.ok, "", code)
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
        guard let handler = Self.handler(named: method) else {
            var response = BaseResponse()
            response.status = stamped(
                Status.make(.connDoesNotExist, "Resource does not exist: no method '\(method)'", details: method))
            return (response.jsonUTF8(), 404, .connDoesNotExist)
        }
        let responses = jsonCall(
            handler, body: body, query: query, pathParameters: pathParameters, authorization: authorization,
            fault: fault)
        if handler.isStreaming {
            return (responses.flatMap(Self.streamLine), 200, responses.first?.status?.code ?? .success)
        }
        return Self.unaryReply(responses)
    }

    /// The REST answer of a unary call's response.
    static func unaryReply(_ responses: [any V2Response]) -> JSONReply {
        let code = responses.first?.status?.code ?? .zero
        return (responses.first?.jsonUTF8() ?? [], httpStatus(for: code), code)
    }

    /// The responses of one REST call: one for a unary method, the messages of a stream.
    func jsonCall(
        _ handler: MethodHandler, body: [UInt8], query: [(name: String, value: String)],
        pathParameters: [String: String], authorization: String?, fault: InjectedFault?
    ) -> [any V2Response] {
        let known = handler.method
        let auth = Authorization(headerValue: authorization)
        if let refused = authenticationFailure(auth) { return [known.response(status: stamped(refused))] }
        do throws(RESTProblem) {
            let request = try known.restRequest(body: body, query: query, pathValues: Self.pathValues(pathParameters))
            return handler.run(self, request, auth, fault)
        } catch {
            return [
                known.response(
                    status: stamped(
                        Status.make(
                            .connBadRequestFormat, "Bad request format: \(error.description)",
                            details: error.description
                        )))
            ]
        }
    }

    /// One message of a stream over REST as grpc-gateway writes it: a `{"result": …}` object on
    /// its own line (HTTP 200 even for a refusal, whose status is in its message).
    static func streamLine(_ response: any V2Response) -> [UInt8] {
        Array(#"{"result":"#.utf8) + response.jsonUTF8() + Array("}\n".utf8)
    }

    /// Path variables by their `.proto` paths (`user_app_id.user_id`); the short names
    /// `user_id` and `app_id` are accepted too.
    private static func pathValues(_ parameters: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in parameters {
            switch name {
            case "user_id": values["user_app_id.user_id"] = value
            case "app_id": values["user_app_id.app_id"] = value
            default: values[name] = value
            }
        }
        return values
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
