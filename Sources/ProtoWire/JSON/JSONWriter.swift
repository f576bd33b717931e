/// Writes compact proto3 JSON straight into a byte buffer, without an intermediate tree.
///
/// Field helpers skip default values (proto3 JSON), except the `…Always` forms used for
/// fields that Clarifai marks `cl_show_if_empty`.
public struct JSONWriter {
    /// The JSON written so far, as UTF-8.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty writer.
    public init() {
        bytes.reserveCapacity(256)
    }

    // MARK: Structure

    /// Writes `{`, the start of an object (a message's `writeJSON` brackets its fields with it).
    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`, the end of the object begun last.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`, the start of an array; write each element after `beginElement()`.
    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`, the end of the array begun last.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts an array element: a comma when one came before. Value writers do not add one,
    /// so that a value written after `key` and one written as an element share the code.
    public mutating func beginElement() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes an object member's key (quoted, after a comma when a member came before) and the colon;
    /// the value comes next.
    public mutating func key(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        writeQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Scalars

    /// Writes `null`.
    public mutating func writeNull() {
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func writeBoolValue(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    /// Writes a quoted string, escaping quotes, backslashes and control characters.
    public mutating func writeStringValue(_ value: String) {
        writeQuoted(value)
        needsComma = true
    }

    /// Integers up to 32 bits are JSON numbers.
    public mutating func writeIntegerValue<T: BinaryInteger>(_ value: T) {
        appendDecimal(value)
        needsComma = true
    }

    /// 64-bit integers are JSON strings, so that JavaScript readers lose no precision.
    public mutating func writeInteger64Value<T: BinaryInteger>(_ value: T) {
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// The decimal digits of `value`, as `String(value)` writes them, without building a String.
    private mutating func appendDecimal<T: BinaryInteger>(_ value: T) {
        guard let small = Int64(exactly: value) else {
            bytes.append(contentsOf: String(value).utf8)  // UInt64 above Int64.max
            return
        }
        // Digits from the last, into a buffer big enough for "-9223372036854775808".
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var magnitude = small.magnitude
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if small < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<20]))
        }
    }

    /// Characters that need no escaping, written as they are between quotes (a timestamp).
    mutating func writeASCIIStringValue(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Shortest text that reads back to the same Float; NaN and infinities as proto3 JSON strings.
    public mutating func writeFloatValue(_ value: Float) {
        if value.isFinite {
            var text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }  // faster than appending `text.utf8`
        } else {
            writeNonFinite(value.isNaN, value < 0)
        }
        needsComma = true
    }

    /// Writes a double in its shortest round-trip form; NaN and the infinities as the strings
    /// `"NaN"`, `"Infinity"`, `"-Infinity"`, as proto3 JSON requires.
    public mutating func writeDoubleValue(_ value: Double) {
        if value.isFinite {
            var text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }  // faster than appending `text.utf8`
        } else {
            writeNonFinite(value.isNaN, value < 0)
        }
        needsComma = true
    }

    private mutating func writeNonFinite(_ isNaN: Bool, _ isNegative: Bool) {
        let text = isNaN ? "\"NaN\"" : (isNegative ? "\"-Infinity\"" : "\"Infinity\"")
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes bytes as a standard base64 string, padded.
    public mutating func writeBytesValue(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        Base64.encode(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a message as the JSON value its `writeJSON` gives.
    public mutating func writeMessageValue<M: ProtoMessage>(_ message: M) {
        message.writeJSON(to: &self)
        needsComma = true
    }

    private mutating func writeQuoted(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        // Over contiguous storage (always, for native strings) where possible: iterating
        // `string.utf8` byte by byte was a third of JSON encoding.
        let done = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for byte in utf8 where JSONWriter.needsEscape(byte) { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if done != true {
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
                case 0x0a: bytes.append(contentsOf: "\\n".utf8)
                case 0x0d: bytes.append(contentsOf: "\\r".utf8)
                case 0x09: bytes.append(contentsOf: "\\t".utf8)
                case 0x08: bytes.append(contentsOf: "\\b".utf8)
                case 0x0c: bytes.append(contentsOf: "\\f".utf8)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 15)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    // MARK: Fields (skip defaults)

    /// Writes member `name` for a `string` field; nothing when the value is empty (the default).
    public mutating func string(_ name: String, _ value: String) {
        guard !value.isEmpty else { return }
        key(name)
        writeStringValue(value)
    }

    /// Writes member `name` as an array of strings; nothing when there are none.
    public mutating func strings(_ name: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values {
            beginElement()
            writeStringValue(value)
        }
        endArray()
    }

    /// Writes member `name` for a `bytes` field, in base64; nothing when the value is empty.
    public mutating func bytesField(_ name: String, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        key(name)
        writeBytesValue(value)
    }

    /// Writes member `name` for a `bool` field; nothing when it is false (the default).
    public mutating func bool(_ name: String, _ value: Bool) {
        guard value else { return }
        key(name)
        writeBoolValue(value)
    }

    /// Writes member `name` for an `int32` field as a number; nothing when it is 0, unless `always`
    /// (Clarifai's `cl_show_if_empty`).
    public mutating func int32(_ name: String, _ value: Int32, always: Bool = false) {
        guard value != 0 || always else { return }
        key(name)
        writeIntegerValue(value)
    }

    /// Writes member `name` for a `uint32` field as a number; nothing when it is 0, unless `always`
    /// (Clarifai's `cl_show_if_empty`).
    public mutating func uint32(_ name: String, _ value: UInt32, always: Bool = false) {
        guard value != 0 || always else { return }
        key(name)
        writeIntegerValue(value)
    }

    /// Writes member `name` for an `int64` field as a quoted decimal string, as proto3 JSON does for
    /// 64-bit integers; nothing when it is 0.
    public mutating func int64(_ name: String, _ value: Int64) {
        guard value != 0 else { return }
        key(name)
        writeInteger64Value(value)
    }

    /// Writes member `name` for a `uint64` field as a quoted decimal string; nothing when it is 0, unless
    /// `always` (Clarifai's `cl_show_if_empty`).
    public mutating func uint64(_ name: String, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        key(name)
        writeInteger64Value(value)
    }

    /// Skipped only when the bit pattern is zero, matching the binary rule (-0.0 is written).
    public mutating func float(_ name: String, _ value: Float, always: Bool = false) {
        guard value.bitPattern != 0 || always else { return }
        key(name)
        writeFloatValue(value)
    }

    /// Writes member `name` for a `double` field; nothing when its bit pattern is zero (-0.0 is written).
    public mutating func double(_ name: String, _ value: Double) {
        guard value.bitPattern != 0 else { return }
        key(name)
        writeDoubleValue(value)
    }

    /// Writes member `name` as an array of floats; nothing when there are none.
    public mutating func floats(_ name: String, _ values: [Float]) {
        guard !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values {
            beginElement()
            writeFloatValue(value)
        }
        endArray()
    }

    /// Writes member `name` for a message field; nothing when it is nil (an empty message is written,
    /// as `{}`).
    public mutating func message<M: ProtoMessage>(_ name: String, _ value: M?) {
        guard let value else { return }
        key(name)
        writeMessageValue(value)
    }

    /// Writes member `name` as an array of messages; nothing when there are none, unless `always`
    /// (Clarifai's `cl_show_if_empty`).
    public mutating func messages<M: ProtoMessage>(_ name: String, _ values: [M], always: Bool = false) {
        guard !values.isEmpty || always else { return }
        key(name)
        beginArray()
        for value in values {
            beginElement()
            writeMessageValue(value)
        }
        endArray()
    }
}
