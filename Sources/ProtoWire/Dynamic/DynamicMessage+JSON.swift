/// Writing a ``DynamicMessage`` as proto3 JSON, as `google.protobuf.json_format.MessageToJson`
/// does: set fields in field-number order, 64-bit integers as strings, enums by name, bytes in
/// base64, NaN and infinities as strings, and the well-known types in their own forms.
extension DynamicMessage {
    /// The message as compact JSON UTF-8; throws for what JSON cannot hold (a timestamp out of
    /// range, NaN in a `Value`, an `Any` of a type the set does not hold).
    public func jsonUTF8(options: DynamicJSONOptions = DynamicJSONOptions()) throws(JSONError) -> [UInt8] {
        var writer = JSONWriter()
        do {
            try writeJSON(to: &writer, options: options, depth: 0)
        } catch {
            throw error.prepending(type.schema.shortName)
        }
        return writer.bytes
    }

    /// The message as compact JSON.
    public func jsonString(options: DynamicJSONOptions = DynamicJSONOptions()) throws(JSONError) -> String {
        String(decoding: try jsonUTF8(options: options), as: UTF8.self)
    }

    func writeJSON(to writer: inout JSONWriter, options: DynamicJSONOptions, depth: Int) throws(JSONError) {
        // Decoded messages nest at most 100 deep; an `Any` starts a new decoding, so count here too.
        guard depth < WireReader.maxDepth else { throw JSONError(.nestingTooDeep) }
        if let wellKnown = type.schema.wellKnown {
            try writeWellKnownJSON(wellKnown, to: &writer, options: options, depth: depth)
            return
        }
        writer.beginObject()
        try writeFields(to: &writer, options: options, depth: depth)
        writer.endObject()
    }

    /// The members of the message's JSON object, without the braces (an `Any` adds `@type`).
    private func writeFields(to writer: inout JSONWriter, options: DynamicJSONOptions, depth: Int) throws(JSONError) {
        let schema = type.schema
        for (index, field) in schema.fields.enumerated() {
            let fieldValues = values[index]
            let key = options.preservesProtoFieldNames ? field.name : field.jsonName
            if fieldValues.isEmpty {
                // cl_show_if_empty: a default written all the same (a present message needs no help).
                guard options.honoursClarifaiOptions, field.showsIfEmpty, field.type != .message || field.isRepeated
                else { continue }
                writer.key(key)
                if field.isMap {
                    writer.beginObject()
                    writer.endObject()
                } else if field.isRepeated {
                    writer.beginArray()
                    writer.endArray()
                } else {
                    try writeValue(
                        DynamicValue.defaultValue(of: field.type), field, to: &writer, options: options, depth: depth)
                }
                continue
            }
            do throws(JSONError) {
                writer.key(key)
                if field.isMap {
                    try writeMap(fieldValues, to: &writer, options: options, depth: depth)
                } else if field.isRepeated {
                    writer.beginArray()
                    for (position, value) in fieldValues.enumerated() {
                        writer.beginElement()
                        do {
                            try writeValue(value, field, to: &writer, options: options, depth: depth)
                        } catch {
                            throw error.prepending("[\(position)]")
                        }
                    }
                    writer.endArray()
                } else {
                    try writeValue(fieldValues[0], field, to: &writer, options: options, depth: depth)
                }
            } catch {
                throw error.prepending(field.name)
            }
        }
    }

