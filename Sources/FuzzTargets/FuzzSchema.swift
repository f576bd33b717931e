import ProtoWire

/// The descriptor set the `dynamic` fuzz target decodes with: written here by hand (no
/// `.proto` file, no protoc), one message `fuzz.Everything` with a field of every kind the
/// dynamic codec reads — each scalar type singular and repeated (packed and not), an enum, a
/// oneof, proto3 `optional`, maps, recursion, and the well-known types with their own JSON.
///
/// ```swift
/// let type = FuzzSchema.everything
/// let message = try DynamicMessage(serializedBytes: bytes, type: type)
/// ```
public enum FuzzSchema {
    public static let descriptorSet: DescriptorSet = {
        do {
            return try DescriptorSet(FileDescriptorSet(file: [wellKnownFile, fuzzFile]))
        } catch {
            fatalError("FuzzSchema does not resolve: \(error)")  // a bug in this file, not input
        }
    }()

    public static var everything: MessageType { descriptorSet.messageType("fuzz.Everything")! }

    private typealias Field = FieldDescriptorProto

    /// The field numbers of `fuzz.Everything`, for seeds and tests.
    public static let scalarTypes: [FieldDescriptorProto.ValueType] = [
        .double, .float, .int64, .uint64, .int32, .fixed64, .fixed32, .bool, .string, .bytes, .uint32,
        .sfixed32, .sfixed64, .sint32, .sint64,
    ]

    private static let fuzzFile: FileDescriptorProto = {
        var fields: [Field] = []
        // 1…15 singular scalars, 21…35 repeated (packed), 41…55 repeated unpacked.
        for (offset, type) in scalarTypes.enumerated() {
            let name = "f\(type.rawValue)"
            fields.append(Field(name: "\(name)_single", number: Int32(1 + offset), type: type))
            fields.append(Field(name: "\(name)_packed", number: Int32(21 + offset), type: type, label: .repeated))
            fields.append(
                Field(
                    name: "\(name)_unpacked", number: Int32(41 + offset), type: type, label: .repeated,
                    options: FieldOptions(packed: false)))
        }
        fields += [
            Field(name: "color", number: 60, type: .enum, typeName: ".fuzz.Color"),
            Field(name: "colors", number: 61, type: .enum, label: .repeated, typeName: ".fuzz.Color"),
            Field(name: "child", number: 62, type: .message, typeName: ".fuzz.Everything"),
            Field(name: "children", number: 63, type: .message, label: .repeated, typeName: "Everything"),
            Field(
                name: "by_name", number: 64, type: .message, label: .repeated, typeName: ".fuzz.Everything.ByNameEntry"),
            Field(
                name: "by_number", number: 65, type: .message, label: .repeated, typeName: "Everything.ByNumberEntry"),
            Field(name: "text", number: 66, type: .string, oneofIndex: 0),
            Field(name: "count", number: 67, type: .int32, oneofIndex: 0),
            Field(name: "node", number: 68, type: .message, typeName: ".fuzz.Everything", oneofIndex: 0),
            Field(name: "maybe", number: 69, type: .uint64, oneofIndex: 1, proto3Optional: true),
            Field(
                name: "score", number: 70, type: .float, options: FieldOptions(clShowIfEmpty: true, clDefaultFloat: 1)),
            Field(name: "created_at", number: 71, type: .message, typeName: ".google.protobuf.Timestamp"),
            Field(name: "elapsed", number: 72, type: .message, typeName: ".google.protobuf.Duration"),
            Field(name: "metadata", number: 73, type: .message, typeName: ".google.protobuf.Struct"),
            Field(name: "value", number: 74, type: .message, typeName: ".google.protobuf.Value"),
            Field(name: "detail", number: 75, type: .message, typeName: ".google.protobuf.Any"),
            Field(name: "mask", number: 76, type: .message, typeName: ".google.protobuf.FieldMask"),
            Field(name: "wrapped_int", number: 77, type: .message, typeName: ".google.protobuf.Int64Value"),
            Field(name: "wrapped_text", number: 78, type: .message, typeName: ".google.protobuf.StringValue"),
            Field(name: "nothing", number: 79, type: .message, typeName: ".google.protobuf.Empty"),
            Field(
                name: "labels", number: 80, type: .string, label: .repeated,
                options: FieldOptions(clShowIfEmpty: true)),
        ]
        let everything = DescriptorProto(
            name: "Everything", field: fields,
            nestedType: [
                DescriptorProto(
                    name: "ByNameEntry",
                    field: [
                        Field(name: "key", number: 1, type: .string),
                        Field(name: "value", number: 2, type: .message, typeName: ".fuzz.Everything"),
                    ], isMapEntry: true),
                DescriptorProto(
                    name: "ByNumberEntry",
                    field: [
                        Field(name: "key", number: 1, type: .sint64),
                        Field(name: "value", number: 2, type: .enum, typeName: ".fuzz.Color"),
                    ], isMapEntry: true),
            ],
            oneofDecl: ["choice", "_maybe"]
        )
        let color = EnumDescriptorProto(
            name: "Color",
            value: [
                EnumValueDescriptorProto(name: "COLOR_UNSET", number: 0),
                EnumValueDescriptorProto(name: "RED", number: 1),
                EnumValueDescriptorProto(name: "GREEN", number: -2),
            ])
        return FileDescriptorProto(
            name: "fuzz.proto", package: "fuzz", messageType: [everything], enumType: [color],
            dependency: ["google/protobuf/well_known.proto"])
    }()

