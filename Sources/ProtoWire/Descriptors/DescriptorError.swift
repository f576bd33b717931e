/// A descriptor set that cannot be used: not decodable, or naming a type it does not hold.
///
/// Prints as `clarifai.api.Annotation.data: unresolved type .clarifai.api.Data`.
public struct DescriptorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong. New reasons can be added without breaking users.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// The bytes are not a `FileDescriptorSet`: the wire error that decoding them met.
        public static func malformed(_ error: WireError) -> Reason { Reason("not a FileDescriptorSet: \(error)") }
        /// A field names a message or enum type (`type_name`) that no file of the set defines.
        public static func unresolvedType(_ name: String) -> Reason { Reason("unresolved type \(name)") }
        /// A type asked for by name that the set does not hold.
        public static func unknownMessageType(_ name: String) -> Reason { Reason("no message type \(name) in the set") }
        /// Two definitions of one fully qualified name in the set.
        public static func duplicateName(_ name: String) -> Reason { Reason("\(name) is defined twice") }
        /// A field with number 0 or above 2^29 - 1, an unknown label, or a type descriptor.proto does not define.
        public static let invalidField = Reason("field with an invalid number, label, type or oneof index")
    }

    /// What was wrong, independent of where (compare with the `Reason` constants).
    public let reason: Reason
    /// The element at fault (`clarifai.api.Annotation.data`), or empty.
    public let path: String

    /// An error with this reason at `path` (a type or field's full name, or empty).
    public init(_ reason: Reason, path: String = "") {
        self.reason = reason
        self.path = path
    }

    public var description: String { path.isEmpty ? reason.description : "\(path): \(reason)" }
}
