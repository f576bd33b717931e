/// Builds protobuf wire bytes back to front in one growable buffer.
///
/// Writing backwards means a nested message is complete before its length prefix is
/// written, so encoding needs no size-computing pass and no buffer per nested message (the
/// approach of upb). The price is that a message writes its fields last to first:
/// unknown fields first (they end up last, as every protobuf implementation emits them),
/// then fields from the highest number down, and repeated elements from the last down.
/// The result is the canonical field-number order that C++ and upb produce.
public struct WireWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    /// Offset of the first written byte; the output is `base[head..<capacity]`.
    @usableFromInline var head: Int

    // 4 KiB holds most requests; bigger messages grow ×4 while small, so that a 28 KB response
    // takes three buffers rather than six, then ×2 to bound the slack.
    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        base = .allocate(byteCount: self.capacity, alignment: 16)
        head = self.capacity
    }

    deinit { base.deallocate() }

    /// Bytes written so far.
    @inlinable
    public var count: Int { capacity - head }

    /// The finished bytes, in wire order.
    func bytes() -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base + head, count: count))
    }

    /// The finished bytes after `headroom` zero bytes, copied once into the array.
    func bytes(headroom: Int) -> [UInt8] {
        let headroom = max(headroom, 0)
        let used = count
        return [UInt8](unsafeUninitializedCapacity: headroom + used) { buffer, initialized in
            let start = UnsafeMutableRawPointer(buffer.baseAddress!)
            start.initializeMemory(as: UInt8.self, repeating: 0, count: headroom)
            (start + headroom).copyMemory(from: base + head, byteCount: used)
            initialized = headroom + used
        }
    }

    @inlinable @inline(__always)
    mutating func reserve(_ byteCount: Int) {
        if head < byteCount { grow(byteCount) }
    }

    // Never inlined, and declared to release no object (true: it only moves raw bytes): the
    // optimizer then knows that writing cannot free anything a message holds, and lends
    // messages and array elements to `encode(to:)` without retaining and releasing each of
    // their fields. Without this, copying them was about 40% of encoding.
    @usableFromInline @inline(never) @_effects(releasenone)
    mutating func grow(_ byteCount: Int) {
        let used = count
        let newCapacity = max(capacity < 1 << 16 ? capacity * 4 : capacity * 2, used + byteCount + 64)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.advanced(by: newCapacity - used).copyMemory(from: base + head, byteCount: used)
        base.deallocate()
        base = newBase
        capacity = newCapacity
        head = newCapacity - used
    }

    // MARK: Primitives

    @inlinable
    static func varintSize(_ value: UInt64) -> Int {
        // 1 + (bit length - 1) / 7, with 0 taking one byte.
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    @inlinable @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        // One byte (the tag of fields 1-15, most lengths) inline at every call site, where a
        // constant tag folds to a single store; the rest out of line.
        if value < 0x80 && head > 0 {
            head -= 1
            base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: head, as: UInt8.self)
        } else {
            writeVarintSlow(value)
        }
    }

    @usableFromInline @inline(never) @_effects(releasenone)  // see `grow`
    mutating func writeVarintSlow(_ value: UInt64) {
        reserve(10)
        let size = WireWriter.varintSize(value)
        head -= size
        var p = base + head
        var v = value
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            p += 1
            v >>= 7
        }
        p.storeBytes(of: UInt8(v), as: UInt8.self)
    }

    @inlinable @inline(__always)
    mutating func writeTag(_ number: Int, _ wireType: WireType) {
        writeVarint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    @inlinable @inline(__always)
    mutating func writeFixed32(_ value: UInt32) {
        reserve(4)
        head -= 4
        (base + head).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    @inlinable @inline(__always)
    mutating func writeFixed64(_ value: UInt64) {
        reserve(8)
        head -= 8
        (base + head).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    @inlinable
    mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        head -= bytes.count
        (base + head).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }

    // MARK: Fields (proto3: default values are not written)

    /// Re-emits the unknown fields a message kept when it was decoded.
    @inlinable @inline(__always)
    public mutating func writeUnknown(_ bytes: [UInt8]) {
        if !bytes.isEmpty { bytes.withUnsafeBytes { writeRaw($0) } }
    }

    /// Writes `string` field `number`; nothing when the value is empty (the proto3 default).
    @inlinable @inline(__always)
    public mutating func writeString(_ number: Int, _ value: String) {
        if !value.isEmpty { writeStringAlways(number, value) }
    }

    @inlinable
    mutating func writeStringAlways(_ number: Int, _ value: String) {
        writeLengthPrefixedUTF8(value)
        writeTag(number, .lengthDelimited)
    }

    /// The string's UTF-8 bytes, preceded by their count.
    ///
    /// Out of line and declared to release nothing, like `grow`, so that writing a string does
    /// not make the optimizer copy the message that holds it. True of both paths: contiguous
    /// UTF-8 (every native string, so every string on Linux) is copied straight from its storage;
    /// a bridged, non-contiguous string goes through a temporary native copy, whose release can
    /// free only that temporary.
    @usableFromInline @inline(never) @_effects(releasenone)
    mutating func writeLengthPrefixedUTF8(_ value: String) {
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
        if written == nil {
            var copy = value
            copy.withUTF8 { writeRaw(UnsafeRawBufferPointer($0)) }
        }
        writeVarint(UInt64(value.utf8.count))
    }

    /// Writes each string as field `number` (a repeated `string`), in order; nothing when there are none.
    @inlinable
    public mutating func writeStrings(_ number: Int, _ values: [String]) {
        // By index: iterating `values.reversed()` copied each string (see `writeMessages`).
        var index = values.endIndex
        while index > values.startIndex {
            index -= 1
            writeStringAlways(number, values[index])
        }
    }

    /// Writes `bytes` field `number`; nothing when the value is empty.
    @inlinable
    public mutating func writeBytes(_ number: Int, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        value.withUnsafeBytes { writeRaw($0) }
        writeVarint(UInt64(value.count))
        writeTag(number, .lengthDelimited)
    }

    /// Writes `bool` field `number`; nothing when it is false.
    @inlinable @inline(__always)
    public mutating func writeBool(_ number: Int, _ value: Bool) {
        guard value else { return }
        writeVarint(1)
        writeTag(number, .varint)
    }

    /// int32 and enums: a negative value is sign-extended to 64 bits, so it takes 10 bytes.
    @inlinable @inline(__always)
    public mutating func writeInt32(_ number: Int, _ value: Int32) {
        guard value != 0 else { return }
        writeVarint(UInt64(bitPattern: Int64(value)))
        writeTag(number, .varint)
    }

    /// Writes `uint32` field `number` as a varint; nothing when it is 0.
    @inlinable @inline(__always)
    public mutating func writeUInt32(_ number: Int, _ value: UInt32) {
        guard value != 0 else { return }
        writeVarint(UInt64(value))
        writeTag(number, .varint)
    }

    /// Writes `int64` field `number` as a varint (10 bytes when negative); nothing when it is 0.
    @inlinable @inline(__always)
    public mutating func writeInt64(_ number: Int, _ value: Int64) {
        guard value != 0 else { return }
        writeVarint(UInt64(bitPattern: value))
        writeTag(number, .varint)
    }

    /// Writes `uint64` field `number` as a varint; nothing when it is 0.
    @inlinable @inline(__always)
    public mutating func writeUInt64(_ number: Int, _ value: UInt64) {
        guard value != 0 else { return }
        writeVarint(value)
        writeTag(number, .varint)
    }

    /// Written unless its bit pattern is zero: -0.0 and NaN are written, as C++ and upb do.
    @inlinable @inline(__always)
    public mutating func writeFloat(_ number: Int, _ value: Float) {
        guard value.bitPattern != 0 else { return }
        writeFixed32(value.bitPattern)
        writeTag(number, .fixed32)
    }

    /// Writes `double` field `number` (8 bytes little-endian); nothing when its bit pattern is zero, so
    /// -0.0 and NaN are written, as C++ and upb do.
    @inlinable @inline(__always)
    public mutating func writeDouble(_ number: Int, _ value: Double) {
        guard value.bitPattern != 0 else { return }
        writeFixed64(value.bitPattern)
        writeTag(number, .fixed64)
    }

    /// A packed repeated float: one length-delimited run of little-endian fixed32 values.
    @inlinable
    public mutating func writePackedFloats(_ number: Int, _ values: [Float]) {
        guard !values.isEmpty else { return }
        let size = values.count * 4
        reserve(size)
        head -= size
        var p = base + head
        for value in values {
            p.storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
            p += 4
        }
        writeVarint(UInt64(size))
        writeTag(number, .lengthDelimited)
    }

    /// A present message field, written even when all its fields are defaults.
    @inlinable
    public mutating func writeMessage<M: ProtoMessage>(_ number: Int, _ message: M?) {
        guard let message else { return }
        writeMessageAlways(number, message)
    }

    /// A present `@Indirect` message field, read in its box.
    mutating func writeMessage<M: ProtoMessage>(_ number: Int, _ message: Indirect<M>) {
        message.withValue { value in writeMessageAlways(number, value) }
    }

    @inlinable
    mutating func writeMessageAlways<M: ProtoMessage>(_ number: Int, _ message: M) {
        let end = count
        message.encode(to: &self)
        writeVarint(UInt64(count - end))
        writeTag(number, .lengthDelimited)
    }

    /// Writes each message as length-delimited field `number` (a repeated message), in order, empty
    /// messages included; nothing when there are none.
    @inlinable
    public mutating func writeMessages<M: ProtoMessage>(_ number: Int, _ messages: [M]) {
        // By index, not by iterating `messages.reversed()`: the iterator hands out copies
        // (retaining and releasing everything an element holds).
        var index = messages.endIndex
        while index > messages.startIndex {
            index -= 1
            writeElement(number, messages[index])
        }
    }

    /// One element of a repeated message field. Never inlined: as a single call on an element
    /// of the borrowed array, the optimizer lends the element instead of copying it (it can
    /// tell that encoding releases nothing, see `grow`); with the element's `encode(to:)`
    /// inlined into the loop, it copied parts of it again.
    @usableFromInline @inline(never)
    mutating func writeElement<M: ProtoMessage>(_ number: Int, _ message: M) {
        writeMessageAlways(number, message)
    }
}
