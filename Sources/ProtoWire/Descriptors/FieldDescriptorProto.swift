/// `google.protobuf.FieldDescriptorProto`: one field of a message (or an extension).
///
/// ```swift
/// let ids = FieldDescriptorProto(name: "input_ids", number: 3, type: .string, label: .repeated)
/// ```
public struct FieldDescriptorProto: DescriptorMessage {
    static let shortName = "FieldDescriptorProto"
    static let names: [Int: String] = [
        1: "name", 2: "extendee", 3: "number", 4: "label", 5: "type", 6: "type_name", 7: "default_value",
        8: "options", 9: "oneof_index", 10: "json_name", 17: "proto3_optional",
    ]

    /// `FieldDescriptorProto.Type`: how a value is encoded. Raw values as in descriptor.proto.
    public struct ValueType: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `TYPE_DOUBLE` (1): 8 bytes, little-endian.
        public static let double = ValueType(rawValue: 1)
        /// `TYPE_FLOAT` (2): 4 bytes, little-endian.
        public static let float = ValueType(rawValue: 2)
        /// `TYPE_INT64` (3): varint; negative values take 10 bytes.
        public static let int64 = ValueType(rawValue: 3)
        /// `TYPE_UINT64` (4): varint.
        public static let uint64 = ValueType(rawValue: 4)
        /// `TYPE_INT32` (5): varint; negative values are sign-extended to 10 bytes.
        public static let int32 = ValueType(rawValue: 5)
        /// `TYPE_FIXED64` (6): unsigned, 8 bytes little-endian.
        public static let fixed64 = ValueType(rawValue: 6)
        /// `TYPE_FIXED32` (7): unsigned, 4 bytes little-endian.
        public static let fixed32 = ValueType(rawValue: 7)
        /// `TYPE_BOOL` (8): varint, 0 or 1.
        public static let bool = ValueType(rawValue: 8)
        /// `TYPE_STRING` (9): length-delimited UTF-8.
        public static let string = ValueType(rawValue: 9)
        /// `TYPE_GROUP` (10): proto2 group, deprecated; the reader rejects its wire types.
        public static let group = ValueType(rawValue: 10)
        /// `TYPE_MESSAGE` (11): length-delimited message; `typeName` names it.
        public static let message = ValueType(rawValue: 11)
        /// `TYPE_BYTES` (12): length-delimited bytes.
        public static let bytes = ValueType(rawValue: 12)
        /// `TYPE_UINT32` (13): varint.
        public static let uint32 = ValueType(rawValue: 13)
        /// `TYPE_ENUM` (14): varint; `typeName` names the enum.
        public static let `enum` = ValueType(rawValue: 14)
        /// `TYPE_SFIXED32` (15): signed, 4 bytes little-endian.
        public static let sfixed32 = ValueType(rawValue: 15)
        /// `TYPE_SFIXED64` (16): signed, 8 bytes little-endian.
        public static let sfixed64 = ValueType(rawValue: 16)
        /// `TYPE_SINT32` (17): ZigZag varint.
        public static let sint32 = ValueType(rawValue: 17)
        /// `TYPE_SINT64` (18): ZigZag varint.
        public static let sint64 = ValueType(rawValue: 18)

