/// `google.protobuf.FileDescriptorSet`: what `protoc -o` writes, and what a protobuf runtime
/// carries for each `.proto` file it was built from.
///
/// ```swift
/// let files = try FileDescriptorSet(serializedBytes: bytes)
/// print(files.file.map(\.name))  // ["proto/clarifai/api/resources.proto", …]
/// ```
public struct FileDescriptorSet: DescriptorMessage {
    static let shortName = "FileDescriptorSet"
    /// The files of the set (`protoc --include_imports` writes each file after the files it imports).
    public var file: [FileDescriptorProto] = []  // repeated FileDescriptorProto file = 1;
    /// Fields of `google.protobuf.FileDescriptorSet` this package does not read, as their wire bytes.
    public var unknownFields: [UInt8] = []

    /// An empty set.
    public init() {}

    /// A set of these files.
    public init(file: [FileDescriptorProto]) {
        self.file = file
    }

    /// Decodes a set from its wire bytes, as strictly as any message (``WireError`` with the path).
    public init(serializedBytes bytes: [UInt8]) throws(WireError) {
        self = try Self(descriptorBytes: bytes)
    }

    static func fieldName(_ number: Int) -> String? { number == 1 ? "file" : nil }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readDescriptor(tag, appendingTo: &file)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}

/// `google.protobuf.FileDescriptorProto`: one `.proto` file.
public struct FileDescriptorProto: DescriptorMessage {
    static let shortName = "FileDescriptorProto"
    static let names: [Int: String] = [
        1: "name", 2: "package", 3: "dependency", 4: "message_type", 5: "enum_type", 6: "service", 7: "extension",
        8: "options", 12: "syntax",
    ]

    /// The file's path as imported, e.g. `proto/clarifai/api/resources.proto`.
    public var name = ""  // optional string name = 1;
    /// The package that qualifies the file's names, e.g. `clarifai.api`.
    public var package = ""  // optional string package = 2;
    /// The paths of the files it imports.
    public var dependency: [String] = []  // repeated string dependency = 3;
    /// The message types it declares at top level.
    public var messageType: [DescriptorProto] = []  // repeated DescriptorProto message_type = 4;
    /// The enums it declares at top level.
    public var enumType: [EnumDescriptorProto] = []  // repeated EnumDescriptorProto enum_type = 5;
    /// The services it declares (`clarifai.api.V2`).
    public var service: [ServiceDescriptorProto] = []  // repeated ServiceDescriptorProto service = 6;
    /// Extensions it declares at top level (Clarifai's field options), kept but not applied.
    public var `extension`: [FieldDescriptorProto] = []  // repeated FieldDescriptorProto extension = 7;
    /// `"proto2"` when empty, `"proto3"`, or `"editions"`.
    public var syntax = ""  // optional string syntax = 12;
    /// Options (8), source code info (9) and the rest, as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty descriptor.
    public init() {}

    /// A file at path `name` in `package` with these declarations.
    public init(
        name: String, package: String, syntax: String = "proto3", messageType: [DescriptorProto] = [],
        enumType: [EnumDescriptorProto] = [], dependency: [String] = []
    ) {
        self.name = name
        self.package = package
        self.syntax = syntax
        self.messageType = messageType
        self.enumType = enumType
        self.dependency = dependency
    }

    static func fieldName(_ number: Int) -> String? { names[number] }

    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: name = try reader.readString(tag)
        case 2: package = try reader.readString(tag)
        case 3: dependency.append(try reader.readString(tag))
        case 4: try reader.readDescriptor(tag, appendingTo: &messageType)
        case 5: try reader.readDescriptor(tag, appendingTo: &enumType)
        case 6: try reader.readDescriptor(tag, appendingTo: &service)
        case 7: try reader.readDescriptor(tag, appendingTo: &`extension`)
        case 12: syntax = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }
}
