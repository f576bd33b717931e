/// One message type of a ``DescriptorSet``: what a ``DynamicMessage`` is an instance of.
public struct MessageType: Sendable {
    /// The set the type belongs to, which resolves its message and enum fields.
    public let descriptorSet: DescriptorSet
    let index: Int

    var schema: MessageSchema { descriptorSet.messages[index] }

    /// The full name, e.g. `clarifai.api.Model`.
    public var fullName: String { schema.fullName }
    /// The fields in field-number order.
    public var fields: [FieldSchema] { schema.fields }

    /// The field with this `.proto` name, or nil.
    public func field(named name: String) -> FieldSchema? {
        schema.fields.first { $0.name == name }
    }

    /// The field with this number, or nil.
    public func field(number: Int) -> FieldSchema? {
        schema.fieldIndex(number: number).map { schema.fields[$0] }
    }
}

/// A resolved message type, stored once in its set.
struct MessageSchema: Sendable {
    let fullName: String
    /// The short name, the root of error paths (`Model`).
    let shortName: String
    var fields: [FieldSchema]
    let oneofNames: [String]
    let isMapEntry: Bool
    /// Set for the types whose proto3 JSON form is not an object of fields.
    let wellKnown: WellKnownType?
    private let indexByNumber: [Int: Int]
    /// JSON name and `.proto` name → index in `fields`.
    let indexByJSONKey: [String: Int]

    init(
        _ message: DescriptorProto, fullName: String, isProto3: Bool,
        resolve: (String) -> (String, message: Int?, enum: Int?)?
    ) throws(DescriptorError) {
        self.fullName = fullName
        shortName = message.name
        isMapEntry = message.options?.mapEntry ?? false
        wellKnown = WellKnownType(rawValue: fullName)
        // Oneofs that hold only a proto3 `optional` field are synthetic: not a oneof in JSON or on the wire.
        let realOneofs = Set(message.field.filter { !$0.proto3Optional }.compactMap(\.oneofIndex))
        oneofNames = message.oneofDecl.map(\.name)
        var fields: [FieldSchema] = []
        for field in message.field {
            let path = fullName + "." + field.name
            guard field.number > 0, field.number <= FieldTag.maxFieldNumber, (1...3).contains(field.label.rawValue),
                (1...18).contains(field.type.rawValue) || (field.type.rawValue == 0 && !field.typeName.isEmpty)
            else { throw DescriptorError(.invalidField, path: path) }
            var type = field.type
            var typeName = ""
            var messageIndex = -1
            var enumIndex = -1
            if type == .message || type == .enum || type == .group || type.rawValue == 0 {
                guard let resolved = resolve(field.typeName) else {
                    throw DescriptorError(.unresolvedType(field.typeName), path: path)
                }
                typeName = resolved.0
                messageIndex = resolved.message ?? -1
                enumIndex = resolved.enum ?? -1
                // protoc may leave `type` unset when only `type_name` is known; the kind of type decides.
                if type.rawValue == 0 { type = messageIndex >= 0 ? .message : .enum }
                guard (type == .enum) == (enumIndex >= 0) else {
                    throw DescriptorError(.unresolvedType(field.typeName), path: path)
                }
            }
            if let index = field.oneofIndex, !message.oneofDecl.indices.contains(Int(index)) {
                // An index that names no oneof_decl would index out of range everywhere it is used.
                throw DescriptorError(.invalidField, path: path)
            }
            var proto = field
            proto.type = type
            let oneof = field.oneofIndex.flatMap { realOneofs.contains($0) ? Int($0) : nil }
            var schema = FieldSchema(proto, typeName: typeName, isProto3: isProto3, oneofIndex: oneof)
            schema.messageIndex = messageIndex
            schema.enumIndex = enumIndex
            fields.append(schema)
        }
        fields.sort { $0.number < $1.number }
        var indexByNumber: [Int: Int] = [:]
        var indexByJSONKey: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            guard indexByNumber.updateValue(index, forKey: field.number) == nil else {
                throw DescriptorError(.duplicateName("field number \(field.number)"), path: fullName)
            }
            indexByJSONKey[field.jsonName] = index
            indexByJSONKey[field.name] = index
        }
        self.fields = fields
        self.indexByNumber = indexByNumber
        self.indexByJSONKey = indexByJSONKey
    }

    func fieldIndex(number: Int) -> Int? { indexByNumber[number] }
}
