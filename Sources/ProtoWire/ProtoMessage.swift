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

    /// The message's binary wire encoding after `headroom` zero bytes: room for a framing
    /// prefix (gRPC's 5 bytes) that the caller writes in place, so that framing does not copy
    /// the message again.
    ///
    /// ```swift
    /// let body = annotation.serializedBytes(headroom: 5)
    /// // body[5...] == annotation.serializedBytes()[...]
    /// ```
    public func serializedBytes(headroom: Int) -> [UInt8] {
        var writer = WireWriter()
        encode(to: &writer)
        return writer.bytes(headroom: headroom)
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
    // JSON key → field number, as an open-addressing table hashed with FNV-1a over the key's
    // UTF-8: the key of every JSON member is looked up here, and `Dictionary`'s per-process
    // seeded SipHash was about a tenth of JSON decoding. The table is never more than half full.
    private let keys: [String?]
    private let numbers: [Int]

    /// - Parameter names: field number → `.proto` name; JSON accepts it and its lowerCamelCase form.
    public init(_ names: [Int: String]) {
        self.names = names
        var size = 8
        while size < names.count * 4 { size *= 2 }  // two keys per field, at most half full
        var keys = [String?](repeating: nil, count: size)
        var numbers = [Int](repeating: 0, count: size)
        for (number, name) in names {
            for key in [name, FieldNames.lowerCamelCase(name)] {
                var slot = FieldNames.hash(key) & (size - 1)
                while let existing = keys[slot], existing != key { slot = (slot + 1) & (size - 1) }
                keys[slot] = key
                numbers[slot] = number
            }
        }
        self.keys = keys
        self.numbers = numbers
    }

    /// The `.proto` name of field `number`, or nil when the message has no such field.
    public func name(_ number: Int) -> String? { names[number] }

    /// The field a JSON member's key selects: the `.proto` name (`input_id`) or its lowerCamelCase
    /// JSON name (`inputId`); nil for any other key.
    public func number(forJSONKey key: String) -> Int? {
        let mask = keys.count - 1
        var slot = FieldNames.hash(key) & mask
        while let candidate = keys[slot] {
            if candidate == key { return numbers[slot] }
            slot = (slot + 1) & mask
        }
        // String equality is canonical equivalence, blind to the bytes: a non-ASCII key can
        // equal a name spelled differently (U+212A KELVIN SIGN is "K"), as it did in the
        // Dictionary this table replaces. Such keys are compared with every name.
        if !key.utf8.allSatisfy({ $0 < 0x80 }), let slot = keys.firstIndex(where: { $0 == key }) {
            return numbers[slot]
        }
        return nil
    }

    private static func hash(_ key: String) -> Int {
        // Over contiguous storage (always, for native strings): iterating `key.utf8` byte by byte
        // cost several times more.
        let hash = key.utf8.withContiguousStorageIfAvailable(fnv1a) ?? fnv1a(Array(key.utf8))
        return Int(truncatingIfNeeded: hash ^ hash >> 29)
    }

    private static func fnv1a<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

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
    /// The `.proto` names of the message's fields by number: they name error paths, and JSON accepts
    /// each name and its lowerCamelCase form as a key.
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
        let fieldNames = Self.fieldNames
        // By index: iterating the array copied each member (retaining its key and value).
        for index in members.indices {
            guard let number = fieldNames.number(forJSONKey: members[index].key) else {
                if JSONDecoding.ignoresUnknownFields { continue }
                throw JSONError(.unknownField).prepending(members[index].key)
            }
            if case .null = members[index].value { continue }
            do {
                try decodeJSONField(number, members[index].value)
            } catch  where error.reason == .notModelled && error.path.isEmpty && JSONDecoding.ignoresUnknownFields {
                continue
            } catch {
                throw error.prepending(Self.fieldName(number) ?? members[index].key)
            }
        }
    }
}

/// How JSON is read.
///
/// By default decoding is strict: a key that names no field of the message is an error, as is
/// a value for a field this package keeps only in binary form. Answers from a server may carry
/// fields newer than this package; reading them with unknown fields ignored keeps the call
/// working (what is skipped cannot be sent back: for lossless round trips use the binary form,
/// which keeps unknown fields).
///
/// ```swift
/// let response = try JSONDecoding.$ignoresUnknownFields.withValue(true) {
///     try MultiAnnotationResponse(jsonUTF8: body)
/// }
/// ```
public enum JSONDecoding {
    /// Whether JSON decoding skips members that name no field (and values of fields kept only in
    /// binary form) instead of throwing; false by default. Set it for a task with `withValue`.
    @TaskLocal public static var ignoresUnknownFields = false
}