        /// The `.proto` keyword (`int32`, `message`, …), or `type N` for a number descriptor.proto
        /// does not define.
        public var name: String {
            let names = [
                "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string",
                "group", "message", "bytes", "uint32", "enum", "sfixed32", "sfixed64", "sint32", "sint64",
            ]
            return (1...18).contains(rawValue) ? names[Int(rawValue) - 1] : "type \(rawValue)"
        }
    }

    /// `FieldDescriptorProto.Label`.
    public struct Label: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `LABEL_OPTIONAL` (1): a singular field (proto3's plain fields too).
        public static let optional = Label(rawValue: 1)
        /// `LABEL_REQUIRED` (2): a proto2 required field.
        public static let required = Label(rawValue: 2)
        /// `LABEL_REPEATED` (3): a repeated field (and `map` fields).
        public static let repeated = Label(rawValue: 3)
    }

    /// The field's `.proto` name, e.g. `input_id`.
    public var name = ""  // optional string name = 1;
    /// For an extension, the message it extends; empty for a plain field.
    public var extendee = ""  // optional string extendee = 2;
    /// The field number, 1…2^29 - 1.
    public var number: Int32 = 0  // optional int32 number = 3;
    /// Singular, required or repeated.
    public var label = Label.optional  // optional Label label = 4;
    /// How the value is encoded (`ValueType`); 0 when the descriptor leaves it out.
    public var type = ValueType(rawValue: 0)  // optional Type type = 5;
    /// The message or enum type, fully qualified with a leading dot (`.clarifai.api.Data`) or relative.
    public var typeName = ""  // optional string type_name = 6;
    /// The proto2 default value as text (`"1.5"`, `"FOO"`); empty in proto3.
    public var defaultValue = ""  // optional string default_value = 7;
    /// The field's options; nil when the descriptor carries none.
    public var options: FieldOptions?  // optional FieldOptions options = 8;
    /// Index into the containing message's `oneof_decl`.
    public var oneofIndex: Int32?  // optional int32 oneof_index = 9;
    /// The JSON name protoc computed (lowerCamelCase unless `json_name` was set); empty when absent.
    public var jsonName = ""  // optional string json_name = 10;
    /// The field is declared `optional` in proto3 (explicit presence, through a synthetic oneof).
    public var proto3Optional = false  // optional bool proto3_optional = 17;
    /// Fields of `google.protobuf.FieldDescriptorProto` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    /// A field with this name, number, type and label; `typeName` for message and enum fields.
    public init(
        name: String, number: Int32, type: ValueType, label: Label = .optional, typeName: String = "",
        oneofIndex: Int32? = nil, proto3Optional: Bool = false, options: FieldOptions? = nil
    ) {
        self.name = name
        self.number = number
        self.type = type
        self.label = label
        self.typeName = typeName
        self.oneofIndex = oneofIndex
        self.proto3Optional = proto3Optional
        self.options = options
    }

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: extendee = try reader.readString(tag)
        case 3: number = try reader.readInt32(tag)
        case 4: label = Label(rawValue: try reader.readInt32(tag))
        case 5: type = ValueType(rawValue: try reader.readInt32(tag))
        case 6: typeName = try reader.readString(tag)
        case 7: defaultValue = try reader.readString(tag)
        case 8: try reader.readDescriptor(tag, into: &options)
        case 9: oneofIndex = try reader.readInt32(tag)
        case 10: jsonName = try reader.readString(tag)
        case 17: proto3Optional = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.FieldOptions`: `packed`, and Clarifai's JSON field extensions
/// (`proto/clarifai/api/utils/extensions.proto`).
public struct FieldOptions: DescriptorMessage {
    static let shortName = "FieldOptions"
    static let names: [Int: String] = [
        2: "packed", 3: "deprecated", 50000: "cl_show_if_empty", 50001: "cl_moretags", 50010: "cl_default_float",
    ]

    /// Explicit `[packed = …]`; nil leaves the syntax's default (packed in proto3).
    public var packed: Bool?  // optional bool packed = 2;
    /// The field is declared `[deprecated = true]`.
    public var deprecated = false  // optional bool deprecated = 3;
    /// Clarifai: written in JSON even when zero or empty.
    public var clShowIfEmpty = false  // extend FieldOptions { bool cl_show_if_empty = 50000; }
    /// Clarifai's `cl_moretags` option: extra struct tags for Clarifai's Go code; no effect on the wire.
    public var clMoretags = ""  // extend FieldOptions { string cl_moretags = 50001; }
    /// Clarifai: the value a field has when JSON leaves it out (Concept.value: 1).
    public var clDefaultFloat: Float = 0  // extend FieldOptions { float cl_default_float = 50010; }
    /// Fields of `google.protobuf.FieldOptions` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// Options with every field at its default.
    public init() {}

    /// Options with `packed`, `cl_show_if_empty` and `cl_default_float` as given.
    public init(packed: Bool? = nil, clShowIfEmpty: Bool = false, clDefaultFloat: Float = 0) {
        self.packed = packed
        self.clShowIfEmpty = clShowIfEmpty
        self.clDefaultFloat = clDefaultFloat
    }

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 2: packed = try reader.readBool(tag)
        case 3: deprecated = try reader.readBool(tag)
        case 50000: clShowIfEmpty = try reader.readBool(tag)
        case 50001: clMoretags = try reader.readString(tag)
        case 50010: clDefaultFloat = try reader.readFloat(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}
