import Testing

@testable import ProtoWire

// What the decoder accepts, rejects and keeps beyond what the encoder writes, through many
// messages. Vectors from the official implementation, as described in Fixtures.swift.

@Suite struct DecodingVectorTests {
    // MARK: - Input the encoder never produces but the decoder must accept

    @Suite struct Decoding {
        @Test func unpackedFloats() {
            // official: Embedding.vector as two unpacked fixed32 fields, num_dimensions=2
            expectDecode(
                [0x0d, 0x00, 0x00, 0x80, 0x3f, 0x0d, 0x00, 0x00, 0x00, 0x40, 0x10, 0x02],
                reencodesTo: [0x0a, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, 0x10, 0x02]
            ) { (m: inout Embedding) in
                m.vector = [1, 2]
                m.numDimensions = 2
            }
            // official: Embedding.vector: packed [1], unpacked 2, packed [3, 4]
            expectDecode(
                hex(
                    """
                    0a 04 00 00 80 3f 0d 00 00 00 40 0a 08 00 00 40 40 00 00 80 40
                    """),
                reencodesTo: hex(
                    """
                    0a 10 00 00 80 3f 00 00 00 40 00 00 40 40 00 00 80 40
                    """)
            ) { (m: inout Embedding) in
                m.vector = [1, 2, 3, 4]
            }
        }

        @Test func singularMessageTwiceIsMerged() {
            // official: Region.region_info twice: {bounding_box{top_row=0.25}}, then id='r', then {bounding_box{left_col=0.5}, point{row=0.75}}
            expectDecode(
                hex(
                    """
                    12 07 0a 05 0d 00 00 80 3e 0a 01 72 12 0e 0a 05 15 00 00 00 3f 32 05 0d 00 00 40 3f
                    """),
                reencodesTo: hex(
                    """
                    0a 01 72 12 13 0a 0a 0d 00 00 80 3e 15 00 00 00 3f 32 05 0d 00 00 40 3f
                    """)
            ) { (m: inout Region) in
                m.id = "r"
                var info = RegionInfo()
                info.boundingBox = BoundingBox(topRow: 0.25, leftCol: 0.5, bottomRow: 0, rightCol: 0)
                info.point = Point(row: 0.75, col: 0)
                m.regionInfo = info
            }
            // official: Annotation.data twice: {concepts=[a]}, then {concepts=[b], bool_value=true}
            expectDecode(
                hex(
                    """
                    1a 05 1a 03 0a 01 61 1a 08 1a 03 0a 01 62 c0 01 01
                    """),
                reencodesTo: [0x1a, 0x0d, 0x1a, 0x03, 0x0a, 0x01, 0x61, 0x1a, 0x03, 0x0a, 0x01, 0x62, 0xc0, 0x01, 0x01]
            ) { (m: inout Annotation) in
                var merged = dataWith(Concept(id: "a", value: 0), Concept(id: "b", value: 0))
                merged.boolValue = true
                m.data = merged
            }
            // official: Value.struct_value twice: {a: true}, then {b: true} (merged)
            expectDecode(
                hex(
                    """
                    2a 09 0a 07 0a 01 61 12 02 20 01 2a 09 0a 07 0a 01 62 12 02 20 01
                    """),
                reencodesTo: hex(
                    """
                    2a 12 0a 07 0a 01 61 12 02 20 01 0a 07 0a 01 62 12 02 20 01
                    """)
            ) { (m: inout ProtoValue) in
                m = ["a": true, "b": true]
            }
        }

        @Test func scalarTwiceLastWins() {
            // official: Concept id='a', value=0.25, id='b', value=0.5
            expectDecode(
                [0x0a, 0x01, 0x61, 0x1d, 0x00, 0x00, 0x80, 0x3e, 0x0a, 0x01, 0x62, 0x1d, 0x00, 0x00, 0x00, 0x3f],
                reencodesTo: [0x0a, 0x01, 0x62, 0x1d, 0x00, 0x00, 0x00, 0x3f]
            ) { (m: inout Concept) in
                m.id = "b"
                m.value = 0.5
            }
            // official: Annotation.trusted = true, then false
            expectDecode([0x50, 0x01, 0x50, 0x00], reencodesTo: []) { (m: inout Annotation) in
                m.trusted = false
            }
            // official: Value: number_value=1, then string_value='x' (oneof: the last wins)
            expectDecode(
                [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x1a, 0x01, 0x78],
                reencodesTo: [0x1a, 0x01, 0x78]
            ) { (m: inout ProtoValue) in
                m = "x"
            }
            // official: Struct.fields: 'a' -> 'first', then 'a' -> 'second' (the last wins)
            expectDecode(
                hex(
                    """
                    0a 0c 0a 01 61 12 07 1a 05 66 69 72 73 74 0a 0d 0a 01 61 12 08 1a 06 73 65 63 6f 6e 64
                    """),
                reencodesTo: [0x0a, 0x0d, 0x0a, 0x01, 0x61, 0x12, 0x08, 0x1a, 0x06, 0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64]
            ) { (m: inout ProtoStruct) in
                m = ["a": "second"]
            }
        }

