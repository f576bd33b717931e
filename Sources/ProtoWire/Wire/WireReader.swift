/// Walks a buffer of protobuf wire bytes without copying it.
///
/// The reader trusts nothing: every length is checked against the end of the enclosing
/// message, varints are bounded to 10 bytes and nesting to ``maxDepth`` levels, so hostile
/// input ends in a thrown ``WireError`` rather than a crash, a hang or a huge allocation.
/// It is only valid inside the `withUnsafeBytes` scope that created it, which is why
/// messages are decoded through ``ProtoMessage/init(serializedBytes:)`` rather than by hand.
public struct WireReader {
    /// How many messages may nest inside each other, as in swift-protobuf and upb.
    public static let maxDepth = 100

    @usableFromInline var cursor: UnsafeRawPointer
    @usableFromInline var end: UnsafeRawPointer
    /// Where the tag just read began, so that an unknown field can be kept byte for byte.
    @usableFromInline var tagStart: UnsafeRawPointer
    @usableFromInline var depthBudget = WireReader.maxDepth

    init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; any non-nil pointer with end == cursor works.
        let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        cursor = base
        end = base + buffer.count
        tagStart = base
    }

    @inlinable
    var isAtEnd: Bool { cursor >= end }

    // MARK: Primitives

    @inlinable
    mutating func readVarint() throws(WireError) -> UInt64 {
        guard cursor < end else { throw WireError(.truncatedVarint) }
        let first = cursor.load(as: UInt8.self)
        if first < 0x80 {
            cursor += 1
            return UInt64(first)
        }
        return try readVarintSlow()
    }

    @usableFromInline
    mutating func readVarintSlow() throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = cursor
        while true {
            guard p < end else { throw WireError(.truncatedVarint) }
            let byte = p.load(as: UInt8.self)
            p += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 {
                cursor = p
                return result
            }
            shift += 7
            if shift >= 70 { throw WireError(.malformedVarint) }
        }
    }

    @inlinable
    mutating func readTag() throws(WireError) -> FieldTag {
        tagStart = cursor
        let raw = try readVarint()
        let number = raw >> 3
        guard number > 0, number <= UInt64(FieldTag.maxFieldNumber) else {
            throw WireError(.invalidFieldNumber)
        }
        guard let wireType = WireType(rawValue: UInt8(raw & 7)) else { throw WireError(.invalidWireType) }
        if wireType == .startGroup || wireType == .endGroup { throw WireError(.groupNotSupported) }
        return FieldTag(unchecked: Int(number), wireType)
    }

    /// Reads a length prefix and checks that many bytes remain.
    @inlinable
    mutating func readLength() throws(WireError) -> Int {
        let length = try readVarint()
        guard length <= UInt64(Int32.max) else { throw WireError(.lengthTooLarge) }
        guard Int(length) <= end - cursor else { throw WireError(.truncatedLength) }
        return Int(length)
    }

    @inlinable
    mutating func readFixed32() throws(WireError) -> UInt32 {
        guard end - cursor >= 4 else { throw WireError(.truncatedFixed) }
        let value = UInt32(littleEndian: cursor.loadUnaligned(as: UInt32.self))
        cursor += 4
        return value
    }

    @inlinable
    mutating func readFixed64() throws(WireError) -> UInt64 {
        guard end - cursor >= 8 else { throw WireError(.truncatedFixed) }
        let value = UInt64(littleEndian: cursor.loadUnaligned(as: UInt64.self))
        cursor += 8
        return value
    }

    @inlinable
    func expect(_ tag: FieldTag, _ wireType: WireType) throws(WireError) {
        guard tag.wireType == wireType else {
            throw WireError(.wireTypeMismatch(expected: wireType, found: tag.wireType))
        }
    }

    // MARK: Typed fields

    @inlinable
    public mutating func readString(_ tag: FieldTag) throws(WireError) -> String {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: cursor, count: length).assumingMemoryBound(to: UInt8.self)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw WireError(.invalidUTF8) }
        cursor += length
        return string
    }

    @inlinable
    public mutating func readBytes(_ tag: FieldTag) throws(WireError) -> [UInt8] {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let bytes = [UInt8](UnsafeRawBufferPointer(start: cursor, count: length))
        cursor += length
        return bytes
    }

    @inlinable
    public mutating func readBool(_ tag: FieldTag) throws(WireError) -> Bool {
        try expect(tag, .varint)
        return try readVarint() != 0
    }

    /// int32 and enums: negative values arrive sign-extended to 10 bytes; truncation keeps the low 32 bits.
    @inlinable
    public mutating func readInt32(_ tag: FieldTag) throws(WireError) -> Int32 {
        try expect(tag, .varint)
        return Int32(truncatingIfNeeded: try readVarint())
    }

    @inlinable
    public mutating func readUInt32(_ tag: FieldTag) throws(WireError) -> UInt32 {
        try expect(tag, .varint)
        return UInt32(truncatingIfNeeded: try readVarint())
    }

    @inlinable
    public mutating func readInt64(_ tag: FieldTag) throws(WireError) -> Int64 {
        try expect(tag, .varint)
        return Int64(bitPattern: try readVarint())
    }

    @inlinable
    public mutating func readUInt64(_ tag: FieldTag) throws(WireError) -> UInt64 {
        try expect(tag, .varint)
        return try readVarint()
    }

    @inlinable
    public mutating func readFloat(_ tag: FieldTag) throws(WireError) -> Float {
        try expect(tag, .fixed32)
        return Float(bitPattern: try readFixed32())
    }

    @inlinable
    public mutating func readDouble(_ tag: FieldTag) throws(WireError) -> Double {
        try expect(tag, .fixed64)
        return Double(bitPattern: try readFixed64())
    }

    /// A repeated float, packed (one length-delimited run) or not (one fixed32 per element).
    @inlinable
    public mutating func readFloats(_ tag: FieldTag, appendingTo values: inout [Float]) throws(WireError) {
        if tag.wireType == .fixed32 {
            values.append(Float(bitPattern: try readFixed32()))
            return
        }
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        guard length % 4 == 0 else { throw WireError(.malformedPacked) }
        values.reserveCapacity(values.count + length / 4)
        var p = cursor
        let stop = cursor + length
        while p < stop {
            values.append(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))))
            p += 4
        }
        cursor = stop
    }

    /// A singular message field. A second occurrence merges into the first, as protobuf requires.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M?) throws(WireError) {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        var value = message ?? M()
        message = nil  // keeps `value` uniquely referenced while it is filled
        try decodeNested(&value, length: length)
        message = value
    }

    /// One element of a repeated message field; errors name the element's index.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, appendingTo messages: inout [M]) throws(WireError) {
        try expect(tag, .lengthDelimited)
        do {
            let length = try readLength()
            var value = M()
            try decodeNested(&value, length: length)
            messages.append(value)
        } catch {
            throw error.prepending("[\(messages.count)]")
        }
    }

    /// Keeps a field this package does not model, tag included, exactly as it arrived.
    public mutating func skipField(_ tag: FieldTag, appendingTo unknown: inout [UInt8]) throws(WireError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: cursor += try readLength()
        case .startGroup, .endGroup: throw WireError(.groupNotSupported)
        }
        unknown.append(contentsOf: UnsafeRawBufferPointer(start: tagStart, count: cursor - tagStart))
    }

    // MARK: Messages

    @inlinable
    mutating func decodeNested<M: ProtoMessage>(_ message: inout M, length: Int) throws(WireError) {
        guard depthBudget > 0 else { throw WireError(.nestingTooDeep) }
        let outerEnd = end
        end = cursor + length
        depthBudget -= 1
        try decodeFields(of: &message)
        depthBudget += 1
        end = outerEnd
    }

    /// Decodes fields until the end of the current message, naming the field of any failure.
    @inlinable
    mutating func decodeFields<M: ProtoMessage>(of message: inout M) throws(WireError) {
        while cursor < end {
            let tag = try readTag()
            do {
                try message.decodeField(tag, from: &self)
            } catch {
                throw error.prepending(M.fieldName(tag.number) ?? "#\(tag.number)")
            }
        }
    }
}
