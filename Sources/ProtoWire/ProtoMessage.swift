/// A protobuf message with a hand-written codec for the binary wire format and the
/// proto3 JSON mapping in the shape of Clarifai's REST API.
///
/// ```swift
/// var annotation = Annotation()
/// annotation.inputID = "{YOUR_INPUT_ID}"
/// let bytes = annotation.serializedBytes()
/// let back = try Annotation(serializedBytes: bytes)
/// print(back.jsonString())  // {"input_id":"{YOUR_INPUT_ID}"}
/// ```
///
/// Conformers are plain value types with proto3 semantics: default values are not written,
/// message fields are optional, and fields this package does not model are kept as raw
/// bytes and written back unchanged.
public protocol ProtoMessage: Sendable, Equatable {
    /// The full protobuf name, e.g. `clarifai.api.Annotation`.
    static var protoMessageName: String { get }

    /// A message with every field at its default.
    init()

    /// Decodes one field whose tag the reader has just read. Unknown fields must be kept.
    mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError)

    /// Writes the message's fields, last to first (see ``WireWriter``).
    func encode(to writer: inout WireWriter)

    /// The `.proto` name of a field number, for error paths.
    static func fieldName(_ number: Int) -> String?

    /// Writes the message as a JSON value.
    func writeJSON(to writer: inout JSONWriter)

    /// Merges a JSON value into the message.
    mutating func mergeJSON(_ value: JSONValue) throws(JSONError)
}

extension ProtoMessage {
    /// The message's short name (`Annotation`), the root of error paths.
    static var shortName: String {
        String(protoMessageName.split(separator: ".").last ?? Substring(protoMessageName))
    }

    /// Decodes a message from its binary wire encoding.
    public init(serializedBytes bytes: [UInt8]) throws(WireError) {
        let outcome: Result<Self, WireError> = bytes.withUnsafeBytes { buffer in
            do throws(WireError) {
                return .success(try Self(serializedBytes: buffer))
            } catch {
                return .failure(error)
            }
        }
        self = try outcome.get()
    }

    /// Decodes a message from wire bytes in memory the caller owns.
    public init(serializedBytes buffer: UnsafeRawBufferPointer) throws(WireError) {
        self.init()
        do {
            try merge(serializedBytes: buffer)
        } catch {
            throw error.prepending(Self.shortName)
        }
    }

    mutating func merge(serializedBytes buffer: UnsafeRawBufferPointer) throws(WireError) {
        var reader = WireReader(buffer)
        try reader.decodeFields(of: &self)
    }

    /// The message's binary wire encoding, byte-identical to what C++ and upb produce.
    public func serializedBytes() -> [UInt8] {
        var writer = WireWriter()
        encode(to: &writer)
        return writer.bytes()
    }

    /// The message as compact JSON in Clarifai's REST shape, as UTF-8 bytes.
    public func jsonUTF8() -> [UInt8] {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return writer.bytes
    }

    /// The message as compact JSON in Clarifai's REST shape.
    public func jsonString() -> String {
        String(decoding: jsonUTF8(), as: UTF8.self)
    }

    /// Decodes a message from JSON: `.proto` or lowerCamelCase field names, enums by number or name.
    public init(jsonUTF8 bytes: [UInt8]) throws(JSONError) {
        let value = try JSONValue.parse(bytes)
        try self.init(json: value)
    }

    /// Decodes a message from a JSON string.
    public init(jsonString: String) throws(JSONError) {
        try self.init(jsonUTF8: Array(jsonString.utf8))
    }

    /// Decodes a message from a parsed JSON value.
    public init(json value: JSONValue) throws(JSONError) {
        self.init()
        do {
            try mergeJSON(value)
        } catch {
            throw error.prepending(Self.shortName)
        }
    }
}

/// The `.proto` names of a message's fields, and the JSON keys that select them.
public struct FieldNames: Sendable {
    private let names: [Int: String]
    private let numbers: [String: Int]

    /// - Parameter names: field number → `.proto` name; JSON accepts it and its lowerCamelCase form.
    public init(_ names: [Int: String]) {
        self.names = names
        var numbers: [String: Int] = [:]
        for (number, name) in names {
            numbers[name] = number
            numbers[FieldNames.lowerCamelCase(name)] = number
        }
        self.numbers = numbers
    }

    public func name(_ number: Int) -> String? { names[number] }
    public func number(forJSONKey key: String) -> Int? { numbers[key] }

    /// protoc's json_name rule: drop each underscore and upper-case the letter after it.
    static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A message whose JSON form is an object of its fields (every message but the well-known types).
public protocol JSONObjectMessage: ProtoMessage {
    static var fieldNames: FieldNames { get }
    /// Decodes the JSON value of field `number`; `null` never reaches it (it means "default").
    mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError)
}

extension JSONObjectMessage {
    public static func fieldName(_ number: Int) -> String? { fieldNames.name(number) }

    public mutating func mergeJSON(_ value: JSONValue) throws(JSONError) {
        try mergeJSONObject(value)
    }

    /// Decodes each member of a JSON object into the field it names.
    public mutating func mergeJSONObject(_ value: JSONValue) throws(JSONError) {
        guard case .object(let members) = value else { throw JSONError(.expected("an object")) }
        for member in members {
            guard let number = Self.fieldNames.number(forJSONKey: member.key) else {
                throw JSONError(.unknownField).prepending(member.key)
            }
            if case .null = member.value { continue }
            do {
                try decodeJSONField(number, member.value)
            } catch {
                throw error.prepending(Self.fieldName(number) ?? member.key)
            }
        }
    }
}