        @Test func fieldsOutOfOrder() {
            // official: Concept fields in reverse order: user_id, value, name, id
            expectDecode(
                hex(
                    """
                    52 01 75 1d 00 00 00 3f 12 04 54 72 65 65 0a 04 74 72 65 65
                    """),
                reencodesTo: hex(
                    """
                    0a 04 74 72 65 65 12 04 54 72 65 65 1d 00 00 00 3f 52 01 75
                    """)
            ) { (m: inout Concept) in
                m.id = "tree"
                m.name = "Tree"
                m.value = 0.5
                m.userID = "u"
            }
        }

        @Test func mapEntryVariants() {
            // official: Image.hosted_image_info entry with the value before the key
            expectDecode(
                [0x3a, 0x0b, 0x12, 0x02, 0x08, 0x40, 0x0a, 0x05, 0x73, 0x6d, 0x61, 0x6c, 0x6c],
                reencodesTo: [0x3a, 0x0b, 0x0a, 0x05, 0x73, 0x6d, 0x61, 0x6c, 0x6c, 0x12, 0x02, 0x08, 0x40]
            ) { (m: inout Image) in
                m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 0)
            }
            // official: Image.hosted_image_info entry with neither key nor value
            expectDecode([0x3a, 0x00], reencodesTo: [0x3a, 0x04, 0x0a, 0x00, 0x12, 0x00]) { (m: inout Image) in
                m.hostedImageInfo[""] = ImageInfo()
            }
            // official: Struct.fields entry 'a' without a value
            expectDecode([0x0a, 0x03, 0x0a, 0x01, 0x61], reencodesTo: [0x0a, 0x05, 0x0a, 0x01, 0x61, 0x12, 0x00]) {
                (m: inout ProtoStruct) in
                m["a"] = ProtoValue()
            }
        }

        @Test func nonCanonicalScalars() {
            // official: Annotation.trusted as varint 2
            expectDecode([0x50, 0x02], reencodesTo: [0x50, 0x01]) { (m: inout Annotation) in
                m.trusted = true
            }
            // official: ImageInfo.width = -1 as a 5-byte varint (not sign-extended)
            expectDecode(
                [0x08, 0xff, 0xff, 0xff, 0xff, 0x0f],
                reencodesTo: [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
            ) { (m: inout ImageInfo) in
                m.width = -1
            }
            // official: ListAnnotationsRequest.page = 2^32 + 5 (truncated to 32 bits)
            expectDecode([0x38, 0x85, 0x80, 0x80, 0x80, 0x10], reencodesTo: [0x38, 0x05]) {
                (m: inout ListAnnotationsRequest) in
                m.page = 5
            }
            // official: Status.code = 10000 as a non-minimal 5-byte varint
            expectDecode([0x08, 0x90, 0xce, 0x80, 0x80, 0x00], reencodesTo: [0x08, 0x90, 0x4e]) { (m: inout Status) in
                m.code = .success
            }
        }

        @Test func explicitDefaultsAreDropped() {
            // official: Concept.id='' and value=0 written explicitly
            expectDecode([0x0a, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00], reencodesTo: []) { (_: inout Concept) in }
            // official: Image.base64 written explicitly with length 0
            expectDecode([0x12, 0x00], reencodesTo: []) { (_: inout Image) in }
            // official: ListValue with one Value that has no kind
            expectDecode([0x0a, 0x00], reencodesTo: [0x0a, 0x00]) { (m: inout ProtoListValue) in
                m.values = [ProtoValue()]
            }
        }

        @Test func nanPayloadIsKept() throws {
            // official: Concept.value with signalling-NaN bits 0x7fa00001
            let input: [UInt8] = [0x1d, 0x01, 0x00, 0xa0, 0x7f]
            expectReencode(Concept.self, input, [0x1d, 0x01, 0x00, 0xa0, 0x7f])
            #expect(try Concept(serializedBytes: input).value.bitPattern == 0x7fa0_0001)
        }

        /// The official limit (upb): 100 nested messages decode, 101 do not.
        @Test func nestingLimit() throws {
            let deepest = try ProtoListValue(serializedBytes: nestedLists(100))
            #expect(deepest.serializedBytes() == nestedLists(100))
            do {
                _ = try ProtoValue(serializedBytes: nestedLists(101))
                Issue.record("101 nested messages decoded")
            } catch {
                #expect(error.reason == .nestingTooDeep)
            }
        }
    }

    // MARK: - Input the official classes reject: errors name the field

