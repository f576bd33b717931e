/// JSON that is not valid, or does not fit the message, with the path of the field at fault.
///
/// Prints as `Annotation.data.concepts[1].value: expected a number`.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, independent of where.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        public static let unknownField = Reason("unknown field")
        public static let nestingTooDeep = Reason("nesting deeper than 100")
        public static let invalidBase64 = Reason("invalid base64")
        public static let notModelled = Reason("field type not modelled by this package (binary only)")
        public static let invalidTimestamp = Reason("invalid RFC 3339 timestamp")
        public static func syntax(_ detail: String, offset: Int) -> Reason {
            Reason("invalid JSON at byte \(offset): \(detail)")
        }
        public static func expected(_ what: String) -> Reason { Reason("expected \(what)") }
        public static func outOfRange(_ type: String) -> Reason { Reason("number out of range for \(type)") }
        public static func unknownEnumName(_ name: String) -> Reason { Reason("unknown enum value name \"\(name)\"") }
        /// A value the proto3 JSON mapping has no form for (a timestamp out of range, NaN in a Value).
        public static func notRepresentable(_ what: String) -> Reason { Reason("\(what) cannot be written as JSON") }
        /// Two members of one oneof in the same object.
        public static func oneofTwice(_ name: String) -> Reason { Reason("more than one field of oneof \(name)") }
    }

    public let reason: Reason
    private var reversedPath: [String] = []

    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// The field path, e.g. `Annotation.data.concepts[1].value`.
    public var path: String {
        var text = ""
        for component in reversedPath.reversed() {
            if !text.isEmpty && !component.hasPrefix("[") { text += "." }
            text += component
        }
        return text
    }

    public var description: String {
        reversedPath.isEmpty ? reason.description : "\(path): \(reason)"
    }

    @usableFromInline
    func prepending(_ component: String) -> JSONError {
        var copy = self
        copy.reversedPath.append(component)
        return copy
    }
}
