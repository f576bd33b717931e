/// The binary wire format of a ``DynamicMessage``, by its schema.
extension DynamicMessage {
    /// The message's wire encoding: fields by number, packed where the schema says, unknown
    /// fields last; byte-identical to C++ and upb for the messages they write.
    public func serializedBytes() -> [UInt8] {
        var writer = WireWriter()
        encode(to: &writer)
        return writer.bytes()
    }

    // MARK: Decoding

    mutating func decodeFields(from reader: inout WireReader) throws(WireError) {
        let schema = type.schema
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            guard let index = schema.fieldIndex(number: tag.number) else {
                do {
                    try reader.skipField(tag, appendingTo: &unknownFields)
                } catch {
                    throw error.prepending("#\(tag.number)")
                }
                continue
            }
            do {
                try decodeField(schema.fields[index], at: index, tag, from: &reader)
            } catch {
                throw error.prepending(schema.fields[index].name)
            }
        }
    }

    private mutating func decodeField(
        _ field: FieldSchema, at index: Int, _ tag: FieldTag,
        from reader: inout WireReader
    ) throws(WireError) {
        if field.type == .message {
            let child = DynamicMessage(type: MessageType(descriptorSet: type.descriptorSet, index: field.messageIndex))
            if field.isRepeated {
                let position = values[index].count
                do throws(WireError) {
                    var element = try DynamicMessage.readNested(tag, into: child, from: &reader)
                    if field.isMap { element.fillMapEntryValue() }
                    values[index].append(.message(element))
                } catch {
                    throw error.prepending("[\(position)]")
                }
            } else {
                // A second occurrence merges into the first, as protobuf requires.
                var existing = child
                if case .message(let message)? = values[index].first { existing = message }
                store([.message(try DynamicMessage.readNested(tag, into: existing, from: &reader))], at: index)
            }
        } else if field.isRepeated {
            if tag.wireType == .lengthDelimited && FieldSchema.isPackable(field.type) {
                // Packed, whatever the schema says: decoders accept both forms.
                let length = try reader.readLength()
                let elementTag = FieldTag(unchecked: tag.number, field.wireType)
                // Moved out while it grows: a copy left in `values` would copy the whole array.
                var elements = values[index]
                values[index] = []
                try reader.within(length: length) { (inner) throws(WireError) in
                    while !inner.isAtEnd {
                        do throws(WireError) {
                            elements.append(try DynamicMessage.readScalar(field, elementTag, from: &inner))
                        } catch  where error.reason == .truncatedFixed {
                            throw WireError(.malformedPacked)
                        }
                    }
                }
                values[index] = elements
            } else {
                values[index].append(try DynamicMessage.readScalar(field, tag, from: &reader))
            }
        } else {
            store([try DynamicMessage.readScalar(field, tag, from: &reader)], at: index)
        }
    }

    /// A map entry read without its value holds the value's default, as in C++ and upb. For a
    /// message value that is an empty message, which is present (and written back as `12 00`),
    /// so it is stored: otherwise the entry would differ from its own re-encoding.
    private mutating func fillMapEntryValue() {
        let fields = type.schema.fields
        guard fields.count == 2, fields[1].number == 2, fields[1].type == .message, values[1].isEmpty else { return }
        values[1] = [
            .message(
                DynamicMessage(
                    type: MessageType(
                        descriptorSet: type.descriptorSet,
                        index: fields[1].messageIndex)))
        ]
    }

    private static func readNested(
        _ tag: FieldTag, into message: DynamicMessage,
        from reader: inout WireReader
    ) throws(WireError) -> DynamicMessage {
        try reader.expect(tag, .lengthDelimited)
        let length = try reader.readLength()
        var message = message
        try reader.nested(length: length) { (inner) throws(WireError) in try message.decodeFields(from: &inner) }
        return message
    }

    private static func readScalar(
        _ field: FieldSchema, _ tag: FieldTag,
        from reader: inout WireReader
    ) throws(WireError) -> DynamicValue {
        switch field.type {
        case .double: return .double(try reader.readDouble(tag))
        case .float: return .float(try reader.readFloat(tag))
        case .int64: return .int64(try reader.readInt64(tag))
        case .uint64: return .uint64(try reader.readUInt64(tag))
        case .int32: return .int32(try reader.readInt32(tag))
        case .fixed64:
            try reader.expect(tag, .fixed64)
            return .uint64(try reader.readFixed64())
        case .fixed32:
            try reader.expect(tag, .fixed32)
            return .uint32(try reader.readFixed32())
        case .bool: return .bool(try reader.readBool(tag))
        case .string: return .string(try reader.readString(tag))
        case .bytes: return .bytes(try reader.readBytes(tag))
        case .uint32: return .uint32(try reader.readUInt32(tag))
        case .enum: return .enumValue(try reader.readInt32(tag))
        case .sfixed32:
            try reader.expect(tag, .fixed32)
            return .int32(Int32(bitPattern: try reader.readFixed32()))
        case .sfixed64:
            try reader.expect(tag, .fixed64)
            return .int64(Int64(bitPattern: try reader.readFixed64()))
        case .sint32:
            let raw = UInt32(truncatingIfNeeded: try reader.readUInt64(tag))
            return .int32(Int32(bitPattern: raw >> 1) ^ -Int32(bitPattern: raw & 1))
        case .sint64:
            let raw = try reader.readUInt64(tag)
            return .int64(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
        default:
            throw WireError(.groupNotSupported)
        }
    }

    // MARK: Encoding (back to front, see `WireWriter`)

    func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        let schema = type.schema
        var index = schema.fields.count
        while index > 0 {
            index -= 1
            let field = schema.fields[index]
            let fieldValues = values[index]
            if fieldValues.isEmpty {
                // upb and C++ write both fields of a map entry, defaults included.
                guard schema.isMapEntry else { continue }
                let value =
                    field.type == .message
                    ? .message(
                        DynamicMessage(type: MessageType(descriptorSet: type.descriptorSet, index: field.messageIndex)))
                    : DynamicValue.defaultValue(of: field.type)
                write(value, field, to: &writer)
            } else if field.isPacked {
                let end = writer.count
                var element = fieldValues.count
                while element > 0 {
                    element -= 1
                    writeBare(fieldValues[element], field.type, to: &writer)
                }
                writer.writeVarint(UInt64(writer.count - end))
                writer.writeTag(field.number, .lengthDelimited)
            } else {
                var element = fieldValues.count
                while element > 0 {
                    element -= 1
                    write(fieldValues[element], field, to: &writer)
                }
            }
        }
    }

    private func write(_ value: DynamicValue, _ field: FieldSchema, to writer: inout WireWriter) {
        writeBare(value, field.type, to: &writer)
        writer.writeTag(field.number, field.wireType)
    }

    /// A value without its tag; a string, bytes or message with its length.
    private func writeBare(_ value: DynamicValue, _ type: FieldDescriptorProto.ValueType, to writer: inout WireWriter) {
        switch value {
        case .bool(let value): writer.writeVarint(value ? 1 : 0)
        case .int32(let value):
            switch type {
            case .sfixed32: writer.writeFixed32(UInt32(bitPattern: value))
            case .sint32: writer.writeVarint(UInt64(UInt32(bitPattern: value << 1 ^ value >> 31)))
            default: writer.writeVarint(UInt64(bitPattern: Int64(value)))
            }
        case .int64(let value):
            switch type {
            case .sfixed64: writer.writeFixed64(UInt64(bitPattern: value))
            case .sint64: writer.writeVarint(UInt64(bitPattern: value << 1 ^ value >> 63))
            default: writer.writeVarint(UInt64(bitPattern: value))
            }
        case .uint32(let value):
            if type == .fixed32 { writer.writeFixed32(value) } else { writer.writeVarint(UInt64(value)) }
        case .uint64(let value):
            if type == .fixed64 { writer.writeFixed64(value) } else { writer.writeVarint(value) }
        case .float(let value): writer.writeFixed32(value.bitPattern)
        case .double(let value): writer.writeFixed64(value.bitPattern)
        case .enumValue(let value): writer.writeVarint(UInt64(bitPattern: Int64(value)))
        case .string(let value): writer.writeLengthPrefixedUTF8(value)
        case .bytes(let value):
            value.withUnsafeBytes { writer.writeRaw($0) }
            writer.writeVarint(UInt64(value.count))
        case .message(let message):
            let end = writer.count
            message.encode(to: &writer)
            writer.writeVarint(UInt64(writer.count - end))
        }
    }
}
