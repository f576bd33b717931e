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

    /// The address of a string's UTF-8 storage.
    private func storage(_ string: String?) -> UnsafeRawPointer? {
        guard var string else { return nil }
        return string.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func repeatedLongStringsShareStorageAndStayExact() throws {
        let descriptions = [
            "Annotation success", "Annotation success", "Annotation pending!", "Annotation success",
            "Ok", "Annotation success", "Annotation succesS",
        ]
        var response = MultiAnnotationResponse()
        for (index, description) in descriptions.enumerated() {
            var annotation = Annotation()
            annotation.id = "a\(index)"
            annotation.status = Status(code: StatusCode(rawValue: 24150), description: description)
            annotation.modelVersionID = String(repeating: index < 4 ? "f" : "e", count: 32)
            annotation.userID = "user-\(index)-with-a-long-name"
            annotation.embedModelVersionID = "embed-model-version-0123456789"
            response.annotations.append(annotation)
        }
        let bytes = response.serializedBytes()
        let decoded = try MultiAnnotationResponse(serializedBytes: bytes)
        #expect(decoded == response)
        #expect(decoded.serializedBytes() == bytes)
        let annotations = decoded.annotations
        #expect(annotations.map { $0.status?.description } == descriptions.map { $0 })
        // The same text as the one before: the same storage. Otherwise a copy of its own.
        #expect(storage(annotations[0].status?.description) == storage(annotations[1].status?.description))
        #expect(storage(annotations[1].status?.description) != storage(annotations[3].status?.description))
        #expect(storage(annotations[5].status?.description) != storage(annotations[6].status?.description))
        #expect(storage(annotations[0].modelVersionID) == storage(annotations[3].modelVersionID))
        #expect(storage(annotations[3].modelVersionID) != storage(annotations[4].modelVersionID))
        #expect(storage(annotations[0].embedModelVersionID) == storage(annotations[6].embedModelVersionID))
        #expect(Set(annotations.map { storage($0.userID) }).count == descriptions.count)
        // Values stay independent: changing one leaves the one it shares storage with alone.
        var changed = annotations[1]
        changed.status?.description += "!"
        #expect(annotations[0].status?.description == "Annotation success")
        #expect(changed.status?.description == "Annotation success!")
    }

    private func varint(_ value: Int) -> [UInt8] {
        var writer = WireWriter()
        writer.writeVarint(UInt64(value))
        return writer.bytes()
    }
}
