/// Reading a ``DynamicMessage`` from proto3 JSON, as `google.protobuf.json_format.Parse` does:
/// JSON or `.proto` field names, integers as numbers or strings, enums by name or number,
/// `null` for "not set", and the well-known types in their own forms.
extension DynamicMessage {
    /// Decodes JSON as a message of `type`. A key that names no field is an error unless
    /// ``JSONDecoding/ignoresUnknownFields`` is set, as for the typed messages.
    public init(
        jsonUTF8 bytes: [UInt8], type: MessageType,
        options: DynamicJSONOptions = DynamicJSONOptions()
    ) throws(JSONError) {
        try self.init(json: try JSONValue.parse(bytes), type: type, options: options)
    }

    /// Decodes a JSON string as a message of `type`.
    public init(
        jsonString: String, type: MessageType,
        options: DynamicJSONOptions = DynamicJSONOptions()
    ) throws(JSONError) {
        try self.init(jsonUTF8: Array(jsonString.utf8), type: type, options: options)
    }

    /// Decodes a parsed JSON value as a message of `type`.
    public init(json: JSONValue, type: MessageType, options: DynamicJSONOptions = DynamicJSONOptions())
        throws(JSONError)
    {
        self.init(type: type)
        do {
            try mergeJSON(json, options: options)
        } catch {
            throw error.prepending(type.schema.shortName)
        }
    }

    mutating func mergeJSON(_ json: JSONValue, options: DynamicJSONOptions) throws(JSONError) {
        if let wellKnown = type.schema.wellKnown, wellKnown != .empty {
            try mergeWellKnownJSON(wellKnown, json, options: options)
            return
        }
        guard case .object(let members) = json else { throw JSONError(.expected("an object")) }
        try mergeMembers(members, options: options)
    }

    private mutating func mergeMembers(_ members: [JSONValue.Member], options: DynamicJSONOptions) throws(JSONError) {
        let schema = type.schema
        var seen = Set<Int>()
        var oneofsSet: [Int: Int] = [:]
        for member in members {
            guard let index = schema.indexByJSONKey[member.key] else {
                if JSONDecoding.ignoresUnknownFields { continue }
                throw JSONError(.unknownField).prepending(member.key)
            }
            let field = schema.fields[index]
            do throws(JSONError) {
                if case .null = member.value, !acceptsNull(field) { continue }
                seen.insert(index)
                if let oneof = field.oneofIndex {
                    if let earlier = oneofsSet[oneof], earlier != index {
                        throw JSONError(.oneofTwice(schema.oneofNames[oneof]))
                    }
                    oneofsSet[oneof] = index
                }
                if field.isMap {
                    store(try mapEntries(member.value, field, options: options), at: index)
                } else if field.isRepeated {
                    let elements = try member.value.protoRepeated { (element) throws(JSONError) in
                        if case .null = element, !acceptsNull(field) {
                            throw JSONError(.expected("a value, not null, in a repeated field"))
                        }
                        return try value(element, field, options: options)
                    }
                    store(elements, at: index)
                } else if field.type == .message {
                    // A repeated key merges into what the first one set, as binary decoding does.
                    var existing = DynamicMessage(
                        type: MessageType(descriptorSet: type.descriptorSet, index: field.messageIndex))
                    if case .message(let message)? = values[index].first { existing = message }
                    try existing.mergeJSON(member.value, options: options)
                    store([.message(existing)], at: index)
                } else {
                    store([try value(member.value, field, options: options)], at: index)
                }
            } catch {
                throw error.prepending(field.name)
            }
        }
        guard options.honoursClarifaiOptions else { return }
        // cl_default_float: a field the JSON leaves out has this value (Concept.value: 1).
        for (index, field) in schema.fields.enumerated() where field.defaultFloat != 0 && !seen.contains(index) {
            switch field.type {
            case .float: store([.float(field.defaultFloat)], at: index)
            case .double: store([.double(Double(field.defaultFloat))], at: index)
            default: break
            }
        }
    }

    /// `null` is a value only for `google.protobuf.Value` and the `NullValue` enum.
    private func acceptsNull(_ field: FieldSchema) -> Bool {
        if field.type == .message {
            return type.descriptorSet.messages[field.messageIndex].wellKnown == .value
        }
        return field.type == .enum && type.descriptorSet.enums[field.enumIndex].fullName == "google.protobuf.NullValue"
    }

    private func mapEntries(
        _ json: JSONValue, _ field: FieldSchema,
        options: DynamicJSONOptions
    ) throws(JSONError) -> [DynamicValue] {
        guard case .object(let members) = json else { throw JSONError(.expected("an object")) }
        let entryType = MessageType(descriptorSet: type.descriptorSet, index: field.messageIndex)
        let entryFields = entryType.schema.fields
        guard entryFields.count == 2 else { throw JSONError(.expected("a map entry of key and value")) }
        var entries: [DynamicValue] = []
        for member in members {
            var entry = DynamicMessage(type: entryType)
            do throws(JSONError) {
                entry.store([try DynamicMessage.mapKey(member.key, entryFields[0])], at: 0)
                if case .null = member.value, !entry.acceptsNull(entryFields[1]) {
                    throw JSONError(.expected("a value, not null, in a map"))
                }
                if entryFields[1].type == .message {
                    var value = DynamicMessage(
                        type: MessageType(descriptorSet: type.descriptorSet, index: entryFields[1].messageIndex))
                    try value.mergeJSON(member.value, options: options)
                    entry.store([.message(value)], at: 1)
                } else {
                    entry.store([try entry.value(member.value, entryFields[1], options: options)], at: 1)
                }
            } catch {
                throw error.prepending("[\(member.key)]")
            }
            entries.append(.message(entry))
        }
        return entries
    }