    /// A map as a JSON object: keys as strings (`"true"`, `"-5"`), later duplicates left to the reader.
    private func writeMap(
        _ entries: [DynamicValue], to writer: inout JSONWriter, options: DynamicJSONOptions,
        depth: Int
    ) throws(JSONError) {
        writer.beginObject()
        for entry in entries {
            guard case .message(let message) = entry else { continue }
            let entryFields = message.type.schema.fields
            guard entryFields.count == 2 else { continue }
            let key = message.values[0].first ?? DynamicValue.defaultValue(of: entryFields[0].type)
            writer.key(DynamicMessage.mapKeyText(key))
            let value =
                message.values[1].first
                ?? (entryFields[1].type == .message
                    ? .message(
                        DynamicMessage(
                            type: MessageType(descriptorSet: type.descriptorSet, index: entryFields[1].messageIndex)))
                    : DynamicValue.defaultValue(of: entryFields[1].type))
            do {
                try message.writeValue(value, entryFields[1], to: &writer, options: options, depth: depth)
            } catch {
                throw error.prepending("[\(DynamicMessage.mapKeyText(key))]")
            }
        }
        writer.endObject()
    }

    static func mapKeyText(_ key: DynamicValue) -> String {
        switch key {
        case .string(let text): text
        case .bool(let value): value ? "true" : "false"
        case .int32(let value): String(value)
        case .int64(let value): String(value)
        case .uint32(let value): String(value)
        case .uint64(let value): String(value)
        default: ""
        }
    }

    private func writeValue(
        _ value: DynamicValue, _ field: FieldSchema, to writer: inout JSONWriter,
        options: DynamicJSONOptions, depth: Int
    ) throws(JSONError) {
        switch value {
        case .bool(let value): writer.writeBoolValue(value)
        case .int32(let value): writer.writeIntegerValue(value)
        case .uint32(let value): writer.writeIntegerValue(value)
        case .int64(let value): writer.writeInteger64Value(value)
        case .uint64(let value): writer.writeInteger64Value(value)
        case .float(let value): writer.writeFloatValue(value)
        case .double(let value): writer.writeDoubleValue(value)
        case .string(let value): writer.writeStringValue(value)
        case .bytes(let value): writer.writeBytesValue(value)
        case .enumValue(let number):
            // A field with no enum type (a value set by hand, a default of another kind) is
            // written as its number: never an index out of range.
            guard type.descriptorSet.enums.indices.contains(field.enumIndex) else {
                writer.writeIntegerValue(number)
                return
            }
            let schema = type.descriptorSet.enums[field.enumIndex]
            if schema.fullName == "google.protobuf.NullValue" {
                writer.writeNull()
            } else if let name = schema.name(number) {
                writer.writeStringValue(name)
            } else {
                writer.writeIntegerValue(number)
            }
        case .message(let message):
            try message.writeJSON(to: &writer, options: options, depth: depth + 1)
        }
    }

    // MARK: Well-known types

    private func writeWellKnownJSON(
        _ wellKnown: WellKnownType, to writer: inout JSONWriter,
        options: DynamicJSONOptions, depth: Int
    ) throws(JSONError) {
        switch wellKnown {
        case .timestamp:
            let timestamp = Timestamp(seconds: int64(1), nanos: int32(2))
            guard timestamp.seconds >= Timestamp.minSeconds, timestamp.seconds <= Timestamp.maxSeconds,
                timestamp.nanos >= 0, timestamp.nanos < 1_000_000_000
            else {
                throw JSONError(.notRepresentable("a Timestamp outside 0001-01-01…9999-12-31"))
            }
            writer.writeStringValue(timestamp.rfc3339)
        case .duration:
            guard let text = DurationText.format(seconds: int64(1), nanos: int32(2)) else {
                throw JSONError(.notRepresentable("a Duration out of range"))
            }
            writer.writeStringValue(text)
        case .fieldMask:
            var paths: [String] = []
            for case .string(let path) in values(number: 1) {
                guard let camel = DurationText.camelCasePath(path) else {
                    throw JSONError(.notRepresentable("the FieldMask path \"\(path)\""))
                }
                paths.append(camel)
            }
            writer.writeStringValue(paths.joined(separator: ","))
        case .structValue:
            guard let fields = type.schema.fields.first, fields.number == 1, fields.isMap else {
                return try writeRegular(to: &writer, options: options, depth: depth)
            }
            try writeMap(values[0], to: &writer, options: options, depth: depth)
        case .listValue:
            writer.beginArray()
            for (position, element) in values(number: 1).enumerated() {
                writer.beginElement()
                guard case .message(let value) = element else { continue }
                do {
                    try value.writeJSON(to: &writer, options: options, depth: depth + 1)
                } catch {
                    throw error.prepending("[\(position)]")
                }
            }
            writer.endArray()
        case .value:
            try writeValueJSON(to: &writer, options: options, depth: depth)
        case .any:
            try writeAnyJSON(to: &writer, options: options, depth: depth)
        case .empty:
            try writeRegular(to: &writer, options: options, depth: depth)
        default:
            // A wrapper: the JSON of its `value` field, the default when unset.
            guard let field = type.schema.fields.first, field.number == 1 else {
                return try writeRegular(to: &writer, options: options, depth: depth)
            }
            let value = values[0].first ?? DynamicValue.defaultValue(of: field.type)
            try writeValue(value, field, to: &writer, options: options, depth: depth)
        }
    }

