/// One field of a message type in a ``DescriptorSet``, with its type name resolved and the
/// rules that decide how it is read and written (presence, packing, JSON name, Clarifai options).
///
/// ```swift
/// let value = set.messageType("clarifai.api.Concept")?.field(named: "value")
/// print(value?.showsIfEmpty ?? false)  // true (cl_show_if_empty)
/// ```
public struct FieldSchema: Sendable {
    /// The field's `.proto` name, e.g. `input_id`.
    public let name: String
    /// The name in proto3 JSON: `json_name` from the descriptor, or protoc's lowerCamelCase rule.
    public let jsonName: String
    /// The field number.
    public let number: Int
    /// How the value is encoded.
    public let type: FieldDescriptorProto.ValueType
    /// Whether the field is repeated (a `map` field is: it holds entry messages).
    public let isRepeated: Bool
    /// Whether a default value that was set is kept (messages, oneof members, `optional`, proto2).
    public let hasPresence: Bool
    /// Whether a repeated scalar is written packed (proto3's default, or `[packed = true]`).
    public let isPacked: Bool
    /// The index of the real oneof this field belongs to (not the synthetic one of `optional`).
    public let oneofIndex: Int?
    /// Clarifai's `cl_show_if_empty`: written in JSON even when zero or empty.
    public let showsIfEmpty: Bool
    /// Clarifai's `cl_default_float`: the value when JSON leaves the field out (0: none).
    public let defaultFloat: Float
    /// The full name of the message or enum type, without a leading dot; empty for scalars.
    public let typeName: String
    /// Whether the field is a `map<K, V>` (a repeated message whose type is a map entry).
    public internal(set) var isMap = false
    var messageIndex = -1
    var enumIndex = -1

    init(_ field: FieldDescriptorProto, typeName: String, isProto3: Bool, oneofIndex: Int?) {
        name = field.name
        jsonName = field.jsonName.isEmpty ? FieldNames.lowerCamelCase(field.name) : field.jsonName
        number = Int(field.number)
        type = field.type
        isRepeated = field.label == .repeated
        self.oneofIndex = oneofIndex
        hasPresence =
            !isRepeated
            && (field.type == .message || field.type == .group || oneofIndex != nil || field.proto3Optional
                || !isProto3)
        isPacked = isRepeated && FieldSchema.isPackable(field.type) && (field.options?.packed ?? isProto3)
        showsIfEmpty = field.options?.clShowIfEmpty ?? false
        defaultFloat = field.options?.clDefaultFloat ?? 0
        self.typeName = typeName
    }

    /// Numeric types, the only ones that can be packed.
    static func isPackable(_ type: FieldDescriptorProto.ValueType) -> Bool {
        ![.string, .bytes, .message, .group].contains(type)
    }

    /// The wire type of one value of this field (unpacked).
    var wireType: WireType {
        switch type {
        case .double, .fixed64, .sfixed64: .fixed64
        case .float, .fixed32, .sfixed32: .fixed32
        case .string, .bytes, .message: .lengthDelimited
        case .group: .startGroup
        default: .varint
        }
    }
}
