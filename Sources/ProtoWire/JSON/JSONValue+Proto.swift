/// Reading proto3 JSON values: each accessor accepts exactly what the proto3 JSON mapping
/// allows for its type (for example an int64 as a number or a string) and throws otherwise.
extension JSONValue {
    /// The value of a `string` field; throws `expected("a string")` for anything but a JSON string.
    public func protoString() throws(JSONError) -> String {
        guard case .string(let string) = self else { throw JSONError(.expected("a string")) }
        return string
    }

    /// The value of a `bool` field; throws unless the value is `true` or `false`.
    public func protoBool() throws(JSONError) -> Bool {
        guard case .bool(let bool) = self else { throw JSONError(.expected("true or false")) }
        return bool
    }

    /// The text of an integer given as a JSON number or a string. Exponents and fractions are
    /// accepted when the value is still whole (`1e3`, `5.0`), as the official parsers do.
    private func integerText() throws(JSONError) -> String {
        switch self {
        case .number(let text), .string(let text):
            return text
        default:
            throw JSONError(.expected("an integer"))
        }
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ name: String) throws(JSONError) -> T {
        let text = try integerText()
        if let value = T(text) { return value }
        // Whole numbers written with a fraction or an exponent.
        // Whole without `rounded()`, which calls libm's `round` and left programs that link
        // ProtoWire without Foundation or Glibc with an undefined symbol on Linux. From 2^52
        // up every double is whole; below, truncating to Int64 is exact.
        guard let double = Double(text), double.isFinite,
            abs(double) >= 0x1p52 || Double(Int64(double)) == double
        else {
            throw JSONError(.expected("an integer"))
        }
        guard let value = T(exactly: double) else { throw JSONError(.outOfRange(name)) }
        return value
    }

    /// The value of an `int32` field: a whole number, as a JSON number or string; throws `expected` or
    /// `outOfRange`.
    public func protoInt32() throws(JSONError) -> Int32 { try integer(Int32.self, "int32") }
    /// The value of a `uint32` field: a whole number, as a JSON number or string; throws `expected` or
    /// `outOfRange`.
    public func protoUInt32() throws(JSONError) -> UInt32 { try integer(UInt32.self, "uint32") }
    /// The value of an `int64` field: a whole number, as a JSON number or (usually) a string; throws
    /// `expected` or `outOfRange`.
    public func protoInt64() throws(JSONError) -> Int64 { try integer(Int64.self, "int64") }
    /// The value of a `uint64` field: a whole number, as a JSON number or (usually) a string; throws
    /// `expected` or `outOfRange`.
    public func protoUInt64() throws(JSONError) -> UInt64 { try integer(UInt64.self, "uint64") }

    /// The value of a `double` field: a JSON number, a numeric string, or `"NaN"`, `"Infinity"`,
    /// `"-Infinity"`; a finite literal too large for a double throws `outOfRange`.
    public func protoDouble() throws(JSONError) -> Double {
        switch self {
        case .number(let text):
            if let value = JSONNumber.fastDouble(text) { return value }
            guard let value = Double(text) else { throw JSONError(.expected("a number")) }
            guard value.isFinite else { throw JSONError(.outOfRange("double")) }
            return value
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text):
            guard let value = Double(text), value.isFinite else { throw JSONError(.expected("a number")) }
            return value
        default:
            throw JSONError(.expected("a number"))
        }
    }

    /// The value of a `float` field, read as `protoDouble()`; a finite value too large for a float
    /// throws `outOfRange`.
    public func protoFloat() throws(JSONError) -> Float {
        let double = try protoDouble()
        let float = Float(double)
        // Round first: the shortest text of Float.greatestFiniteMagnitude (3.4028235e+38) is a
        // little above it as a Double, yet names that very float.
        guard float.isFinite || !double.isFinite else { throw JSONError(.outOfRange("float")) }
        return float
    }

    /// bytes: standard or URL-safe base64, with or without padding.
    public func protoBytes() throws(JSONError) -> [UInt8] {
        guard case .string(let text) = self else { throw JSONError(.expected("a base64 string")) }
        guard let bytes = Base64.decode(text) else { throw JSONError(.invalidBase64) }
        return bytes
    }

    /// An enum given as its number or as one of its names.
    public func protoEnum(_ valueForName: (String) -> Int32?) throws(JSONError) -> Int32 {
        if case .string(let name) = self {
            if let value = valueForName(name) { return value }
            if let value = Int32(name) { return value }
            throw JSONError(.unknownEnumName(name))
        }
        return try protoInt32()
    }

    /// The elements of a repeated field; `null` means empty.
    public func protoArray() throws(JSONError) -> [JSONValue] {
        switch self {
        case .array(let elements): return elements
        case .null: return []
        default: throw JSONError(.expected("an array"))
        }
    }

    /// Decodes each element, naming the index of a failure.
    public func protoRepeated<T>(_ decode: (JSONValue) throws(JSONError) -> T) throws(JSONError) -> [T] {
        let elements = try protoArray()
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                result.append(try decode(element))
            } catch {
                throw error.prepending("[\(index)]")
            }
        }
        return result
    }

    /// The elements of a repeated message field, each decoded as an `M`; `null` means none. A failure's
    /// path names the element's index.
    public func protoMessages<M: ProtoMessage>(_ type: M.Type) throws(JSONError) -> [M] {
        try protoRepeated { (element) throws(JSONError) in
            var message = M()
            try message.mergeJSON(element)
            return message
        }
    }

    /// A singular message field; merges into an existing value as binary decoding does.
    public func protoMessage<M: ProtoMessage>(into message: inout M?) throws(JSONError) {
        var value = message ?? M()
        try value.mergeJSON(self)
        message = value
    }
}
