/// A message of any type in a ``DescriptorSet``, read and written without generated code:
/// binary wire format both ways, byte-identical to the official encoders for their output, and
/// proto3 JSON as `google.protobuf.json_format` writes and reads it.
///
/// ```swift
/// let set = try DescriptorSet(serializedBytes: descriptorSetBytes)
/// let type = set.messageType("clarifai.api.Workflow")!
/// let workflow = try DynamicMessage(serializedBytes: bytes, type: type)
/// print(try workflow.jsonString())            // {"id":"wf-1","nodes":[…]}
/// assert(workflow.serializedBytes() == bytes)
/// ```
///
/// Decoding is as strict as the typed messages' (``WireError`` with the field path, nesting
/// limit, UTF-8, lengths, wire types); fields the set does not declare are kept as raw bytes
/// and written back after the known ones.
public struct DynamicMessage: Sendable, Equatable {
    /// The message's type: its fields and the set that resolves them.
    public let type: MessageType
    /// The values of each field, in the order of `type.fields` (by number); at most one for a
    /// singular field. A map holds its entries as messages of the entry type, in wire order.
    var values: [[DynamicValue]]
    /// Fields the type does not declare, exactly as they arrived.
    public var unknownFields: [UInt8] = []

    /// An empty message of `type`.
    public init(type: MessageType) {
        self.type = type
        values = Array(repeating: [], count: type.schema.fields.count)
    }

    /// Decodes `bytes` as a message of `type`.
    public init(serializedBytes bytes: [UInt8], type: MessageType) throws(WireError) {
        self.init(type: type)
        let outcome: Result<DynamicMessage, WireError> = bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            var message = self
            do throws(WireError) {
                try message.decodeFields(from: &reader)
                return .success(message)
            } catch {
                return .failure(error.prepending(type.schema.shortName))
            }
        }
        self = try outcome.get()
    }

    /// The values of the field named `name` (`.proto` name): empty when unset or unknown.
    public func values(of name: String) -> [DynamicValue] {
        guard let index = type.schema.fields.firstIndex(where: { $0.name == name }) else { return [] }
        return values[index]
    }

    /// Sets a field by `.proto` name; returns false when the type has no such field. A default
    /// value of a field without presence is not stored (proto3: it is not written).
    @discardableResult
    public mutating func setValues(_ newValues: [DynamicValue], of name: String) -> Bool {
        guard let index = type.schema.fields.firstIndex(where: { $0.name == name }) else { return false }
        store(newValues, at: index)
        return true
    }

    /// Stores a field's values, dropping a default that is not kept, and clearing the other
    /// members of its oneof.
    mutating func store(_ newValues: [DynamicValue], at index: Int) {
        let field = type.schema.fields[index]
        if !field.isRepeated, !field.hasPresence, let value = newValues.first, value.isDefault {
            values[index] = []
        } else {
            values[index] = newValues
        }
        if let oneof = field.oneofIndex, !newValues.isEmpty {
            for other in type.schema.fields.indices
            where other != index && type.schema.fields[other].oneofIndex == oneof {
                values[other] = []
            }
        }
    }

    public static func == (lhs: DynamicMessage, rhs: DynamicMessage) -> Bool {
        lhs.type.descriptorSet === rhs.type.descriptorSet && lhs.type.index == rhs.type.index
            && lhs.values == rhs.values
            && lhs.unknownFields == rhs.unknownFields
    }
}
