/// `google.protobuf.DescriptorProto`: one message type, with its nested types and enums.
///
/// ```swift
/// let point = DescriptorProto(name: "Point", field: [
///     FieldDescriptorProto(name: "row", number: 1, type: .float),
/// ])
/// ```
public struct DescriptorProto: DescriptorMessage {
    static let shortName = "DescriptorProto"
    static let names: [Int: String] = [
        1: "name", 2: "field", 3: "nested_type", 4: "enum_type", 6: "extension", 7: "options", 8: "oneof_decl",
    ]

    public var name = ""  // optional string name = 1;
    public var field: [FieldDescriptorProto] = []  // repeated FieldDescriptorProto field = 2;
    public var nestedType: [DescriptorProto] = []  // repeated DescriptorProto nested_type = 3;
    public var enumType: [EnumDescriptorProto] = []  // repeated EnumDescriptorProto enum_type = 4;
    public var `extension`: [FieldDescriptorProto] = []  // repeated FieldDescriptorProto extension = 6;
    public var options: MessageOptions?  // optional MessageOptions options = 7;
    public var oneofDecl: [OneofDescriptorProto] = []  // repeated OneofDescriptorProto oneof_decl = 8;
    /// Extension and reserved ranges, reserved names, as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(name: String, field: [FieldDescriptorProto] = [], nestedType: [DescriptorProto] = [],
                enumType: [EnumDescriptorProto] = [], oneofDecl: [String] = [], isMapEntry: Bool = false) {
        self.name = name
        self.field = field
        self.nestedType = nestedType
        self.enumType = enumType
        self.oneofDecl = oneofDecl.map { OneofDescriptorProto(name: $0) }
        if isMapEntry { options = MessageOptions(mapEntry: true) }
    }

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: try reader.readDescriptor(tag, appendingTo: &field)
        case 3: try reader.readDescriptor(tag, appendingTo: &nestedType)
        case 4: try reader.readDescriptor(tag, appendingTo: &enumType)
        case 6: try reader.readDescriptor(tag, appendingTo: &`extension`)
        case 7: try reader.readDescriptor(tag, into: &options)
        case 8: try reader.readDescriptor(tag, appendingTo: &oneofDecl)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.OneofDescriptorProto`: the name of a oneof; fields point at it by index.
public struct OneofDescriptorProto: DescriptorMessage {
    static let shortName = "OneofDescriptorProto"
    public var name = ""  // optional string name = 1;
    /// Options (2), as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}
    public init(name: String) { self.name = name }

    static func fieldName(_ number: Int) -> String? { number == 1 ? "name" : nil }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.MessageOptions`: only `map_entry` changes how a message is read.
public struct MessageOptions: DescriptorMessage {
    static let shortName = "MessageOptions"
    /// The message is the synthetic entry type of a `map<K, V>` field.
    public var mapEntry = false  // optional bool map_entry = 7;
    public var unknownFields: [UInt8] = []

    public init() {}
    public init(mapEntry: Bool) { self.mapEntry = mapEntry }

    static func fieldName(_ number: Int) -> String? { number == 7 ? "map_entry" : nil }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 7: mapEntry = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}