    /// The well-known types, as in google/protobuf/*.proto.
    private static let wellKnownFile: FileDescriptorProto = {
        func wrapper(_ name: String, _ type: FieldDescriptorProto.ValueType) -> DescriptorProto {
            DescriptorProto(name: name, field: [Field(name: "value", number: 1, type: type)])
        }
        let messages = [
            DescriptorProto(
                name: "Timestamp",
                field: [
                    Field(name: "seconds", number: 1, type: .int64), Field(name: "nanos", number: 2, type: .int32),
                ]),
            DescriptorProto(
                name: "Duration",
                field: [
                    Field(name: "seconds", number: 1, type: .int64), Field(name: "nanos", number: 2, type: .int32),
                ]),
            DescriptorProto(
                name: "Struct",
                field: [
                    Field(
                        name: "fields", number: 1, type: .message, label: .repeated,
                        typeName: ".google.protobuf.Struct.FieldsEntry")
                ],
                nestedType: [
                    DescriptorProto(
                        name: "FieldsEntry",
                        field: [
                            Field(name: "key", number: 1, type: .string),
                            Field(name: "value", number: 2, type: .message, typeName: ".google.protobuf.Value"),
                        ], isMapEntry: true)
                ]),
            DescriptorProto(
                name: "Value",
                field: [
                    Field(
                        name: "null_value", number: 1, type: .enum, typeName: ".google.protobuf.NullValue",
                        oneofIndex: 0),
                    Field(name: "number_value", number: 2, type: .double, oneofIndex: 0),
                    Field(name: "string_value", number: 3, type: .string, oneofIndex: 0),
                    Field(name: "bool_value", number: 4, type: .bool, oneofIndex: 0),
                    Field(
                        name: "struct_value", number: 5, type: .message, typeName: ".google.protobuf.Struct",
                        oneofIndex: 0),
                    Field(
                        name: "list_value", number: 6, type: .message, typeName: ".google.protobuf.ListValue",
                        oneofIndex: 0),
                ], oneofDecl: ["kind"]),
            DescriptorProto(
                name: "ListValue",
                field: [
                    Field(
                        name: "values", number: 1, type: .message, label: .repeated, typeName: ".google.protobuf.Value")
                ]),
            DescriptorProto(
                name: "Any",
                field: [
                    Field(name: "type_url", number: 1, type: .string), Field(name: "value", number: 2, type: .bytes),
                ]),
            DescriptorProto(
                name: "FieldMask", field: [Field(name: "paths", number: 1, type: .string, label: .repeated)]),
            DescriptorProto(name: "Empty"),
            wrapper("Int64Value", .int64), wrapper("StringValue", .string), wrapper("DoubleValue", .double),
        ]
        let null = EnumDescriptorProto(
            name: "NullValue", value: [EnumValueDescriptorProto(name: "NULL_VALUE", number: 0)])
        return FileDescriptorProto(
            name: "google/protobuf/well_known.proto", package: "google.protobuf",
            messageType: messages, enumType: [null])
    }()
}
