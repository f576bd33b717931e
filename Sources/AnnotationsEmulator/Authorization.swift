/// The credentials of one call: the value of its `authorization` header (REST) or metadata
/// entry (gRPC), exactly as received.
///
/// Clarifai authenticates with `authorization: Key <API key or PAT>`. The store accepts a call
/// when the value is `Key ` (the scheme in any letter case) followed by a non-empty key — and,
/// when the store was created with `AnnotationStore(apiKey:)`, when that key is exactly the
/// configured one. Anything else is answered with status CONN_KEY_INVALID (11008) and a
/// description of what was wrong; the call itself still succeeds at the gRPC level, as
/// Clarifai's does.
///
/// ```swift
/// let auth = Authorization(headerValue: "Key 0123abcd")
/// let response = store.list(ListAnnotationsRequest(), auth: auth)
/// ```
public struct Authorization: Sendable, Hashable {
    /// The header value as received; nil when the call carried none.
    public var headerValue: String?

    public init(headerValue: String?) {
        self.headerValue = headerValue
    }

    /// `authorization: Key <key>`.
    public static func key(_ key: String) -> Authorization {
        Authorization(headerValue: "Key \(key)")
    }

    /// A call without an `authorization` header.
    public static let none = Authorization(headerValue: nil)

    /// The key of a well-formed `Key <key>` value (surrounding spaces trimmed), else nil.
    public var key: String? {
        guard case .key(let key) = parsed else { return nil }
        return key
    }

    enum Parsed: Equatable {
        case missing
        /// Another scheme (`Bearer …`), or nil when the value is a single word (never echoed: it
        /// may be a key sent without its scheme).
        case wrongScheme(String?)
        case emptyKey
        case key(String)
    }

    var parsed: Parsed {
        guard let value = headerValue else { return .missing }
        let trimmed = value.trimmingSpaces()
        if trimmed.isEmpty { return .missing }
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let scheme = String(parts[0])
        guard scheme.lowercased() == "key" else { return .wrongScheme(parts.count > 1 ? scheme : nil) }
        let key = parts.count > 1 ? String(parts[1]).trimmingSpaces() : ""
        return key.isEmpty ? .emptyKey : .key(key)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