    private func writeRegular(to writer: inout JSONWriter, options: DynamicJSONOptions, depth: Int) throws(JSONError) {
        writer.beginObject()
        try writeFields(to: &writer, options: options, depth: depth)
        writer.endObject()
    }

    /// `google.protobuf.Value`: null, a number (finite only), a string, a bool, a Struct or a list.
    private func writeValueJSON(to writer: inout JSONWriter, options: DynamicJSONOptions, depth: Int) throws(JSONError)
    {
        for (index, field) in type.schema.fields.enumerated() {
            guard let value = values[index].first else { continue }
            switch (field.number, value) {
            case (2, .double(let number)):
                guard number.isFinite else {
                    throw JSONError(.notRepresentable("NaN or Infinity in a Value")).prepending(field.name)
                }
                writer.writeDoubleValue(number)
            case (1, _):
                writer.writeNull()
            default:
                do {
                    try writeValue(value, field, to: &writer, options: options, depth: depth)
                } catch {
                    throw error.prepending(field.name)
                }
            }
            return
        }
        writer.writeNull()  // no kind set: json_format writes null
    }

    /// `google.protobuf.Any`: `{"@type": url, …fields}`, or `{"@type": url, "value": …}` for a
    /// well-known type; `{}` when empty. The type must be in the set.
    private func writeAnyJSON(to writer: inout JSONWriter, options: DynamicJSONOptions, depth: Int) throws(JSONError) {
        let url: String
        if case .string(let text)? = values(number: 1).first { url = text } else { url = "" }
        var payload: [UInt8] = []
        if case .bytes(let bytes)? = values(number: 2).first { payload = bytes }
        if url.isEmpty && payload.isEmpty {
            writer.beginObject()
            writer.endObject()
            return
        }
        let name = String(url.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        guard let contained = type.descriptorSet.messageType(name) else {
            throw JSONError(.notRepresentable("an Any of type \(url), which the set does not hold"))
        }
        let message: DynamicMessage
        do {
            message = try DynamicMessage(serializedBytes: payload, type: contained)
        } catch {
            throw JSONError(.notRepresentable("an Any whose value does not decode: \(error)"))
        }
        writer.beginObject()
        writer.key("@type")
        writer.writeStringValue(url)
        if let wellKnown = contained.schema.wellKnown, wellKnown != .empty {
            writer.key("value")
            try message.writeJSON(to: &writer, options: options, depth: depth + 1)
        } else {
            try message.writeFields(to: &writer, options: options, depth: depth + 1)
        }
        writer.endObject()
    }

    /// The values of the field numbered `number`; empty when the type has no such field.
    func values(number: Int) -> [DynamicValue] {
        type.schema.fieldIndex(number: number).map { values[$0] } ?? []
    }

    private func int64(_ number: Int) -> Int64 {
        if case .int64(let value)? = values(number: number).first { return value }
        return 0
    }

    private func int32(_ number: Int) -> Int32 {
        if case .int32(let value)? = values(number: number).first { return value }
        return 0
    }
}
