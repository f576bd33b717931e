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

    /// The message's name, unqualified (`Annotation`); the file's package and enclosing types qualify it.
    public var name = ""  // optional string name = 1;
    /// The message's fields, in declaration order.
    public var field: [FieldDescriptorProto] = []  // repeated FieldDescriptorProto field = 2;
    /// The messages declared inside this one (a `map` field's synthetic entry type among them).
    public var nestedType: [DescriptorProto] = []  // repeated DescriptorProto nested_type = 3;
    /// The enums declared inside this message.
    public var enumType: [EnumDescriptorProto] = []  // repeated EnumDescriptorProto enum_type = 4;
    /// Extensions declared inside this message (`extend` blocks), kept but not applied.
    public var `extension`: [FieldDescriptorProto] = []  // repeated FieldDescriptorProto extension = 6;
    /// The message's options; nil when the descriptor carries none.
    public var options: MessageOptions?  // optional MessageOptions options = 7;
    /// The message's oneofs, in declaration order; a field's `oneofIndex` points into them.
    public var oneofDecl: [OneofDescriptorProto] = []  // repeated OneofDescriptorProto oneof_decl = 8;
    /// Extension and reserved ranges, reserved names, as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    /// A message type named `name` with these fields, nested types and oneofs; `isMapEntry` marks it as the
    /// entry type of a `map` field.
    public init(
        name: String, field: [FieldDescriptorProto] = [], nestedType: [DescriptorProto] = [],
        enumType: [EnumDescriptorProto] = [], oneofDecl: [String] = [], isMapEntry: Bool = false
    ) {
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
    /// The oneof's name, e.g. `worker` in `clarifai.api.Worker`.
    public var name = ""  // optional string name = 1;
    /// Options (2), as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}
    /// A oneof named `name`.
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
    /// Fields of `google.protobuf.MessageOptions` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// Options with every field at its default (not a map entry).
    public init() {}
    /// Options marking (or not) a message as a map's entry type.
    public init(mapEntry: Bool) { self.mapEntry = mapEntry }

    static func fieldName(_ number: Int) -> String? { number == 7 ? "map_entry" : nil }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 7: mapEntry = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}
