import ProtoWire

/// How a method answers.
public enum V2CallKind: Sendable {
    /// One response message.
    case unary
    /// Response messages as they come (over REST: newline-delimited `{"result": …}` objects).
    case serverStreaming
}

/// One RPC of `clarifai.api.V2`, described once: its name and gRPC path, request and response
/// types, whether it streams, its REST binding, and the rules a request must follow. The client,
/// the emulator and the CLI all read it from ``V2``.
///
/// ```swift
/// let method = V2.getAnnotation
/// method.grpcPath                                   // "/clarifai.api.V2/GetAnnotation"
/// try method.http.call(for: request).path           // "/v2/inputs/in-1/annotations/a-1"
/// method.violation(in: GetAnnotationRequest())      // input_id: must not be empty
/// ```
public struct V2Method<Request: ProtoMessage, Response: V2Response>: Sendable {
    /// The RPC's name in `clarifai.api.V2`, e.g. `GetAnnotation`.
    public let name: String
    /// Unary, or server streaming.
    public let kind: V2CallKind
    /// Its `google.api.http` binding: how the request travels over REST.
    public let http: HTTPRule<Request>
    private let rules: @Sendable (Request) -> Violation?

    /// A method from its parts: the RPC's name, whether it streams (unary by default), its REST
    /// binding, and the rules a request must follow (none by default).
    public init(
        _ name: String, _ kind: V2CallKind = .unary, http: HTTPRule<Request>,
        rules: @escaping @Sendable (Request) -> Violation? = { _ in nil }
    ) {
        self.name = name
        self.kind = kind
        self.http = http
        self.rules = rules
    }

    /// `/clarifai.api.V2/<name>`.
    public var grpcPath: String { "/\(V2.serviceName)/\(name)" }

    /// The first rule `request` breaks, or nil.
    public func violation(in request: Request) -> Violation? { rules(request) }
}

/// A ``V2Method`` without its types, for tables and routers.
public protocol AnyV2Method: Sendable {
    /// The RPC's name in `clarifai.api.V2`, e.g. `GetAnnotation`.
    var name: String { get }
    /// Unary, or server streaming.
    var kind: V2CallKind { get }
    /// The gRPC path, `/clarifai.api.V2/<name>`.
    var grpcPath: String { get }
    /// The request message's type.
    var requestType: any ProtoMessage.Type { get }
    /// The response message's type.
    var responseType: any V2Response.Type { get }
    /// The verb of its REST binding (`GET`, `POST`, `PATCH`, `DELETE`).
    var restVerb: String { get }
    /// The path templates of its REST binding, the official one first.
    var restTemplates: [PathTemplate] { get }
    /// The binding's `body`: `*` when the request is the JSON body, empty when there is none.
    var restBody: String { get }
    /// A response of the method's type carrying only `status`.
    func response(status: Status) -> any V2Response
    /// A request read from its REST form (see ``HTTPRule/request(body:query:pathValues:)``).
    func restRequest(body: [UInt8], query: [(name: String, value: String)], pathValues: [String: String])
        throws(RESTProblem) -> any ProtoMessage
    /// The first rule the request breaks (a request of another type breaks the first rule of all).
    func violation(inAny request: any ProtoMessage) -> Violation?
}

extension V2Method: AnyV2Method {
    public var requestType: any ProtoMessage.Type { Request.self }
    public var responseType: any V2Response.Type { Response.self }
    public var restVerb: String { http.verb }
    public var restTemplates: [PathTemplate] { http.bindings.map(\.template) }
    public var restBody: String {
        switch http.body {
        case .request: "*"
        case .none: ""
        }
    }

    public func response(status: Status) -> any V2Response { Response(status: status) }

    public func restRequest(
        body: [UInt8], query: [(name: String, value: String)], pathValues: [String: String]
    ) throws(RESTProblem) -> any ProtoMessage {
        try http.request(body: body, query: query, pathValues: pathValues)
    }

    public func violation(inAny request: any ProtoMessage) -> Violation? {
        guard let request = request as? Request else {
            return Violation(
                "", "\(name) takes a \(Request.protoMessageName), not a \(type(of: request).protoMessageName)")
        }
        return rules(request)
    }
}
