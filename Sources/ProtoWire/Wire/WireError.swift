/// A message that could not be decoded, with the path of the field at fault.
///
/// Prints as `Annotation.data.regions[0].region_info: truncated length`.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, independent of where. New reasons can be added without breaking users.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        public static let truncatedVarint = Reason("truncated varint")
        public static let truncatedLength = Reason("truncated length")
        public static let truncatedFixed = Reason("truncated fixed-width value")
        public static let malformedVarint = Reason("varint longer than 10 bytes")
        public static let lengthTooLarge = Reason("length over 2 GiB")
        public static let invalidFieldNumber = Reason("invalid field number")
        public static let invalidWireType = Reason("invalid wire type")
        public static let groupNotSupported = Reason("group wire type not supported")
        public static let invalidUTF8 = Reason("invalid UTF-8 in string")
        public static let nestingTooDeep = Reason("nesting deeper than 100")
        public static let malformedPacked = Reason("packed length not a multiple of the element size")
        public static func wireTypeMismatch(expected: WireType, found: WireType) -> Reason {
            Reason("wire type \(found.rawValue) where \(expected.rawValue) was expected")
        }
    }

    public let reason: Reason
    /// Path components from the innermost outwards; kept reversed so that prepending is cheap.
    private var reversedPath: [String] = []

    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// The field path, e.g. `Annotation.data.regions[0].region_info`.
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

    /// The same error one level further out: `component` is a field name or `[index]`.
    @usableFromInline
    func prepending(_ component: String) -> WireError {
        var copy = self
        copy.reversedPath.append(component)
        return copy
    }
}
