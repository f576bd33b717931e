/// A descriptor set that cannot be used: not decodable, or naming a type it does not hold.
///
/// Prints as `clarifai.api.Annotation.data: unresolved type .clarifai.api.Data`.
public struct DescriptorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong. New reasons can be added without breaking users.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        public static func malformed(_ error: WireError) -> Reason { Reason("not a FileDescriptorSet: \(error)") }
        public static func unresolvedType(_ name: String) -> Reason { Reason("unresolved type \(name)") }
        public static func unknownMessageType(_ name: String) -> Reason { Reason("no message type \(name) in the set") }
        public static func duplicateName(_ name: String) -> Reason { Reason("\(name) is defined twice") }
        public static let invalidField = Reason("field with an invalid number, label or type")
    }

    public let reason: Reason
    /// The element at fault (`clarifai.api.Annotation.data`), or empty.
    public let path: String

    public init(_ reason: Reason, path: String = "") {
        self.reason = reason
        self.path = path
    }

    public var description: String { path.isEmpty ? reason.description : "\(path): \(reason)" }
}
