/// `google.protobuf.Struct`: a JSON object, e.g. an annotation's `annotation_info`.
///
/// ```swift
/// let info: ProtoStruct = ["task_id": "{YOUR_TASK_ID}", "reviewed": true]
/// ```
public struct ProtoStruct: ProtoMessage, ExpressibleByDictionaryLiteral {
    public static let protoMessageName = "google.protobuf.Struct"

    /// The object's members by key, in the order they arrived.
    public var fields = ProtoMap<ProtoValue>()  // map<string, Value> fields = 1;
    /// Fields of `google.protobuf.Struct` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, ProtoValue)...) {
        for (key, value) in elements { fields[key] = value }
    }

    /// The member named `key`, or nil; setting nil removes it.
    public subscript(key: String) -> ProtoValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    public static func fieldName(_ number: Int) -> String? { number == 1 ? "fields" : nil }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1:
            try reader.readMapEntry(tag, into: &fields, unknownFields: &unknownFields, defaultValue: ProtoValue()) {
                (tag, reader) throws(WireError) in
                var value: ProtoValue? = nil
                try reader.readMessage(tag, into: &value)
                return value ?? ProtoValue()
            }
        default:
            try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMap(1, fields) { value, writer in writer.writeMessageAlways(2, value) }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        for entry in fields {
            writer.key(entry.key)
            writer.writeMessageValue(entry.value)
        }
        writer.endObject()
    }

    public mutating func mergeJSON(_ value: JSONValue) throws(JSONError) {
        guard case .object(let members) = value else { throw JSONError(.expected("an object")) }
        for member in members {
            var field = ProtoValue()
            do {
                try field.mergeJSON(member.value)
            } catch {
                throw error.prepending(member.key)
            }
            fields[member.key] = field
        }
    }
}

/// `google.protobuf.ListValue`: a JSON array.
public struct ProtoListValue: ProtoMessage, ExpressibleByArrayLiteral {
    public static let protoMessageName = "google.protobuf.ListValue"

    /// The array's elements, in order.
    public var values: [ProtoValue] = []  // repeated Value values = 1;
    /// Fields of `google.protobuf.ListValue` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(arrayLiteral elements: ProtoValue...) {
        values = elements
    }

    public static func fieldName(_ number: Int) -> String? { number == 1 ? "values" : nil }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, appendingTo: &values)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(1, values)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginArray()
        for value in values {
            writer.beginElement()
            writer.writeMessageValue(value)
        }
        writer.endArray()
    }

    public mutating func mergeJSON(_ value: JSONValue) throws(JSONError) {
        guard case .array(let elements) = value else { throw JSONError(.expected("an array")) }
        values += try value.protoRepeated { (element) throws(JSONError) in
            var item = ProtoValue()
            try item.mergeJSON(element)
            return item
        }
        _ = elements
    }
}

/// `google.protobuf.Value`: any JSON value.
///
/// ```swift
/// let value: ProtoValue = ["a": 1, "b": [true, nil, "x"]]
/// ```
public struct ProtoValue: ProtoMessage {
    public static let protoMessageName = "google.protobuf.Value"

    /// The `kind` oneof.
    public enum Kind: Sendable, Equatable {
        /// JSON `null`.
        case null  // NullValue null_value = 1;
        /// A JSON number (every number is a double, as in JavaScript).
        case number(Double)  // double number_value = 2;
        /// A JSON string.
        case string(String)  // string string_value = 3;
        /// JSON `true` or `false`.
        case bool(Bool)  // bool bool_value = 4;
        /// A JSON object.
        case structValue(ProtoStruct)  // Struct struct_value = 5;
        /// A JSON array.
        case list(ProtoListValue)  // ListValue list_value = 6;
    }

    /// nil when no member of the oneof is set (possible on the wire; written as JSON `null`).
    public var kind: Kind?
    /// The number of a `null_value` (NullValue has only 0, but an open enum keeps any number).
    var nullValue: Int32 = 0
    /// Fields of `google.protobuf.Value` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A value of this kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    public static func fieldName(_ number: Int) -> String? {
        switch number {
        case 1: "null_value"
        case 2: "number_value"
        case 3: "string_value"
        case 4: "bool_value"
        case 5: "struct_value"
        case 6: "list_value"
        default: nil
        }
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1:
            nullValue = try reader.readInt32(tag)
            kind = .null
        case 2: kind = .number(try reader.readDouble(tag))
        case 3: kind = .string(try reader.readString(tag))
        case 4: kind = .bool(try reader.readBool(tag))
        case 5:
            var value: ProtoStruct? = nil
            if case .structValue(let existing) = kind { value = existing }
            try reader.readMessage(tag, into: &value)
            kind = .structValue(value ?? ProtoStruct())
        case 6:
            var value: ProtoListValue? = nil
            if case .list(let existing) = kind { value = existing }
            try reader.readMessage(tag, into: &value)
            kind = .list(value ?? ProtoListValue())
        default:
            try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    /// A oneof member is written even when it holds its default (it has presence).
    ///
    /// Declared to release nothing, which is true (it only reads and writes bytes) but which the
    /// optimizer cannot work out itself through the Value-Struct-ListValue recursion; knowing
    /// it, it does not copy every message that holds a Struct before encoding it (see
    /// `WireWriter.grow`).
    @inline(never) @_effects(releasenone)
    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        switch kind {
        case nil:
            break
        case .null:
            writer.writeVarint(UInt64(bitPattern: Int64(nullValue)))
            writer.writeTag(1, .varint)
        case .number(let number):
            writer.writeFixed64(number.bitPattern)
            writer.writeTag(2, .fixed64)
        case .string(let string):
            writer.writeStringAlways(3, string)
        case .bool(let bool):
            writer.writeVarint(bool ? 1 : 0)
            writer.writeTag(4, .varint)
        case .structValue(let value):
            writer.writeMessageAlways(5, value)
        case .list(let value):
            writer.writeMessageAlways(6, value)
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        switch kind {
        case nil, .null: writer.writeNull()
        case .number(let number): writer.writeDoubleValue(number)
        case .string(let string): writer.writeStringValue(string)
        case .bool(let bool): writer.writeBoolValue(bool)
        case .structValue(let value): writer.writeMessageValue(value)
        case .list(let value): writer.writeMessageValue(value)
        }
    }

    public mutating func mergeJSON(_ value: JSONValue) throws(JSONError) {
        switch value {
        case .null: kind = .null
        case .bool(let bool): kind = .bool(bool)
        case .number: kind = .number(try value.protoDouble())
        case .string(let string): kind = .string(string)
        case .array:
            var list = ProtoListValue()
            try list.mergeJSON(value)
            kind = .list(list)
        case .object:
            var object = ProtoStruct()
            try object.mergeJSON(value)
            kind = .structValue(object)
        }
    }
}

extension ProtoValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self.init(.null) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int) { self.init(.number(Double(value))) }
    public init(floatLiteral value: Double) { self.init(.number(value)) }
    public init(arrayLiteral elements: ProtoValue...) { self.init(.list(ProtoListValue(values: elements))) }
    public init(dictionaryLiteral elements: (String, ProtoValue)...) {
        var object = ProtoStruct()
        for (key, value) in elements { object[key] = value }
        self.init(.structValue(object))
    }
}

extension ProtoListValue {
    /// An array of these elements.
    public init(values: [ProtoValue]) {
        self.values = values
    }
}
