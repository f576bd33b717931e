/// Strings from bytes that must be valid UTF-8 (proto3 `string` fields, JSON text).
@usableFromInline
enum UTF8Text {
    /// `String(validating: bytes, as: UTF8.self)`, faster for the common all-ASCII case.
    ///
    /// `String(validating:as:)` is generic over the encoding and is not specialized for us: each
    /// call paid for runtime metadata lookups, about 15% of binary decoding. ASCII is always
    /// valid UTF-8, so ASCII bytes become the very same string without it; anything else still
    /// goes through the standard validator, so what is accepted and rejected does not change.
    @usableFromInline
    static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isASCII(bytes), let source = bytes.baseAddress else {
            return String(validating: bytes, as: UTF8.self)
        }
        // Copied in rather than decoded: for up to 15 bytes (ids, names) the standard library
        // then builds a small string and skips validating it again, as it is ASCII.
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            buffer.baseAddress!.initialize(from: source, count: bytes.count)
            return bytes.count
        }
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
