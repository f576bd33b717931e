/// Strings from bytes that must be valid UTF-8 (proto3 `string` fields, JSON text).
@usableFromInline
enum UTF8Text {
    /// `String(validating: bytes, as: UTF8.self)`, faster for the common all-ASCII case.
    ///
    /// `String(validating:as:)` is generic over the encoding and is not specialized for us: each
    /// call paid for runtime metadata lookups, about 15% of binary decoding. ASCII is always
    /// valid UTF-8, and for valid input `String(decoding:as:)` (specialized, non-generic inside)
    /// builds the very same string; anything else still goes through the standard validator, so
    /// what is accepted and rejected does not change.
    @usableFromInline
    static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time.
    @usableFromInline
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var offset = 0
        var high: UInt64 = 0
        while offset + 8 <= count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            high |= UInt64(raw.load(fromByteOffset: offset, as: UInt8.self))
            offset += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
