/// Walks a buffer of protobuf wire bytes without copying it.
///
/// The reader trusts nothing: every length is checked against the end of the enclosing
/// message, varints are bounded to 10 bytes and nesting to ``maxDepth`` levels, so hostile
/// input ends in a thrown ``WireError`` rather than a crash, a hang or a huge allocation.
/// It is only valid inside the `withUnsafeBytes` scope that created it, which is why
/// messages are decoded through `ProtoMessage.init(serializedBytes:)` rather than by hand.
public struct WireReader {
    /// How many messages may nest inside each other, as in swift-protobuf and upb.
    public static let maxDepth = 100

    @usableFromInline var cursor: UnsafeRawPointer
    @usableFromInline var end: UnsafeRawPointer
    /// Where the tag just read began, so that an unknown field can be kept byte for byte.
    @usableFromInline var tagStart: UnsafeRawPointer
    @usableFromInline var depthBudget = WireReader.maxDepth
    /// ``SmallASCII/isAvailable``, read once per message rather than once per string.
    @usableFromInline let smallASCII = SmallASCII.isAvailable
    var recentStrings = RecentStrings()

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
        // Fast path, inlined into every decode loop: a one-byte tag (fields 1-15) with one of
        // the four wire types in use (bit set in 0b100111: varint, fixed64, length-delimited,
        // fixed32). Anything else, errors included, takes the general path below.
        if cursor < end {
            let byte = cursor.load(as: UInt8.self)
            if byte >= 8 && byte < 0x80 && (0b10_0111 as UInt8) >> (byte & 7) & 1 != 0 {
                tagStart = cursor
                cursor += 1
                let wireType: WireType
                switch byte & 7 {
                case 0: wireType = .varint
                case 1: wireType = .fixed64
                case 2: wireType = .lengthDelimited
                default: wireType = .fixed32
                }
                return FieldTag(unchecked: Int(byte >> 3), wireType)
            }
        }
        return try readTagSlow()
    }

    @usableFromInline
    mutating func readTagSlow() throws(WireError) -> FieldTag {
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

    /// Reads a `string` field; throws when `tag` is not length-delimited, the length passes the end of
    /// the input, or the bytes are not valid UTF-8.
    @inlinable
    public mutating func readString(_ tag: FieldTag) throws(WireError) -> String {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: cursor, count: length).assumingMemoryBound(to: UInt8.self)
        guard let string = UTF8Text.string(validating: bytes, smallASCII: smallASCII) else {
            throw WireError(.invalidUTF8)
        }
        cursor += length
        return string
    }

    /// A string field whose value usually repeats from one message to the next (a status
    /// description, a model version id): when it equals the last one read for `slot`, that
    /// string is returned again, sharing its storage, instead of a new copy.
    ///
    /// In a list of annotations every item carries "Annotation success" and often the same
    /// 32-character model version id; each copy cost an allocation and a free, where sharing
    /// costs a compare. Short strings (up to 15 bytes) need no storage and are built as usual.
    mutating func readString(_ tag: FieldTag, reusing slot: RecentStrings.Slot) throws(WireError) -> String {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: cursor, count: length).assumingMemoryBound(to: UInt8.self)
        if length > SmallASCII.capacity, let string = recentStrings.match(bytes, in: slot) {
            cursor += length
            return string
        }
        guard let string = UTF8Text.string(validating: bytes, smallASCII: smallASCII) else {
            throw WireError(.invalidUTF8)
        }
        if length > SmallASCII.capacity { recentStrings[slot] = string }
        cursor += length
        return string
    }

    /// Reads a `bytes` field; throws when `tag` is not length-delimited or the length passes the end.
    @inlinable
    public mutating func readBytes(_ tag: FieldTag) throws(WireError) -> [UInt8] {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let bytes = [UInt8](UnsafeRawBufferPointer(start: cursor, count: length))
        cursor += length
        return bytes
    }

    /// Reads a `bool` field: any non-zero varint is true; throws when `tag` is not a varint.
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

    /// Reads a `uint32` field: the varint's low 32 bits; throws when `tag` is not a varint.
    @inlinable
    public mutating func readUInt32(_ tag: FieldTag) throws(WireError) -> UInt32 {
        try expect(tag, .varint)
        return UInt32(truncatingIfNeeded: try readVarint())
    }

    /// Reads an `int64` field (two's complement varint); throws when `tag` is not a varint.
    @inlinable
    public mutating func readInt64(_ tag: FieldTag) throws(WireError) -> Int64 {
        try expect(tag, .varint)
        return Int64(bitPattern: try readVarint())
    }

    /// Reads a `uint64` field; throws when `tag` is not a varint or the varint is malformed.
    @inlinable
    public mutating func readUInt64(_ tag: FieldTag) throws(WireError) -> UInt64 {
        try expect(tag, .varint)
        return try readVarint()
    }

    /// Reads a `float` field (4 bytes little-endian); throws when `tag` is not fixed32 or input is short.
    @inlinable
    public mutating func readFloat(_ tag: FieldTag) throws(WireError) -> Float {
        try expect(tag, .fixed32)
        return Float(bitPattern: try readFixed32())
    }

    /// Reads a `double` field (8 bytes little-endian); throws when `tag` is not fixed64 or input is short.
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
        // Decoded in place: copying the message out and back cost two copies of the struct.
        if case .none = message { message = M() }
        do {
            try decodeNested(&message!, length: length)
        } catch {
            message = nil  // a field that failed to decode is not kept, as before
            throw error
        }
    }

    /// A singular message field stored `@Indirect`, decoded inside its box.
    mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout Indirect<M>) throws(WireError) {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        // As for an inline field, a value that fails to decode is not kept.
        try message.withMutableValue(default: M.init) { (value) throws(WireError) in
            try decodeNested(&value, length: length)
        }
    }

    /// One element of a repeated message field; errors name the element's index.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, appendingTo messages: inout [M])
        throws(WireError)
    {
        try expect(tag, .lengthDelimited)
        let index = messages.count
        do throws(WireError) {
            let length = try readLength()
            if index == 0 {
                // Room for every element at once, instead of growing 1, 2, 4, … and copying.
                let more = countFields(tag, from: cursor + length, limit: WireReader.reserveLimit(M.self) - 1)
                if more > 0 { messages.reserveCapacity(1 + more) }
            }
            // Decoded in place at the end of the array: building it aside and appending it cost a copy.
            messages.append(M())
            do {
                try decodeNested(&messages[index], length: length)
            } catch {
                messages.removeLast()
                throw error
            }
        } catch {
            throw error.prepending("[\(index)]")
        }
    }

    /// How many elements of a repeated field to reserve room for at most (1 MiB of them), so
    /// that a hostile message cannot make the look-ahead reserve far more than its own size.
    @inlinable
    static func reserveLimit<M>(_: M.Type) -> Int {
        max(1, (1 << 20) / max(1, MemoryLayout<M>.stride))
    }

    /// How many fields with `tag`'s number and wire type follow `start` in the current message,
    /// counting at most `limit`. A look-ahead only: it stops at anything malformed without
    /// throwing, and the decoding proper then reports it where it is.
    @usableFromInline
    func countFields(_ tag: FieldTag, from start: UnsafeRawPointer, limit: Int) -> Int {
        let wanted = tag.rawValue
        var p = start
        var count = 0
        // A varint at `p`, or nil when it runs past the end or over 10 bytes.
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while p < end && shift < 70 {
                let byte = p.load(as: UInt8.self)
                p += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }
        while p < end && count < limit {
            guard let key = varint() else { break }
            switch key & 7 {
            case 0:
                guard varint() != nil else { return count }
            case 1:
                guard end - p >= 8 else { return count }
                p += 8
            case 2:
                guard let length = varint(), length <= UInt64(end - p) else { return count }
                p += Int(length)
            case 5:
                guard end - p >= 4 else { return count }
                p += 4
            default:
                return count
            }
            if key == wanted { count += 1 }
        }
        return count
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

/// The last long string read for each kind of field that usually repeats across the items of
/// a response (see ``WireReader/readString(_:reusing:)``).
struct RecentStrings {
    enum Slot {
        case statusDescription, modelVersionID, embedModelVersionID, userID
    }

    private var strings: (String, String, String, String) = ("", "", "", "")

    subscript(slot: Slot) -> String {
        get {
            switch slot {
            case .statusDescription: strings.0
            case .modelVersionID: strings.1
            case .embedModelVersionID: strings.2
            case .userID: strings.3
            }
        }
        set {
            switch slot {
            case .statusDescription: strings.0 = newValue
            case .modelVersionID: strings.1 = newValue
            case .embedModelVersionID: strings.2 = newValue
            case .userID: strings.3 = newValue
            }
        }
    }

    /// The string last kept for `slot`, if its UTF-8 is exactly `bytes`.
    func match(_ bytes: UnsafeBufferPointer<UInt8>, in slot: Slot) -> String? {
        var recent = self[slot]
        guard recent.utf8.count == bytes.count, let other = bytes.baseAddress else { return nil }
        // A long native string has contiguous UTF-8, so `withUTF8` does not copy it.
        let same = recent.withUTF8 { stored in
            UTF8Text.equal(UnsafeRawPointer(stored.baseAddress!), UnsafeRawPointer(other), count: bytes.count)
        }
        return same ? recent : nil
    }
}
