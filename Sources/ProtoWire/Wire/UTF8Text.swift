/// Strings from bytes that must be valid UTF-8 (proto3 `string` fields, JSON text).
@usableFromInline
enum UTF8Text {
    /// `String(validating: bytes, as: UTF8.self)`, faster for the common all-ASCII case.
    ///
    /// `String(validating:as:)` is generic over the encoding and is not specialized for us: each
    /// call paid for runtime metadata lookups, about 15% of binary decoding. ASCII is always
    /// valid UTF-8, so ASCII bytes become the very same string without it; anything else still
    /// goes through the standard validator, so what is accepted and rejected does not change.
    ///
    /// `smallASCII`: ``SmallASCII/isAvailable``, which a decoder reads once rather than
    /// paying a lazy-global check per string.
    @usableFromInline
    static func string(validating bytes: UnsafeBufferPointer<UInt8>, smallASCII: Bool = SmallASCII.isAvailable)
        -> String?
    {
        guard let source = bytes.baseAddress else { return "" }
        let count = bytes.count
        if count <= SmallASCII.capacity, smallASCII {
            // The words of the small string are the ASCII check: one pass over the bytes.
            let words = SmallASCII.words(source, count: count)
            if (words.low | words.high) & 0x8080_8080_8080_8080 == 0 {
                return SmallASCII.string(words, count: count)
            }
        } else if isASCII(bytes) {
            // Validated again inside, but without the closure call and copy of
            // `String(unsafeUninitializedCapacity:)`, which measured about 10% slower.
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether the `count` (at least 8) bytes at `a` and `b` are the same, eight at a time.
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        var difference: UInt64 = 0
        while offset + 8 <= count {
            difference |=
                a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                ^ b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        // The last bytes in one load that overlaps bytes already compared.
        difference |=
            a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            ^ b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        return difference == 0
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time.
    @usableFromInline
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        guard count >= 8 else {
            let words = SmallASCII.words(base, count: count)
            return words.low & 0x8080_8080_8080_8080 == 0
        }
        var offset = 0
        var high: UInt64 = 0
        while offset + 8 <= count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        // The last bytes in one load that overlaps bytes already seen, instead of a byte loop.
        high |= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        return high & 0x8080_8080_8080_8080 == 0
    }
}

/// Builds short ASCII strings (ids, names, up to 15 bytes) directly in the standard library's
/// small-string form: two words holding the bytes, the last byte holding flags and count.
///
/// Through the public initialisers each such string cost a call into the runtime, a closure
/// call, a copy and a second ASCII scan: about a tenth of decoding an annotation list, whose
/// region and concept ids and names are nearly all this short. The form is part of the
/// standard library's stable ABI (clients inline code that reads it), and `isAvailable`
/// checks once, against strings the standard library built itself, that it is the form this
/// code writes; if it ever is not, every string takes the public initialiser instead.
@usableFromInline
enum SmallASCII {
    @usableFromInline static let capacity = 15

    /// Whether `string(_:count:)` produces exactly the standard library's own strings here.
    @usableFromInline static let isAvailable: Bool = {
        // The loads above assemble the words in little-endian order.
        guard MemoryLayout<String>.size == 16, UInt64(UInt.max) == UInt64.max, 1.littleEndian == 1 else {
            return false
        }
        let samples = [
            "", "a", "ab", "abc", "abcd", "id_42", "ai_8S2Vq3cR", "12345678", "123456789", "abcdefghijklmno",
        ]
        return samples.allSatisfy { sample in
            var copy = sample
            let built = copy.withUTF8 { utf8 in
                Self.string(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: utf8.count)
            }
            return rawBits(built) == rawBits(String(decoding: Array(sample.utf8), as: UTF8.self))
                && built == sample && built.utf8.count == sample.utf8.count && built.hashValue == sample.hashValue
        }
    }()

    private static func rawBits(_ string: String) -> (UInt64, UInt64) {
        unsafeBitCast(string, to: (UInt64, UInt64).self)
    }

    /// The small string of `count` (at most 15) ASCII bytes at `source`. Reads only those bytes.
    @usableFromInline
    static func string(_ source: UnsafePointer<UInt8>, count: Int) -> String {
        string(words(source, count: count), count: count)
    }

    /// The `count` (at most 15) bytes at `source` as two little-endian words, zero above them.
    /// Reads only those bytes.
    @inline(__always) @usableFromInline
    static func words(_ source: UnsafePointer<UInt8>, count: Int) -> (low: UInt64, high: UInt64) {
        let raw = UnsafeRawPointer(source)
        switch count {
        case 0:
            return (0, 0)
        case 1...3:
            // First, middle and last byte: together they cover 1, 2 or 3 bytes.
            let low =
                UInt64(raw.load(as: UInt8.self))
                | UInt64(raw.load(fromByteOffset: count >> 1, as: UInt8.self)) << (8 * (count >> 1))
                | UInt64(raw.load(fromByteOffset: count - 1, as: UInt8.self)) << (8 * (count - 1))
            return (low, 0)
        case 4...8:
            // Two overlapping 4-byte loads; the bytes they share are the same, so OR is exact.
            let low =
                UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << (8 * (count - 4))
            return (low, 0)
        default:
            return (
                raw.loadUnaligned(as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> (8 * (16 - count))
            )
        }
    }

    /// The small string whose bytes are `words` (from ``words(_:count:)``, all ASCII).
    @inline(__always) @usableFromInline
    static func string(_ words: (low: UInt64, high: UInt64), count: Int) -> String {
        // Top nibble 0b1110: immortal, ASCII, small; the next four bits: the count.
        let high = words.high | (0xE0 | UInt64(count)) << 56
        // The bits are stored into memory bound to String and the value moved out, rather
        // than `unsafeBitCast`, which retains the new value (a call into the runtime that a
        // small string does not need).
        return withUnsafeTemporaryAllocation(of: String.self, capacity: 1) { buffer in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            raw.storeBytes(of: words.low, as: UInt64.self)
            raw.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
            return buffer.baseAddress!.move()
        }
    }
}
