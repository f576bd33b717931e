/// What changed from one descriptor set to another, for a client built on the first: every
/// message, enum and service method of the first set looked up in the second, field by field,
/// value by value, binding by binding. What only the second set has, apart from the fields and
/// values of the first set's types, is not a change to such a client and is not listed.
///
/// Fields are matched by name first (the same name at another number is a renumbering), then
/// by number (the same number under another name is a renaming, with another type a retyping).
///
/// ```swift
/// let newer = try DescriptorSet(serializedBytes: Array(try Data(contentsOf: url)))
/// let diff = SchemaDiff(from: MirroredSchema.descriptorSet, to: newer,
///                       notMirrored: MirroredSchema.messagesDeclaredInPart)
/// if diff.isBreaking { diff.changes.filter(\.isBreaking).forEach { print($0) } }
/// ```
public struct SchemaDiff: Sendable {
    /// Every difference, in the first set's declaration order: messages, then enums, then methods.
    public let changes: [SchemaChange]

    /// Whether any change can break a client of the first set.
    public var isBreaking: Bool { changes.contains(where: \.isBreaking) }

    /// The changes from `base` to `candidate`.
    ///
    /// - Parameters:
    ///   - base: the set a client was built on (the package's mirror, or an older release).
    ///   - candidate: the set to compare it with (a newer release).
    ///   - notMirrored: messages the first set declares in part or empty on purpose: a field
    ///     only the second set has is reported as ``SchemaChange/Kind/fieldNotMirrored`` there,
    ///     not as an addition.
    public init(from base: DescriptorSet, to candidate: DescriptorSet, notMirrored: Set<String> = []) {
        var changes: [SchemaChange] = []
        for message in base.messages {
            guard let other = candidate.messageType(message.fullName)?.schema else {
                changes.append(SchemaChange(.messageRemoved, message.fullName))
                continue
            }
            SchemaDiff.compare(message, other, notMirrored: notMirrored.contains(message.fullName), into: &changes)
        }
        for type in base.enums {
            guard let other = candidate.enumSchema(type.fullName) else {
                changes.append(SchemaChange(.enumRemoved, type.fullName))
                continue
            }
            SchemaDiff.compare(type, other, into: &changes)
        }
        let services = Dictionary(candidate.services.map { ($0.fullName, $0.service) }, uniquingKeysWith: { a, _ in a })
        for (name, service) in base.services {
            for method in service.method {
                let subject = name + "." + method.name
                guard let other = services[name]?.method.first(where: { $0.name == method.name }) else {
                    changes.append(SchemaChange(.methodRemoved, subject))
                    continue
                }
                SchemaDiff.compare(method, other, subject: subject, into: &changes)
            }
        }
        self.changes = changes
    }

    // MARK: Messages

    private static func compare(
        _ message: MessageSchema, _ other: MessageSchema, notMirrored: Bool,
        into changes: inout [SchemaChange]
    ) {
        var matched: Set<Int> = []
        for field in message.fields {
            let subject = message.fullName + "." + field.name
            if let moved = other.fields.first(where: { $0.name == field.name }), moved.number != field.number {
                matched.insert(moved.number)
                changes.append(SchemaChange(.fieldRenumbered, subject, from: "\(field.number)", to: "\(moved.number)"))
                continue
            }
            guard let index = other.fieldIndex(number: field.number) else {
                changes.append(
                    SchemaChange(.fieldRemoved, subject, from: "#\(field.number) \(signature(field, in: message))"))
                continue
            }
            let counterpart = other.fields[index]
            if counterpart.name != field.name, message.fields.contains(where: { $0.name == counterpart.name }) {
                // The number now holds another field of the first set, moved there: this one is gone.
                changes.append(
                    SchemaChange(.fieldRemoved, subject, from: "#\(field.number) \(signature(field, in: message))"))
                continue
            }
            matched.insert(counterpart.number)
            let before = signature(field, in: message)
            let after = signature(counterpart, in: other)
            if before != after {
                changes.append(SchemaChange(.fieldRetyped, subject, from: before, to: after))
            } else if field.name != counterpart.name || field.jsonName != counterpart.jsonName {
                changes.append(SchemaChange(.fieldRenamed, subject, from: names(field), to: names(counterpart)))
            }
            if field.defaultFloat != counterpart.defaultFloat {
                changes.append(
                    SchemaChange(
                        .fieldDefaultChanged, subject, from: "cl_default_float \(field.defaultFloat)",
                        to: "cl_default_float \(counterpart.defaultFloat)"))
            }
            if field.showsIfEmpty != counterpart.showsIfEmpty || field.isPacked != counterpart.isPacked {
                changes.append(
                    SchemaChange(
                        .fieldEncodingChanged, subject, from: encoding(field),
                        to: encoding(counterpart)))
            }
        }
        for field in other.fields
        where !matched.contains(field.number)
            && !message.fields.contains(where: { $0.name == field.name })
        {
            changes.append(
                SchemaChange(
                    notMirrored ? .fieldNotMirrored : .fieldAdded, message.fullName + "." + field.name,
                    to: "#\(field.number) \(signature(field, in: other))"))
        }
    }

