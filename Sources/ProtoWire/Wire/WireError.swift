/// A message that could not be decoded, with the path of the field at fault.
///
/// Prints as `Annotation.data.regions[0].region_info: truncated length`.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, independent of where. New reasons can be added without breaking users.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// The input ended inside a varint.
        public static let truncatedVarint = Reason("truncated varint")
        /// A length-delimited field's length goes past the end of its input.
        public static let truncatedLength = Reason("truncated length")
        /// The input ended inside a fixed32 or fixed64 value.
        public static let truncatedFixed = Reason("truncated fixed-width value")
        /// A varint of more than 10 bytes (none of 64 bits needs more).
        public static let malformedVarint = Reason("varint longer than 10 bytes")
        /// A length of 2 GiB or more, which protobuf does not allow.
        public static let lengthTooLarge = Reason("length over 2 GiB")
        /// A tag with field number 0 or above 2^29 - 1.
        public static let invalidFieldNumber = Reason("invalid field number")
        /// A tag with wire type 6 or 7, which do not exist.
        public static let invalidWireType = Reason("invalid wire type")
        /// A tag with wire type 3 or 4 (proto2 groups), which this package does not read.
        public static let groupNotSupported = Reason("group wire type not supported")
        /// A `string` field whose bytes are not valid UTF-8 (proto3 requires it).
        public static let invalidUTF8 = Reason("invalid UTF-8 in string")
        /// Messages nested more than 100 deep, refused before the decoder's stack runs out.
        public static let nestingTooDeep = Reason("nesting deeper than 100")
        /// A packed fixed-width field whose length is not a whole number of elements.
        public static let malformedPacked = Reason("packed length not a multiple of the element size")
        /// A field whose wire type is not the one its declared type needs, e.g. a string sent as a varint.
        public static func wireTypeMismatch(expected: WireType, found: WireType) -> Reason {
            Reason("wire type \(found.rawValue) where \(expected.rawValue) was expected")
        }
    }

    /// What was wrong, independent of where (compare with the `Reason` constants).
    public let reason: Reason
    /// Path components from the innermost outwards; kept reversed so that prepending is cheap.
    private var reversedPath: [String] = []

    /// An error with this reason and an empty path; decoding prepends the field names on the way out.
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
