import ProtoWire
import Testing

/// The dynamic codec on a small hand-written schema: exact bytes both ways, the failures the
/// typed decoder reports (with their paths), and the well-known types' JSON. The official
/// descriptors are exercised by Tests/Compat/test_dynamic_messages.py.
struct DynamicMessageTests {
    typealias Field = FieldDescriptorProto

    /// `test.Box { float top = 1 [cl_show_if_empty]; repeated int64 ids = 2; test.Box inner = 3;
    /// string name = 4; map<string, sint32> counts = 5; Timestamp at = 6; Duration took = 7;
    /// FieldMask mask = 8; Value value = 9; Kind kind = 10; float score = 11 [cl_default_float = 1]; }`
    static let set: DescriptorSet = try! DescriptorSet(
        FileDescriptorSet(file: [
            FileDescriptorProto(
                name: "google/protobuf/wkt.proto", package: "google.protobuf",
                messageType: [
                    DescriptorProto(
                        name: "Timestamp",
                        field: [
                            Field(name: "seconds", number: 1, type: .int64),
                            Field(name: "nanos", number: 2, type: .int32),
                        ]),
                    DescriptorProto(
                        name: "Duration",
                        field: [
                            Field(name: "seconds", number: 1, type: .int64),
                            Field(name: "nanos", number: 2, type: .int32),
                        ]),
                    DescriptorProto(
                        name: "FieldMask", field: [Field(name: "paths", number: 1, type: .string, label: .repeated)]),
                    DescriptorProto(
                        name: "Value",
                        field: [
                            Field(name: "null_value", number: 1, type: .enum, typeName: "NullValue", oneofIndex: 0),
                            Field(name: "number_value", number: 2, type: .double, oneofIndex: 0),
                            Field(name: "string_value", number: 3, type: .string, oneofIndex: 0),
                        ], oneofDecl: ["kind"]),
                ], enumType: [EnumDescriptorProto(name: "NullValue", value: [.init(name: "NULL_VALUE", number: 0)])]),
            FileDescriptorProto(
                name: "test.proto", package: "test",
                messageType: [
                    DescriptorProto(
                        name: "Box",
                        field: [
                            Field(name: "top", number: 1, type: .float, options: FieldOptions(clShowIfEmpty: true)),
                            Field(name: "ids", number: 2, type: .int64, label: .repeated),
                            Field(name: "inner", number: 3, type: .message, typeName: "Box"),
                            Field(name: "name", number: 4, type: .string),
                            Field(
                                name: "counts", number: 5, type: .message, label: .repeated, typeName: "Box.CountsEntry"
                            ),
                            Field(name: "at", number: 6, type: .message, typeName: ".google.protobuf.Timestamp"),
                            Field(name: "took", number: 7, type: .message, typeName: ".google.protobuf.Duration"),
                            Field(name: "mask", number: 8, type: .message, typeName: ".google.protobuf.FieldMask"),
                            Field(name: "value", number: 9, type: .message, typeName: ".google.protobuf.Value"),
                            Field(name: "kind", number: 10, type: .enum, typeName: "Kind"),
                            Field(name: "score", number: 11, type: .float, options: FieldOptions(clDefaultFloat: 1)),
                        ],
                        nestedType: [
                            DescriptorProto(
                                name: "CountsEntry",
                                field: [
                                    Field(name: "key", number: 1, type: .string),
                                    Field(name: "value", number: 2, type: .sint32),
                                ],
                                isMapEntry: true)
                        ])
                ],
                enumType: [
                    EnumDescriptorProto(
                        name: "Kind", value: [.init(name: "NONE", number: 0), .init(name: "BIG", number: 1)])
                ],
                dependency: ["google/protobuf/wkt.proto"]),
        ]))
    static let box = set.messageType("test.Box")!

    func decode(_ bytes: [UInt8]) throws -> DynamicMessage {
        try DynamicMessage(serializedBytes: bytes, type: Self.box)
    }

    @Test func bytesRoundTripInFieldOrderWithUnknownFieldsLast() throws {
        // top 0.5, ids [1, -1] packed, inner {name "x"}, counts {"a": -1}, kind 7 (unknown), #99 varint 1
        let bytes = hex("0d 0000003f 12 0b 01 ffffffffffffffffff01 1a 03 2201 78 2a 05 0a0161 1001 50 07 98 06 01")
        let message = try decode(bytes)
        #expect(message.serializedBytes() == bytes)
        #expect(message.values(of: "name") == [])
        #expect(message.unknownFields == hex("98 06 01"))
        // inner carries name "x"; cl_show_if_empty adds its zero top, json_format (.plain) leaves it out.
        #expect(
            try message.jsonString()
                == #"{"top":0.5,"ids":["1","-1"],"inner":{"top":0.0,"name":"x"},"counts":{"a":-1},"kind":7}"#)
        #expect(
            try message.jsonString(options: .plain)
                == #"{"top":0.5,"ids":["1","-1"],"inner":{"name":"x"},"counts":{"a":-1},"kind":7}"#)
    }

    @Test func unpackedInputIsAcceptedAndWrittenPacked() throws {
        #expect(try decode(hex("10 01 10 02")).serializedBytes() == hex("12 02 01 02"))
    }

