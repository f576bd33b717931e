/// JSON that is not valid, or does not fit the message, with the path of the field at fault.
///
/// Prints as `Annotation.data.concepts[1].value: expected a number`.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, independent of where.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// An object member whose key names no field of the message (strict decoding only).
        public static let unknownField = Reason("unknown field")
        /// Objects and arrays nested more than 100 deep, refused before the parser's stack runs out.
        public static let nestingTooDeep = Reason("nesting deeper than 100")
        /// A bytes value that is not standard or URL-safe base64.
        public static let invalidBase64 = Reason("invalid base64")
        /// A value for a field this package keeps only in binary form (a message it does not model).
        public static let notModelled = Reason("field type not modelled by this package (binary only)")
        /// A `google.protobuf.Timestamp` string that is not an RFC 3339 time (`2024-01-31T12:00:00Z`).
        public static let invalidTimestamp = Reason("invalid RFC 3339 timestamp")
        /// Text that is not JSON: what was wrong and the byte offset, from 0, where the parser saw it.
        public static func syntax(_ detail: String, offset: Int) -> Reason {
            Reason("invalid JSON at byte \(offset): \(detail)")
        }
        /// A value of the wrong JSON type: `what` says what the field needs, e.g. `a string`.
        public static func expected(_ what: String) -> Reason { Reason("expected \(what)") }
        /// A number that does not fit the field's type, named in `type` (`int32`, `float`, …).
        public static func outOfRange(_ type: String) -> Reason { Reason("number out of range for \(type)") }
        /// An enum given by a name the enum does not have (numbers are accepted as they are).
        public static func unknownEnumName(_ name: String) -> Reason { Reason("unknown enum value name \"\(name)\"") }
        /// A value the proto3 JSON mapping has no form for (a timestamp out of range, NaN in a Value).
        public static func notRepresentable(_ what: String) -> Reason { Reason("\(what) cannot be written as JSON") }
        /// Two members of one oneof in the same object.
        public static func oneofTwice(_ name: String) -> Reason { Reason("more than one field of oneof \(name)") }
    }

    /// What was wrong, independent of where (compare with the `Reason` constants).
    public let reason: Reason
    private var reversedPath: [String] = []

    /// An error with this reason and an empty path; decoding prepends the field names on the way out.
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
