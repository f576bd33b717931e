import Testing

@testable import ProtoWire

// Unknown fields: kept and re-emitted after the known fields, in every message. Vectors from the
// official implementation, as described in Fixtures.swift.

@Suite struct UnknownFieldVectorTests {
    // official: field 100, wire type 0, value 150
    static let varint: [UInt8] = [0xa0, 0x06, 0x96, 0x01]
    // official: field 101, wire type 1, 0x0102030405060708
    static let fixed64: [UInt8] = [0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]
    // official: field 102, wire type 2, 'xyz'
    static let lengthDelimited: [UInt8] = [0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a]
    // official: field 103, wire type 5, 0xdeadbeef
    static let fixed32: [UInt8] = [0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde]
    // official: field 536870911 (the largest), wire type 0, value 1
    static let maxFieldNumber: [UInt8] = [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01]

    @Test func everyWireTypeMovesToTheEnd() {
        var unknown: [UInt8] = UnknownFieldVectorTests.varint
        unknown += UnknownFieldVectorTests.fixed64
        unknown += UnknownFieldVectorTests.lengthDelimited
        unknown += UnknownFieldVectorTests.fixed32
        unknown += UnknownFieldVectorTests.maxFieldNumber
        // official: unknown varint, Concept.id='tree', unknown fixed64, unknown length-delimited, Concept.value=0.5, unknown fixed32, unknown field 2^29-1
        let input: [UInt8] = hex(
            """
            a0 06 96 01 0a 04 74 72 65 65 a9 06 08 07 06 05 04 03 02 01 b2 06 03 78 79 7a 1d 00 00 00 3f bd
            06 ef be ad de f8 ff ff ff 0f 01
            """)
        // official: r.Concept.FromString(<input>).SerializeToString()
        let official: [UInt8] = hex(
            """
            0a 04 74 72 65 65 1d 00 00 00 3f a0 06 96 01 a9 06 08 07 06 05 04 03 02 01 b2 06 03 78 79 7a bd
            06 ef be ad de f8 ff ff ff 0f 01
            """)
        expectDecode(input, reencodesTo: official) { (m: inout Concept) in
            m.id = "tree"
            m.value = 0.5
            m.unknownFields = unknown
        }
        // Built by hand, a message with unknown fields encodes them last too.
        expectEncode(official) { (m: inout Concept) in
            m.id = "tree"
            m.value = 0.5
            m.unknownFields = unknown
        }
    }

    @Test(
        arguments: [
            // official: an unknown varint field, then Concept.id='tree'
            (
                [0xa0, 0x06, 0x96, 0x01, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65],
                [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xa0, 0x06, 0x96, 0x01]
            ),
            // official: an unknown fixed64 field, then Concept.id='tree'
            (
                [0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65],
                [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]
            ),
            // official: an unknown lengthDelimited field, then Concept.id='tree'
            (
                [0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65],
                [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a]
            ),
            // official: an unknown fixed32 field, then Concept.id='tree'
            (
                [0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65],
                [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde]
            ),
        ] as [([UInt8], [UInt8])])
    func eachWireType(input: [UInt8], official: [UInt8]) {
        expectReencode(Concept.self, input, official)
    }

    @Test func nestedMessagesKeepTheirOwn() {
        // official: Annotation{unknown 300 fixed32, data=Data{concepts=[Concept{id='a', unknown 200 'keep'}], unknown 201 varint 1}, id='ann'}
        let input: [UInt8] = hex(
            """
            e5 12 01 02 03 04 1a 0f 1a 0a 0a 01 61 c2 0c 04 6b 65 65 70 c8 0c 01 0a 03 61 6e 6e
            """)
        // official: r.Annotation.FromString(<input>).SerializeToString()
        let official: [UInt8] = hex(
            """
            0a 03 61 6e 6e 1a 0f 1a 0a 0a 01 61 c2 0c 04 6b 65 65 70 c8 0c 01 e5 12 01 02 03 04
            """)
        expectDecode(input, reencodesTo: official) { (m: inout Annotation) in
            m.id = "ann"
            var concept = Concept(id: "a", value: 0)
            concept.unknownFields = [0xc2, 0x0c, 0x04, 0x6b, 0x65, 0x65, 0x70]
            var data = ClarifaiData()
            data.concepts = [concept]
            data.unknownFields = [0xc8, 0x0c, 0x01]
            m.data = data
            m.unknownFields = [0xe5, 0x12, 0x01, 0x02, 0x03, 0x04]
        }
    }

    @Test func wellKnownTypes() {
        // official: Struct{unknown 100, fields={'a': 'b'}}
        expectReencode(
            ProtoStruct.self, [0xa0, 0x06, 0x96, 0x01, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62],
            [0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62, 0xa0, 0x06, 0x96, 0x01])
        // official: Value{unknown 103, bool_value=True}
        expectReencode(
            ProtoValue.self, [0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde, 0x20, 0x01],
            [0x20, 0x01, 0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde])
        // official: ListValue{unknown 102, values=[true]}
        expectReencode(
            ProtoListValue.self, [0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a, 0x0a, 0x02, 0x20, 0x01],
            [0x0a, 0x02, 0x20, 0x01, 0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a])
        // official: Timestamp{unknown field 3 = 7, seconds=5}
        expectReencode(Timestamp.self, [0x18, 0x07, 0x08, 0x05], [0x08, 0x05, 0x18, 0x07])
        // official: Status{unknown 100, code=SUCCESS}
        expectReencode(
            Status.self, [0xa0, 0x06, 0x96, 0x01, 0x08, 0x90, 0x4e], [0x08, 0x90, 0x4e, 0xa0, 0x06, 0x96, 0x01])
    }

    /// Every official class re-serializes a message of only unknown fields unchanged.
    @Test(arguments: MessageTypes.all.map { $0.protoMessageName })
    func onlyUnknownFields(typeName: String) throws {
        // official: unknown fields 100 (varint), 102 (length-delimited), 101 (fixed64), 103 (fixed32)
        let input: [UInt8] = hex(
            """
            a0 06 96 01 b2 06 03 78 79 7a a9 06 08 07 06 05 04 03 02 01 bd 06 ef be ad de
            """)
        let type = try #require(MessageTypes.named(typeName))
        expectReencode(type, input, input)
    }
}