    @Test(arguments: [
        ("0a 01", "Box.top: wire type 2 where 5 was expected"),
        ("22 05 61", "Box.name: truncated length"),
        ("22 01 ff", "Box.name: invalid UTF-8 in string"),
        ("1a 02 22 05", "Box.inner.name: truncated length"),
        ("2a 04 0a 02 ff fe", "Box.counts[0].key: invalid UTF-8 in string"),
        ("12 01 80", "Box.ids: truncated varint"),
        // As for the typed messages: the tag itself is refused, before any field is named.
        ("9b 06", "Box: group wire type not supported"),
    ])
    func failuresNameTheFieldPath(_ input: String, _ expected: String) {
        #expect(throws: WireError.self) { try decode(hex(input)) }
        do {
            _ = try decode(hex(input))
        } catch {
            #expect("\(error)" == expected)
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        var deep: [UInt8] = []
        for _ in 0..<(WireReader.maxDepth + 1) {
            deep = [0x1a] + varint(UInt64(deep.count)) + deep
        }
        #expect(throws: WireError.self) { try decode(deep) }
        do { _ = try decode(deep) } catch { #expect("\(error)".hasSuffix("nesting deeper than 100")) }
    }

    private func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    @Test func wellKnownTypesHaveTheirJSONForms() throws {
        let json =
            #"{"at":"2024-01-02T03:04:05.500Z","took":"-1.000000005s","mask":"displayName,id","value":"x","kind":"BIG"}"#
        let message = try DynamicMessage(jsonString: json, type: Self.box, options: .plain)
        #expect(try message.jsonString(options: .plain) == json)
        let back = try DynamicMessage(serializedBytes: message.serializedBytes(), type: Self.box)
        #expect(back == message)
        // null is Value's null_value, which is set (a oneof member); json_format gives exactly these bytes.
        #expect(
            try DynamicMessage(jsonString: #"{"value":null}"#, type: Self.box, options: .plain).serializedBytes()
                == hex("4a 02 08 00"))
        // With the Clarifai options, the left-out score is cl_default_float's 1.
        #expect(
            try DynamicMessage(jsonString: #"{"value":null}"#, type: Self.box).serializedBytes()
                == hex("4a 02 08 00 5d 0000803f"))
    }

    @Test func jsonThatJSONCannotHoldIsRefused() throws {
        let nan = try decode(hex("4a 09 11 000000000000f87f"))
        #expect(throws: JSONError.self) { try nan.jsonString() }
        // at { seconds: Int64.max }: 10 bytes (tag, 9-byte varint)
        let farFuture = try decode(hex("32 0a 08 ffffffffffffffff7f"))
        #expect(throws: JSONError.self) { try farFuture.jsonString() }
        // took { seconds: Int64.min } and took { nanos: Int32.min }: refused, not a trap.
        let longAgo = try decode(hex("3a 0b 08 80808080808080808001"))
        #expect(throws: JSONError.self) { try longAgo.jsonString() }
        let negativeNanos = try decode(hex("3a 0b 10 80808080f8ffffffff01"))
        #expect(throws: JSONError.self) { try negativeNanos.jsonString() }
    }

    @Test func clarifaiOptionsDecideWhatJSONMeans() throws {
        // cl_default_float: a Box read from JSON without "score" has score 1.
        #expect(try DynamicMessage(jsonString: "{}", type: Self.box).serializedBytes() == hex("5d 0000803f"))
        #expect(try DynamicMessage(jsonString: "{}", type: Self.box, options: .plain).serializedBytes() == [])
        #expect(try DynamicMessage(jsonString: #"{"score":0}"#, type: Self.box).serializedBytes() == [])
    }

    @Test(arguments: [
        (#"{"nope":1}"#, "Box.nope: unknown field"),
        (#"{"name":5}"#, "Box.name: expected a string"),
        (#"{"inner":{"ids":["x"]}}"#, "Box.inner.ids[0]: expected an integer"),
        (#"{"kind":"HUGE"}"#, "Box.kind: unknown enum value name \"HUGE\""),
        (#"{"took":"5"}"#, "Box.took: expected a duration such as \"1.5s\""),
        (#"{"counts":{"a":"b"}}"#, "Box.counts[a]: expected an integer"),
    ])
    func jsonFailuresNameTheFieldPath(_ input: String, _ expected: String) {
        do {
            _ = try DynamicMessage(jsonString: input, type: Self.box)
            Issue.record("\(input) decoded")
        } catch {
            #expect("\(error)" == expected)
        }
    }

    @Test func descriptorSetsAreReadStrictlyAndResolved() throws {
        // FileDescriptorSet { file { name: "a" message_type { name: "M" field { name: "x" number: 1 type: TYPE_MESSAGE type_name: "N" } } } }
        let unresolved = hex("0a 14 0a 01 61 22 0f 0a 01 4d 12 0a 0a 01 78 18 01 28 0b 32 01 4e")
        #expect(throws: DescriptorError.self) { try DescriptorSet(serializedBytes: unresolved) }
        do { _ = try DescriptorSet(serializedBytes: unresolved) } catch {
            #expect("\(error)" == "M.x: unresolved type N")
        }
        for (input, expected) in [
            ("0a 03 0a 03 61", "FileDescriptorSet.file[0].name: truncated length"),  // the name runs past file[0]
            ("0a 05 0a 03 61", "FileDescriptorSet.file[0]: truncated length"),  // file[0] runs past the set
        ] {
            do {
                _ = try DescriptorSet(serializedBytes: hex(input))
                Issue.record("a truncated set was read: \(input)")
            } catch {
                #expect("\(error)" == "not a FileDescriptorSet: \(expected)")
            }
        }
        #expect(Self.box.field(named: "top")?.showsIfEmpty == true)
        #expect(Self.box.field(named: "counts")?.isMap == true)
        #expect(Self.box.field(number: 5)?.jsonName == "counts")
    }
}
