/// The messages and enums of a `FileDescriptorSet`, every type name resolved across its files:
/// the schema a ``DynamicMessage`` is read and written by.
///
/// ```swift
/// let set = try DescriptorSet(serializedBytes: try Array(Data(contentsOf: url)))
/// guard let model = set.messageType("clarifai.api.Model") else { return }
/// let message = try DynamicMessage(serializedBytes: bytes, type: model)
/// print(try message.jsonString())
/// ```
public final class DescriptorSet: Sendable {
    /// The files as decoded.
    public let files: [FileDescriptorProto]
    let messages: [MessageSchema]
    let enums: [EnumSchema]
    private let messagesByName: [String: Int]
    private let enumsByName: [String: Int]

    /// Reads a serialized `FileDescriptorSet` (`protoc -o`, or `FileDescriptorSet.SerializeToString()`).
    public convenience init(serializedBytes bytes: [UInt8]) throws(DescriptorError) {
        let set: FileDescriptorSet
        do {
            set = try FileDescriptorSet(serializedBytes: bytes)
        } catch {
            throw DescriptorError(.malformed(error))
        }
        try self.init(set)
    }

    /// Indexes the files' types and resolves every field's type name; fails on a name that
    /// names nothing in the set, or one defined twice.
    public init(_ set: FileDescriptorSet) throws(DescriptorError) {
        files = set.file
        var declared: [(name: String, message: DescriptorProto, file: FileDescriptorProto)] = []
        var enums: [EnumSchema] = []
        var messagesByName: [String: Int] = [:]
        var enumsByName: [String: Int] = [:]
        func collect(_ message: DescriptorProto, scope: String, file: FileDescriptorProto) throws(DescriptorError) {
            let name = scope.isEmpty ? message.name : scope + "." + message.name
            guard messagesByName[name] == nil, enumsByName[name] == nil else {
                throw DescriptorError(.duplicateName(name))
            }
            messagesByName[name] = declared.count
            declared.append((name, message, file))
            for nested in message.nestedType { try collect(nested, scope: name, file: file) }
            for type in message.enumType { try addEnum(type, scope: name, file: file) }
        }
        func addEnum(_ type: EnumDescriptorProto, scope: String, file: FileDescriptorProto) throws(DescriptorError) {
            let name = scope.isEmpty ? type.name : scope + "." + type.name
            guard messagesByName[name] == nil, enumsByName[name] == nil else {
                throw DescriptorError(.duplicateName(name))
            }
            enumsByName[name] = enums.count
            enums.append(EnumSchema(type, fullName: name, isClosed: file.syntax.isEmpty || file.syntax == "proto2"))
        }
        for file in set.file {
            for message in file.messageType { try collect(message, scope: file.package, file: file) }
            for type in file.enumType { try addEnum(type, scope: file.package, file: file) }
        }
        var messages: [MessageSchema] = []
        messages.reserveCapacity(declared.count)
        for (name, message, file) in declared {
            messages.append(
                try MessageSchema(
                    message, fullName: name, isProto3: file.syntax == "proto3" || file.syntax == "editions",
                    resolve: { (typeName: String) -> (String, message: Int?, enum: Int?)? in
                        guard
                            let resolved = DescriptorSet.resolve(typeName, from: name, in: messagesByName, enumsByName)
                        else { return nil }
                        return (resolved, messagesByName[resolved], enumsByName[resolved])
                    }
                ))
        }
        // A map field is a repeated field of a map-entry message: known once every message is built.
        for index in messages.indices {
            for field in messages[index].fields.indices where messages[index].fields[field].messageIndex >= 0 {
                let entry = messages[index].fields[field].messageIndex
                messages[index].fields[field].isMap =
                    messages[index].fields[field].isRepeated && messages[entry].isMapEntry
            }
        }
        self.messages = messages
        self.enums = enums
        self.messagesByName = messagesByName
        self.enumsByName = enumsByName
    }

    /// The message type with this full name (`clarifai.api.Model`; a leading dot is accepted).
    public func messageType(_ fullName: String) -> MessageType? {
        let name = fullName.hasPrefix(".") ? String(fullName.dropFirst()) : fullName
        return messagesByName[name].map { MessageType(descriptorSet: self, index: $0) }
    }

    /// The full names of every message type in the set, in declaration order.
    public var messageTypeNames: [String] { messages.map(\.fullName) }

    /// The enum type with this full name (no leading dot).
    func enumSchema(_ fullName: String) -> EnumSchema? {
        enumsByName[fullName].map { enums[$0] }
    }

    /// Every service with its full name (`clarifai.api.V2`), in file order.
    var services: [(fullName: String, service: ServiceDescriptorProto)] {
        files.flatMap { file in
            file.service.map { (file.package.isEmpty ? $0.name : file.package + "." + $0.name, $0) }
        }
    }

    /// protoc's scope rules: a fully-qualified `.a.b.C` as it is; a relative name is looked up
    /// in the scope of the message that uses it, then in each enclosing scope.
    private static func resolve(
        _ typeName: String, from scope: String, in messages: [String: Int],
        _ enums: [String: Int]
    ) -> String? {
        if typeName.hasPrefix(".") {
            let name = String(typeName.dropFirst())
            return messages[name] != nil || enums[name] != nil ? name : nil
        }
        var prefix = Substring(scope)
        while true {
            let candidate = prefix.isEmpty ? typeName : prefix + "." + typeName
            if messages[candidate] != nil || enums[candidate] != nil { return candidate }
            guard !prefix.isEmpty else { return nil }
            prefix = prefix.lastIndex(of: ".").map { prefix[..<$0] } ?? ""
        }
    }
}