    @Suite struct DecodingFailures {
        @Test(
            arguments: [
                // official: rejected by r.ImageInfo.FromString
                ("clarifai.api.ImageInfo", [0x08], "ImageInfo.width: truncated varint"),
                ("clarifai.api.Concept", [0x0a, 0x05, 0x61], "Concept.id: truncated length"),
                ("clarifai.api.Concept", [0x1d, 0x00, 0x00], "Concept.value: truncated fixed-width value"),
                ("clarifai.api.Data", [0xb1, 0x01, 0x00], "Data.float_value: truncated fixed-width value"),
                ("clarifai.api.Concept", [0x80], "Concept: truncated varint"),
                (
                    "clarifai.api.Annotation", [0x1a, 0x05, 0x1a, 0x03, 0x0a, 0x01, 0xff],
                    "Annotation.data.concepts[0].id: invalid UTF-8 in string"
                ),
                ("google.protobuf.Struct", [0x0a, 0x03, 0x0a, 0x01, 0xc3], "Struct.fields: invalid UTF-8 in string"),
                ("clarifai.api.Concept", [0x00, 0x00], "Concept: invalid field number"),
                ("clarifai.api.Concept", [0x0e], "Concept: invalid wire type"),
                ("clarifai.api.Concept", [0x0f], "Concept: invalid wire type"),
                (
                    "clarifai.api.ImageInfo", [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
                    "ImageInfo.width: varint longer than 10 bytes"
                ),
                (
                    "clarifai.api.Embedding", [0x0a, 0x03, 0x00, 0x00, 0x00],
                    "Embedding.vector: packed length not a multiple of the element size"
                ),
                ("clarifai.api.Concept", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], "Concept.id: length over 2 GiB"),
                ("clarifai.api.Concept", [0xa2, 0x06, 0x05], "Concept.#100: truncated length"),
                (
                    "clarifai.api.Data", [0x1a, 0x03, 0x0a, 0x01, 0x61, 0x1a, 0x02, 0x1d, 0x00],
                    "Data.concepts[1].value: truncated fixed-width value"
                ),
                (
                    "clarifai.api.Annotation", [0x1a, 0x02, 0x1a, 0x05, 0x0a],
                    "Annotation.data.concepts[0]: truncated length"
                ),
            ] as [(String, [UInt8], String)])
        func rejected(typeName: String, input: [UInt8], description: String) throws {
            let type = try #require(MessageTypes.named(typeName))
            expectDecodeFails(type, input, description)
        }
    }

    // MARK: - Input the official classes accept and this codec rejects or changes

    /// upb, C++ and Java keep these as unknown fields (or keep the value) and re-emit them;
    /// these vectors hold this codec to the same behaviour.
    /// Where ProtoWire is deliberately stricter than upb (issue 2, "bad input"): upb keeps an
    /// unknown group, and a known field with the wrong wire type, as unknown fields; ProtoWire
    /// rejects both with the field path, since neither is produced by any Clarifai peer and a
    /// mismatched known field is far more likely corruption than a schema change.
    @Suite struct StricterThanUpb {
        @Test func unknownGroupIsRejected() {
            // official: Concept.id='tree' then an unknown group: field 127 start-group, varint field 1 = 1, end-group
            expectDecodeFails(
                Concept.self, [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07],
                "Concept: group wire type not supported")
        }

        @Test func scalarWithTheWrongWireTypeIsRejected() {
            // official: Concept.id (a string, field 1) sent as varint 5 is kept as an unknown field
            expectDecodeFails(
                Concept.self, [0x08, 0x05, 0x1d, 0x00, 0x00, 0x00, 0x3f],
                "Concept.id: wire type 0 where 2 was expected")
        }

        @Test func messageWithTheWrongWireTypeIsRejected() {
            // official: Annotation.data (a message, field 3) sent as varint 1 is kept as an unknown field
            expectDecodeFails(
                Annotation.self, [0x18, 0x01, 0x0a, 0x01, 0x61],
                "Annotation.data: wire type 0 where 2 was expected")
        }
    }

    @Suite struct OfficialLeniency {
        /// upb keeps a map entry holding an unknown field whole, as an unknown field of the
        /// parent (the map stays empty), so nothing is lost on re-serialization.
        @Test func mapEntryWithAnUnknownFieldIsKeptWhole() {
            // official: Image.hosted_image_info entry with an unknown field 3 inside (dropped)
            expectReencode(
                Image.self, [0x3a, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x00, 0x18, 0x01],
                [0x3a, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x00, 0x18, 0x01])
        }

        @Test func nonZeroNullValueIsKept() {
            // official: Value.null_value = 5 (an unnamed NullValue)
            expectReencode(ProtoValue.self, [0x08, 0x05], [0x08, 0x05])
        }
    }
}
