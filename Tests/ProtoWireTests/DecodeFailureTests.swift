import Testing

@testable import ProtoWire

/// Every kind of malformed input ends in a `WireError` that names the field at fault.
@Suite struct DecodeFailureTests {
    /// `bytes` as a length-delimited field `number`.
    private func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number) << 3 | 2) + varint(UInt64(bytes.count)) + bytes
    }

    private func varint(_ value: UInt64) -> [UInt8] {
        var writer = WireWriter()
        writer.writeVarint(value)
        return writer.bytes()
    }

    private func failure<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> String? {
        do {
            _ = try M(serializedBytes: bytes)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func truncatedLengthNamesTheWholePath() {
        let region = [UInt8]([0x12, 0x05, 0x0a])  // region_info claims 5 bytes, 1 follows
        let bytes = field(3, field(11, region))
        #expect(failure(Annotation.self, bytes) == "Annotation.data.regions[0].region_info: truncated length")
    }

    @Test func indexOfTheFailingElement() {
        let good = Concept(id: "a").serializedBytes()
        let bytes = field(3, good) + field(3, good) + field(3, [0x0a, 0x01, 0xc3])  // id: lone lead byte
        #expect(failure(ClarifaiData.self, bytes) == "Data.concepts[2].id: invalid UTF-8 in string")
    }

    @Test(
        arguments: [
            ([UInt8]([0x08]), "ImageInfo.width: truncated varint"),
            (
                [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
                "ImageInfo.width: varint longer than 10 bytes"
            ),
            ([0x1a, 0x80, 0x80, 0x80, 0x80, 0x08], "ImageInfo.format: length over 2 GiB"),
            ([0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f], "ImageInfo.format: length over 2 GiB"),
            ([0x1a, 0x02, 0x61], "ImageInfo.format: truncated length"),
            ([0x0a, 0x01, 0x61], "ImageInfo.width: wire type 2 where 0 was expected"),
            ([0x1a, 0x02, 0xc3, 0x28], "ImageInfo.format: invalid UTF-8 in string"),
            ([0x1a, 0x03, 0xed, 0xa0, 0x80], "ImageInfo.format: invalid UTF-8 in string"),  // a surrogate
            ([0x00, 0x00], "ImageInfo: invalid field number"),
            ([0x80, 0x80, 0x80, 0x80, 0x10, 0x00], "ImageInfo: invalid field number"),  // 2^29
            ([0x0b], "ImageInfo: group wire type not supported"),
            ([0x0c], "ImageInfo: group wire type not supported"),
            ([0x0e, 0x00], "ImageInfo: invalid wire type"),
            ([0x0f], "ImageInfo: invalid wire type"),
            ([0xb8, 0x3e], "ImageInfo.#999: truncated varint"),
            ([0xb9, 0x3e, 0x01, 0x02], "ImageInfo.#999: truncated fixed-width value"),
            ([0xba, 0x3e, 0x05, 0x01], "ImageInfo.#999: truncated length"),
        ] as [([UInt8], String)])
    func scalarFailures(bytes: [UInt8], expected: String) {
        #expect(failure(ImageInfo.self, bytes) == expected)
    }

    @Test func truncatedFixedWidth() {
        #expect(failure(BoundingBox.self, [0x0d, 0x00, 0x00]) == "BoundingBox.top_row: truncated fixed-width value")
        #expect(failure(ClarifaiData.self, [0xb1, 0x01, 0x00]) == "Data.float_value: truncated fixed-width value")
    }

    @Test func packedFloatsOfTheWrongLength() {
        #expect(
            failure(Embedding.self, [0x0a, 0x03, 0, 0, 0])
                == "Embedding.vector: packed length not a multiple of the element size")
    }

    @Test func largestValidFieldNumberIsKeptAsUnknown() throws {
        let bytes: [UInt8] = [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01]  // field 2^29 - 1, varint 1
        let info = try ImageInfo(serializedBytes: bytes)
        #expect(info.unknownFields == bytes)
        #expect(info.serializedBytes() == bytes)
    }

    @Test func nestingIsBoundedAt100() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var bytes: [UInt8] = [0x08, 0x00]  // Value { null_value: 0 }
            for _ in 0..<depth { bytes = field(6, field(1, bytes)) }  // Value { list_value { values: … } }
            return bytes
        }
        // Each level is a Value and a ListValue: 49 levels nest 98 messages below the root.
        #expect(throws: Never.self) { try ProtoValue(serializedBytes: nested(49)) }
        let error = failure(ProtoValue.self, nested(60))
        #expect(error?.hasSuffix("nesting deeper than 100") == true)
        #expect(error?.hasPrefix("Value.list_value.values[0].list_value") == true)
    }

    @Test func lengthInsideANestedMessageCannotReachPastItsParent() {
        // Data { image { url: length 10 } } where the image claims 3 bytes: the url's length
        // is checked against the image's end, not the buffer's.
        let bytes: [UInt8] = [0x0a, 0x03, 0x0a, 0x0a, 0x61] + [UInt8](repeating: 0x61, count: 12)
        #expect(failure(ClarifaiData.self, bytes) == "Data.image.url: truncated length")
    }

    @Test func emptyInputIsTheDefaultMessage() throws {
        #expect(try Annotation(serializedBytes: []) == Annotation())
        #expect(try Annotation(serializedBytes: UnsafeRawBufferPointer(start: nil, count: 0)) == Annotation())
    }
}
