/// `google.protobuf.EnumDescriptorProto`: an enum type and its named values.
///
/// ```swift
/// let action = EnumDescriptorProto(name: "Action", value: [.init(name: "MERGE", number: 0)])
/// ```
public struct EnumDescriptorProto: DescriptorMessage {
    static let shortName = "EnumDescriptorProto"
    /// The enum's name, unqualified (`AnnotationDataType`).
    public var name = ""  // optional string name = 1;
    /// The enum's values, in declaration order (aliases included).
    public var value: [EnumValueDescriptorProto] = []  // repeated EnumValueDescriptorProto value = 2;
    /// Options (3), reserved ranges and names, as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    /// An enum named `name` with these values.
    public init(name: String, value: [EnumValueDescriptorProto]) {
        self.name = name
        self.value = value
    }

    static func fieldName(_ number: Int) -> String? { [1: "name", 2: "value"][number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: try reader.readDescriptor(tag, appendingTo: &value)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.EnumValueDescriptorProto`: one name and its number.
public struct EnumValueDescriptorProto: DescriptorMessage {
    static let shortName = "EnumValueDescriptorProto"
    /// The value's name, e.g. `BOUNDING_BOX`.
    public var name = ""  // optional string name = 1;
    /// The value's number, e.g. 2.
    public var number: Int32 = 0  // optional int32 number = 2;
    /// Options (3; Clarifai's `description` extension), as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    /// A value named `name` with this number.
    public init(name: String, number: Int32) {
        self.name = name
        self.number = number
    }

    static func fieldName(_ number: Int) -> String? { [1: "name", 2: "number"][number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: number = try reader.readInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}
