/// How a field's value is laid out on the wire (the low three bits of a tag).
///
/// Groups (3, 4) are deprecated proto2 syntax that no Clarifai message uses; the reader
/// rejects them rather than guessing at their extent.
public enum WireType: UInt8, Sendable {
    /// 0: int32, int64, uint32, uint64, sint32, sint64, bool and enum values, as varints.
    case varint = 0
    /// 1: fixed64, sfixed64 and double, 8 bytes little-endian.
    case fixed64 = 1
    /// 2: strings, bytes, messages and packed repeated fields, after a varint length.
    case lengthDelimited = 2
    /// 3: the start of a proto2 group (deprecated; rejected by the reader).
    case startGroup = 3
    /// 4: the end of a proto2 group (deprecated; rejected by the reader).
    case endGroup = 4
    /// 5: fixed32, sfixed32 and float, 4 bytes little-endian.
    case fixed32 = 5
}

/// A field number and wire type, as they precede every field on the wire.
///
/// It cannot hold field number 0, a number above 2^29 - 1 or wire type 6/7: the reader
/// throws before it builds one.
public struct FieldTag: Hashable, Sendable {
    /// The largest field number protobuf allows (2^29 - 1).
    public static let maxFieldNumber = 536_870_911

    /// The field number, 1…``maxFieldNumber``.
    public let number: Int
    /// How the field's value is laid out.
    public let wireType: WireType

    @inlinable
    init(unchecked number: Int, _ wireType: WireType) {
        self.number = number
        self.wireType = wireType
    }

    /// The tag's varint value: `number << 3 | wireType`.
    @inlinable
    var rawValue: UInt64 { UInt64(number) << 3 | UInt64(wireType.rawValue) }
}
