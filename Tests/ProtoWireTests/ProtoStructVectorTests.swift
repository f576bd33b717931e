import Testing

@testable import ProtoWire

// google.protobuf.Struct, ListValue and Value (Sources/ProtoWire/WellKnown/ProtoStruct.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct ProtoStructVectorTests {
    @Test func protoStruct() {
        // official: struct_of({'flag': True, 'list': [1, 'two', None], 'name': 'x', 'nested': {'n': 0}, 'nothing': None, 'number': 2.5})  # deterministic: keys sorted
        expectEncode(
            hex(
                """
                0a 0a 0a 04 66 6c 61 67 12 02 20 01 0a 20 0a 04 6c 69 73 74 12 18 32 16 0a 09 11 00 00 00 00 00
                00 f0 3f 0a 05 1a 03 74 77 6f 0a 02 08 00 0a 0b 0a 04 6e 61 6d 65 12 03 1a 01 78 0a 1c 0a 06 6e
                65 73 74 65 64 12 12 2a 10 0a 0e 0a 01 6e 12 09 11 00 00 00 00 00 00 00 00 0a 0d 0a 07 6e 6f 74
                68 69 6e 67 12 02 08 00 0a 13 0a 06 6e 75 6d 62 65 72 12 09 11 00 00 00 00 00 00 04 40
                """)
        ) { (m: inout ProtoStruct) in
            m = [
                "flag": true, "list": [1, "two", nil], "name": "x", "nested": ["n": 0], "nothing": nil, "number": 2.5,
            ]
        }
    }

    @Test func protoListValue() {
        // official: ListValue(values=[Value(null_value=0), Value(number_value=-1.5), Value(string_value='s'), Value(bool_value=True), Value(struct_value=struct_of({'a': 1})), Value(list_value=ListValue(values=[Value(number_value=0)]))])
        expectEncode(
            hex(
                """
                0a 02 08 00 0a 09 11 00 00 00 00 00 00 f8 bf 0a 03 1a 01 73 0a 02 20 01 0a 12 2a 10 0a 0e 0a 01
                61 12 09 11 00 00 00 00 00 00 f0 3f 0a 0d 32 0b 0a 09 11 00 00 00 00 00 00 00 00
                """)
        ) { (m: inout ProtoListValue) in
            m = [nil, -1.5, "s", true, ["a": 1], [0]]
        }
    }

    /// Every kind of `Value`; as oneof members, number 0, false, "" and empty containers
    /// have presence and are written.
    @Test(
        arguments: [
            // official: Value(null_value=struct_pb2.NULL_VALUE)
            (ProtoValue(.null), [0x08, 0x00]),
            // official: Value(number_value=0.0)
            (ProtoValue(.number(0)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            // official: Value(number_value=-0.0)
            (ProtoValue(.number(-0.0)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]),
            // official: Value(number_value=1.5)
            (ProtoValue(.number(1.5)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f]),
            // official: Value(string_value='')
            (ProtoValue(.string("")), [0x1a, 0x00]),
            // official: Value(string_value='héllo')
            (ProtoValue(.string("héllo")), [0x1a, 0x06, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]),
            // official: Value(bool_value=False)
            (ProtoValue(.bool(false)), [0x20, 0x00]),
            // official: Value(bool_value=True)
            (ProtoValue(.bool(true)), [0x20, 0x01]),
            // official: Value(struct_value=Struct())
            (ProtoValue(.structValue(ProtoStruct())), [0x2a, 0x00]),
            // official: Value(struct_value=struct_of({'a': 'b'}))
            (
                ProtoValue(.structValue(["a": "b"])),
                [0x2a, 0x0a, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62]
            ),
            // official: Value(list_value=ListValue())
            (ProtoValue(.list(ProtoListValue())), [0x32, 0x00]),
            // official: Value(list_value=ListValue(values=[Value(bool_value=False), Value(number_value=0)]))
            (
                ProtoValue(.list([false, 0])),
                hex(
                    """
                    32 0f 0a 02 20 00 0a 09 11 00 00 00 00 00 00 00 00
                    """)
            ),
            // official: Value()
            (ProtoValue(), []),
        ] as [(ProtoValue, [UInt8])])
    func protoValue(_ value: ProtoValue, _ bytes: [UInt8]) {
        expectEncode(bytes) { (m: inout ProtoValue) in m = value }
    }

    @Test func negativeZeroNumberValueKeepsItsSign() throws {
        let decoded = try ProtoValue(serializedBytes: [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80])
        guard case .number(let number) = decoded.kind else {
            Issue.record("not a number: \(decoded)")
            return
        }
        #expect(number.bitPattern == (-0.0 as Double).bitPattern)
    }
}
