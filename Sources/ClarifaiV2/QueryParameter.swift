import ProtoWire

/// Why a REST call's body, query or path does not make a request of the method's type.
public struct RESTProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in words, naming the parameter or field (`query parameter page must be …`).
    public let description: String

    /// A problem described by `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// A field of a request in grpc-gateway's query form: repeated fields as repeated keys
/// (`input_ids=a&input_ids=b`), fields of messages by dotted path (`user_app_id.app_id`),
/// defaults left out. Servers match names loosely (`per_page`, `perPage`, `PER_PAGE`).
///
/// ```swift
/// QueryParameter<ListAnnotationsRequest>.uint32("per_page", \.perPage)
/// ```
public struct QueryParameter<Request: ProtoMessage>: Sendable {
    /// The `.proto` path clients send.
    public let name: String
    /// Other names servers accept for it (`statuses` for `statuses.code`).
    public let aliases: [String]
    /// The values to send: none for a default, several for a repeated field.
    let values: @Sendable (Request) -> [String]
    /// Sets the field from every value given for it, in order.
    let apply: @Sendable (inout Request, _ name: String, _ values: [String]) throws(RESTProblem) -> Void

    /// A parameter named `name` (and `aliases`), with how to read its values from a request
    /// (none for a default) and how to set the field from the values a caller gave, in order;
    /// `apply` throws `RESTProblem` for a value the field cannot hold.
    public init(
        _ name: String, aliases: [String] = [],
        values: @escaping @Sendable (Request) -> [String],
        apply: @escaping @Sendable (inout Request, _ name: String, _ values: [String]) throws(RESTProblem) -> Void
    ) {
        self.name = name
        self.aliases = aliases
        self.values = values
        self.apply = apply
    }

    /// Whether a query key given by a caller means this parameter.
    func matches(normalizedName: String) -> Bool {
        QueryParameter.normalized(name) == normalizedName
            || aliases.contains { QueryParameter.normalized($0) == normalizedName }
    }

    /// `per_page`, `perPage` and `PER_PAGE` are one parameter.
    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" })
    }

    /// A repeated string field: one `name=value` per element; every given value, in order, back.
    public static func strings(_ name: String, _ field: WritableKeyPath<Request, [String]> & Sendable) -> Self {
        Self(name, values: { $0[keyPath: field] }, apply: { request, _, values in request[keyPath: field] = values })
    }

    /// A string field: sent unless empty; the last given value wins.
    public static func string(_ name: String, _ field: WritableKeyPath<Request, String> & Sendable) -> Self {
        Self(name, values: { $0[keyPath: field].isEmpty ? [] : [$0[keyPath: field]] }) { request, _, values in
            request[keyPath: field] = values.last ?? ""
        }
    }

    /// A string field reached through a `RequestField` (a nested one, say): sent unless empty;
    /// the last given value wins.
    public static func field(_ field: RequestField<Request>) -> Self {
        Self(field.name, values: { field.get($0).isEmpty ? [] : [field.get($0)] }) { request, _, values in
            field.set(&request, values.last ?? "")
        }
    }

    /// A `uint32` field: sent unless 0; the last given value wins, and one that is not a decimal
    /// number in 0…4294967295 is a `RESTProblem`.
    public static func uint32(_ name: String, _ field: WritableKeyPath<Request, UInt32> & Sendable) -> Self {
        Self(name, values: { $0[keyPath: field] == 0 ? [] : [String($0[keyPath: field])] }) {
            request, given, values throws(RESTProblem) in
            guard let number = UInt32(values.last ?? "") else {
                throw RESTProblem(
                    "query parameter \(given) must be a whole number from 0 to \(UInt32.max), got '\((values.last ?? "").prefix(40))'"
                )
            }
            request[keyPath: field] = number
        }
    }

    /// A `bool` field: sent as `true` when set; `true`/`1` and `false`/`0`/empty (any case) read
    /// back, anything else is a `RESTProblem`.
    public static func bool(_ name: String, _ field: WritableKeyPath<Request, Bool> & Sendable) -> Self {
        Self(name, values: { $0[keyPath: field] ? ["true"] : [] }) { request, given, values throws(RESTProblem) in
            let value = values.last ?? ""
            switch value.lowercased() {
            case "true", "1": request[keyPath: field] = true
            case "false", "0", "": request[keyPath: field] = false
            default: throw RESTProblem("query parameter \(given) must be true or false, got '\(value.prefix(40))'")
            }
        }
    }

    /// A repeated `status.Status` filter given by code, as number or name (`statuses.code=ANNOTATION_SUCCESS`).
    public static func statuses(
        _ name: String, aliases: [String], _ field: WritableKeyPath<Request, [Status]> & Sendable
    ) -> Self {
        Self(name, aliases: aliases, values: { $0[keyPath: field].map { String($0.code.rawValue) } }) {
            request, given, values throws(RESTProblem) in
            request[keyPath: field] = try values.map { value throws(RESTProblem) in
                Status(code: try statusCode(given, value))
            }
        }
    }

    static func statusCode(_ name: String, _ value: String) throws(RESTProblem) -> StatusCode {
        if let number = Int32(value) { return StatusCode(rawValue: number) }
        if let code = StatusCode(name: value) { return code }
        throw RESTProblem("query parameter \(name) must be a status code name or number, got '\(value.prefix(40))'")
    }
}
