import ProtoWire

/// One call in Clarifai's REST form: verb, path with its query (percent-encoded), and the JSON
/// body (empty when the binding has none).
public struct RESTCall: Sendable, Equatable {
    /// The HTTP method: `GET`, `POST`, `PATCH` or `DELETE`.
    public var verb: String
    /// The expanded path, percent-encoded, with the query string when the call has one.
    public var path: String
    /// The request as JSON (UTF-8) without the fields the path holds; empty for a body-less call.
    public var body: [UInt8]

    /// A call from its parts.
    public init(verb: String, path: String, body: [UInt8]) {
        self.verb = verb
        self.path = path
        self.body = body
    }
}

/// A method's `google.api.http` option: its verb, its path templates (the official binding and
/// its `additional_bindings`, in order), whether the body is the request (`body: "*"`) or there
/// is none (the request's fields then travel in the query), and the fields the query can carry.
///
/// Clients build a call with ``call(for:)``; servers read one back with
/// ``request(body:query:pathValues:)``.
///
/// ```swift
/// let call = try V2.listAnnotations.http.call(for: request)
/// // GET /v2/users/me/apps/my-app/annotations?per_page=20
/// ```
public struct HTTPRule<Request: ProtoMessage>: Sendable {
    /// Where the request's fields go when they are not in the path: the JSON body or the query.
    public enum Body: Sendable {
        /// `body: "*"`: the request, without the fields the path holds, is the JSON body.
        case request
        /// No body: the request's other fields go in the query.
        case none
    }

    /// One path template, and when a client should choose it (nil: whenever its variables are set).
    public struct Binding: Sendable {
        /// The path, with `{field.path}` variables.
        public let template: PathTemplate
        let applies: (@Sendable (Request) -> Bool)?

        /// A binding of `template` (parsed as a `PathTemplate`), chosen only when `applies` says so for
        /// the request (nil: whenever its variables are set).
        public init(_ template: String, when applies: (@Sendable (Request) -> Bool)? = nil) {
            self.template = PathTemplate(template)
            self.applies = applies
        }
    }

    /// The HTTP method of every binding: `GET`, `POST`, `PATCH` or `DELETE`.
    public let verb: String
    /// Whether the request is the body (`.request`) or its fields go in the query (`.none`).
    public let body: Body
    /// The path templates, the official binding first, then `additional_bindings` in order.
    public let bindings: [Binding]
    /// The fields the templates' variables name.
    let fields: [RequestField<Request>]
    /// The fields a body-less call carries in its query (empty when the request is the body).
    public let query: [QueryParameter<Request>]

    /// A rule from its parts: the verb, where the body goes, the bindings in order of preference,
    /// the fields their variables name, and the query parameters (none by default).
    public init(
        _ verb: String, body: Body, _ bindings: [Binding], fields: [RequestField<Request>],
        query: [QueryParameter<Request>] = []
    ) {
        self.verb = verb
        self.body = body
        self.bindings = bindings
        self.fields = fields
        self.query = query
    }

    /// The REST form of `request`: the first binding that applies and whose variables are all
    /// set; the fields it puts in the path leave the body or query.
    ///
    /// Throws when no binding fits (a variable that must be in the path is empty: every path of
    /// PatchAnnotationsStatus names the user and the app).
    public func call(for request: Request) throws(Violation) -> RESTCall {
        for binding in bindings where binding.applies?(request) ?? true {
            guard let path = binding.template.expand({ name in field(name)?.get(request) ?? "" }) else { continue }
            var rest = request
            for name in binding.template.variables { field(name)?.set(&rest, "") }
            switch body {
            case .request:
                return RESTCall(verb: verb, path: path, body: rest.jsonUTF8())
            case .none:
                let items = query.flatMap { parameter in
                    parameter.values(rest).map { (name: parameter.name, value: $0) }
                }
                return RESTCall(verb: verb, path: path + PercentEncoding.queryString(items), body: [])
            }
        }
        // The empty variable every binding needs (`input_id`), else the first empty one (`user_app_id.user_id`).
        let empty = bindings.flatMap(\.template.variables).filter { (field($0)?.get(request) ?? "").isEmpty }
        let name =
            empty.first { name in bindings.allSatisfy { $0.template.variables.contains(name) } } ?? empty.first ?? ""
        throw Violation(name, "must not be empty: every REST path of this call holds it")
    }

    /// The request a REST call stands for: the JSON body (empty or blank: a default request),
    /// then the query parameters this rule knows (others are ignored; a repeated field given in
    /// the query replaces the body's), then the path's variables, which win.
    public func request(
        body: [UInt8], query: [(name: String, value: String)], pathValues: [String: String]
    ) throws(RESTProblem) -> Request {
        var request = try Self.decode(body)
        if !query.isEmpty {
            var given: [(parameter: Int, name: String, values: [String])] = []
            for (name, value) in query {
                let normalized = QueryParameter<Request>.normalized(name)
                guard let index = self.query.firstIndex(where: { $0.matches(normalizedName: normalized) }) else {
                    continue
                }
                if let slot = given.firstIndex(where: { $0.parameter == index }) {
                    given[slot].values.append(value)
                } else {
                    given.append((index, name, [value]))
                }
            }
            for (index, name, values) in given { try self.query[index].apply(&request, name, values) }
        }
        for (name, value) in pathValues.sorted(by: { $0.key < $1.key }) {
            field(name)?.set(&request, value)
        }
        return request
    }

    private func field(_ name: String) -> RequestField<Request>? {
        fields.first { $0.name == name }
    }

    private static func decode(_ body: [UInt8]) throws(RESTProblem) -> Request {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return Request() }
        do {
            return try Request(jsonUTF8: body)
        } catch {
            throw RESTProblem("the body is not a valid \(Request.protoMessageName) in JSON: \(error)")
        }
    }
}