    /// `repeated string`, `optional int32`, `clarifai.api.Data`, `string (oneof kind)`: what decides
    /// how a value is read.
    static func signature(_ field: FieldSchema, in message: MessageSchema) -> String {
        var text = field.isRepeated ? "repeated " : (field.hasPresence && field.type != .message ? "optional " : "")
        text += field.typeName.isEmpty ? field.type.name : field.typeName
        if let oneof = field.oneofIndex, oneof < message.oneofNames.count {
            text += " (oneof \(message.oneofNames[oneof]))"
        }
        return text
    }

    private static func names(_ field: FieldSchema) -> String { "\(field.name) (JSON \(field.jsonName))" }

    private static func encoding(_ field: FieldSchema) -> String {
        var traits: [String] = []
        if field.showsIfEmpty { traits.append("cl_show_if_empty") }
        if field.isRepeated && FieldSchema.isPackable(field.type) {
            traits.append(field.isPacked ? "packed" : "unpacked")
        }
        return traits.isEmpty ? "plain" : traits.joined(separator: ", ")
    }

    // MARK: Enums

    private static func compare(_ type: EnumSchema, _ other: EnumSchema, into changes: inout [SchemaChange]) {
        for value in type.values {
            let subject = type.fullName + "." + value.name
            if let number = other.number(value.name) {
                if number != value.number {
                    changes.append(
                        SchemaChange(.enumValueRenumbered, subject, from: "\(value.number)", to: "\(number)"))
                }
            } else if let name = other.name(value.number), type.number(name) == nil {
                changes.append(SchemaChange(.enumValueRenamed, subject, from: value.name, to: name))
            } else {
                changes.append(SchemaChange(.enumValueRemoved, subject, from: "\(value.number)"))
            }
        }
        for value in other.values where type.number(value.name) == nil {
            // A new name for a number that kept its old name too is a new alias: an addition.
            let renamed = type.name(value.number).map { other.number($0) == nil } ?? false
            if !renamed {
                changes.append(SchemaChange(.enumValueAdded, type.fullName + "." + value.name, to: "\(value.number)"))
            }
        }
    }

    // MARK: Methods

    private static func compare(
        _ method: MethodDescriptorProto, _ other: MethodDescriptorProto, subject: String,
        into changes: inout [SchemaChange]
    ) {
        let before = shape(method)
        let after = shape(other)
        if before != after {
            changes.append(SchemaChange(.methodRetyped, subject, from: before, to: after))
        }
        let binding = method.options?.http.map(describe) ?? ""
        let otherBinding = other.options?.http.map(describe) ?? ""
        if binding != otherBinding {
            changes.append(SchemaChange(.bindingChanged, subject, from: binding, to: otherBinding))
        }
        let additional = method.options?.http?.additionalBindings.map(describe) ?? []
        let otherAdditional = other.options?.http?.additionalBindings.map(describe) ?? []
        for rule in additional where !otherAdditional.contains(rule) {
            changes.append(SchemaChange(.bindingRemoved, subject, from: rule))
        }
        for rule in otherAdditional where !additional.contains(rule) {
            changes.append(SchemaChange(.bindingAdded, subject, to: rule))
        }
    }

    /// `clarifai.api.ListAnnotationsRequest → stream clarifai.api.MultiAnnotationResponse`.
    private static func shape(_ method: MethodDescriptorProto) -> String {
        func name(_ type: String) -> String { type.hasPrefix(".") ? String(type.dropFirst()) : type }
        return (method.clientStreaming ? "stream " : "") + name(method.inputType) + " → "
            + (method.serverStreaming ? "stream " : "") + name(method.outputType)
    }

    /// `POST /v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/annotations body *`.
    private static func describe(_ rule: HTTPBinding) -> String {
        rule.verb + " " + rule.path + (rule.body.isEmpty ? "" : " body " + rule.body)
    }
}
