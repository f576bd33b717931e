import Testing
@testable import ProtoWire

/// Strings built by the decoder's fast paths are the standard library's own strings.
@Suite struct StringDecodingTests {
    /// Bytes of `count` characters drawn from `alphabet`, deterministic per `seed`.
    private func sample(_ count: Int, seed: Int, alphabet: [UInt8]) -> [UInt8] {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return alphabet[Int(state % UInt64(alphabet.count))]
        }
    }

    private func rawBits(_ string: String) -> (UInt64, UInt64) {
        unsafeBitCast(string, to: (UInt64, UInt64).self)
    }

    @Test func smallStringFormIsAvailableOnThisPlatform() {
        // Every platform the package is built for (64-bit little-endian) takes the fast path;
        // if this fails, decoding still works, only through the public initialiser.
        #expect(SmallASCII.isAvailable)
    }

    @Test(arguments: 0...15)
    func smallASCIIStringsEqualTheStandardLibrarys(count: Int) {
        let allASCII = (0...127).map(UInt8.init)
        for seed in 0..<50 {
            let bytes = sample(count, seed: seed * 16 + count, alphabet: allASCII)
            let expected = String(decoding: bytes, as: UTF8.self)
            // The bytes sit between others, so that reading past either end would show.
            let padded = [0xff] + bytes + [0xff, 0xfe]
            let built = padded.withUnsafeBufferPointer { SmallASCII.string($0.baseAddress! + 1, count: count) }
            #expect(rawBits(built) == rawBits(expected))
            #expect(built == expected)
            #expect(Array(built.utf8) == bytes)
            #expect(built.hashValue == expected.hashValue)
            #expect(built + "!" == expected + "!")
            #expect(built.unicodeScalars.count == count)
        }
    }

    @Test(arguments: [0, 1, 5, 8, 11, 15, 16, 17, 32, 100])
    func decodedStringsMatchWhateverTheirLengthAndContent(count: Int) throws {
        let alphabets: [[UInt8]] = [
            Array("abcdefghijklmnopqrstuvwxyz0123456789_-".utf8),
            Array("aé😀z".utf8),  // multi-byte characters; sampled bytes may be invalid
        ]
        for (kind, alphabet) in alphabets.enumerated() {
            for seed in 0..<20 {
                let bytes = sample(count, seed: seed + 1000 * kind, alphabet: alphabet)
                let message = [0x0a] + varint(bytes.count) + bytes  // Concept.id
                if let expected = String(validating: bytes, as: UTF8.self) {
                    let concept = try Concept(serializedBytes: message)
                    #expect(concept.id == expected)
                    #expect(Array(concept.id.utf8) == bytes)
                    #expect(concept.serializedBytes() == (bytes.isEmpty ? [] : message))  // proto3 omits ""
                } else {
                    #expect(throws: WireError.self) { try Concept(serializedBytes: message) }
                }
            }
        }
    }

    private func varint(_ value: Int) -> [UInt8] {
        var writer = WireWriter()
        writer.writeVarint(UInt64(value))
        return writer.bytes()
    }
}