    private static func mapKey(_ text: String, _ field: FieldSchema) throws(JSONError) -> DynamicValue {
        switch field.type {
        case .string: return .string(text)
        case .bool:
            guard text == "true" || text == "false" else { throw JSONError(.expected("a map key true or false")) }
            return .bool(text == "true")
        default:
            return try scalar(.string(text), field.type, enumSchema: nil)
        }
    }

    /// A scalar, enum or message value of `field` from JSON.
    private func value(_ json: JSONValue, _ field: FieldSchema, options: DynamicJSONOptions) throws(JSONError)
        -> DynamicValue
    {
        if field.type == .message {
            var message = DynamicMessage(
                type: MessageType(descriptorSet: type.descriptorSet, index: field.messageIndex))
            try message.mergeJSON(json, options: options)
            return .message(message)
        }
        return try DynamicMessage.scalar(
            json, field.type, enumSchema: field.enumIndex >= 0 ? type.descriptorSet.enums[field.enumIndex] : nil)
    }

    private static func scalar(
        _ json: JSONValue, _ type: FieldDescriptorProto.ValueType,
        enumSchema: EnumSchema?
    ) throws(JSONError) -> DynamicValue {
        switch type {
        case .bool: return .bool(try json.protoBool())
        case .int32, .sint32, .sfixed32: return .int32(try json.protoInt32())
        case .int64, .sint64, .sfixed64: return .int64(try json.protoInt64())
        case .uint32, .fixed32: return .uint32(try json.protoUInt32())
        case .uint64, .fixed64: return .uint64(try json.protoUInt64())
        case .float: return .float(try json.protoFloat())
        case .double: return .double(try json.protoDouble())
        case .string: return .string(try json.protoString())
        case .bytes: return .bytes(try json.protoBytes())
        case .enum:
            guard let enumSchema else { throw JSONError(.expected("an enum")) }
            if case .null = json { return .enumValue(0) }  // NullValue
            let number = try json.protoEnum { enumSchema.number($0) }
            if enumSchema.isClosed, enumSchema.name(number) == nil {
                throw JSONError(.unknownEnumName(String(number)))
            }
            return .enumValue(number)
        default:
            throw JSONError(.expected("a field type JSON can hold (not a group)"))
        }
    }

    // MARK: Well-known types

    private mutating func mergeWellKnownJSON(
        _ wellKnown: WellKnownType, _ json: JSONValue,
        options: DynamicJSONOptions
    ) throws(JSONError) {
        switch wellKnown {
        case .timestamp:
            guard let timestamp = Timestamp(rfc3339: try json.protoString()) else { throw JSONError(.invalidTimestamp) }
            set(number: 1, .int64(timestamp.seconds))
            set(number: 2, .int32(timestamp.nanos))
        case .duration:
            guard let duration = DurationText.parse(try json.protoString()) else {
                throw JSONError(.expected("a duration such as \"1.5s\""))
            }
            set(number: 1, .int64(duration.seconds))
            set(number: 2, .int32(duration.nanos))
        case .fieldMask:
            let text = try json.protoString()
            var paths: [DynamicValue] = []
            for path in text.split(separator: ",", omittingEmptySubsequences: false) where !text.isEmpty {
                guard let snake = DurationText.snakeCasePath(String(path)) else {
                    throw JSONError(.expected("a field mask path without underscores"))
                }
                paths.append(.string(snake))
            }
            if let index = type.schema.fieldIndex(number: 1) { store(paths, at: index) }
        case .structValue:
            guard case .object = json else { throw JSONError(.expected("an object")) }
            try mergeMembers([JSONValue.Member("fields", json)], options: options)
        case .listValue:
            guard case .array = json else { throw JSONError(.expected("an array")) }
            try mergeMembers([JSONValue.Member("values", json)], options: options)
        case .value:
            let name =
                switch json {
                case .null: "null_value"
                case .number: "number_value"
                case .string: "string_value"
                case .bool: "bool_value"
                case .object: "struct_value"
                case .array: "list_value"
                }
            if case .null = json {
                if let index = type.schema.fieldIndex(number: 1) { store([.enumValue(0)], at: index) }
            } else {
                try mergeMembers([JSONValue.Member(name, json)], options: options)
            }
        case .any:
            try mergeAnyJSON(json, options: options)
        default:
            // A wrapper: the JSON of its `value` field.
            try mergeMembers([JSONValue.Member("value", json)], options: options)
        }
    }

    private mutating func set(number: Int, _ value: DynamicValue) {
        if let index = type.schema.fieldIndex(number: number) { store([value], at: index) }
    }

    private mutating func mergeAnyJSON(_ json: JSONValue, options: DynamicJSONOptions) throws(JSONError) {
        guard case .object(let members) = json else { throw JSONError(.expected("an object")) }
        if members.isEmpty { return }
        guard let typeMember = members.last(where: { $0.key == "@type" }), case .string(let url) = typeMember.value
        else {
            throw JSONError(.expected("\"@type\" in an Any"))
        }
        let name = String(url.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        guard let contained = type.descriptorSet.messageType(name) else {
            throw JSONError(.expected("an @type the descriptor set holds, not \(url)"))
        }
        var message = DynamicMessage(type: contained)
        let rest = members.filter { $0.key != "@type" }
        if contained.schema.wellKnown != nil && contained.schema.wellKnown != .empty {
            guard let value = rest.last(where: { $0.key == "value" }) else {
                throw JSONError(.expected("\"value\" in an Any"))
            }
            try message.mergeJSON(value.value, options: options)
        } else {
            try message.mergeMembers(rest, options: options)
        }
        set(number: 1, .string(url))
        set(number: 2, .bytes(message.serializedBytes()))
    }
}
