/// One field of a payload that a schema does not model, found by
/// ``DynamicMessage/unknownFieldReport(isModelled:)``: where it is, its number and wire type,
/// and how many bytes it takes.
///
/// ```swift
/// let message = try DynamicMessage(serializedBytes: payload,
///                                  type: MirroredSchema.messageType("clarifai.api.MultiAnnotationResponse")!)
/// for field in message.unknownFieldReport(isModelled: MirroredSchema.isModelled) {
///     print(field)  // annotations[0].worker.model.#17  length-delimited  212 bytes
/// }
/// ```
public struct UnknownField: Sendable, Equatable, CustomStringConvertible {
    /// The field's path from the root message: `.proto` names, `[i]` for the element of a
    /// repeated field, `["key"]` for a map entry (a string key quoted and escaped as in JSON),
    /// and `#n` for a number the schema does not declare (`annotations[0].data.#27`,
    /// `annotations[1].data.geo`).
    public let path: String
    /// The field number.
    public let number: Int
    /// The wire type its tag carries.
    public let wireType: WireType
    /// The field's size on the wire, tag included.
    public let size: Int
    /// The name the schema gives the field when it declares it but does not model it (the
    /// typed messages keep such a field as raw bytes); nil for an undeclared number.
    public let declaredName: String?

    /// A report entry with these values.
    public init(path: String, number: Int, wireType: WireType, size: Int, declaredName: String? = nil) {
        self.path = path
        self.number = number
        self.wireType = wireType
        self.size = size
        self.declaredName = declaredName
    }

    /// `path  wire-type  N bytes`.
    public var description: String {
        "\(path)  \(wireType.name)  \(size) byte\(size == 1 ? "" : "s")"
    }
}

extension WireType {
    /// The wire type as the protobuf encoding guide names it: `varint`, `fixed64`,
    /// `length-delimited`, `start-group`, `end-group`, `fixed32`.
    public var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

extension DynamicMessage {
    /// Every field of this message and the messages in it that its schema does not model: the
    /// present message fields that `isModelled` rejects, reported whole without looking inside
    /// (their size as they re-encode), and the numbers its type does not declare (kept as
    /// ``unknownFields``, their size as they arrived). `isModelled` is asked about message
    /// fields only. Per message, declared fields come first by number, then the undeclared
    /// ones as they arrived.
    ///
    /// With ``MirroredSchema/isModelled(_:)`` on a message of the mirror, that is exactly what the
    /// typed messages keep as raw bytes: what a newer server sends that this package does not read.
    public func unknownFieldReport(isModelled: (FieldSchema) -> Bool = { _ in true }) -> [UnknownField] {
        var report: [UnknownField] = []
        collectUnknownFields(at: "", isModelled: isModelled, into: &report)
        return report
    }

    private func collectUnknownFields(
        at path: String, isModelled: (FieldSchema) -> Bool,
        into report: inout [UnknownField]
    ) {
        let prefix = path.isEmpty ? "" : path + "."
        for (index, field) in type.schema.fields.enumerated() where !values[index].isEmpty {
            let fieldPath = prefix + field.name
            for (position, value) in values[index].enumerated() {
                guard case .message(let message) = value else { break }
                let elementPath =
                    field.isRepeated
                    ? fieldPath + message.elementSuffix(position, isMap: field.isMap)
                    : fieldPath
                if isModelled(field) {
                    message.collectUnknownFields(at: elementPath, isModelled: isModelled, into: &report)
                } else {
                    let content = message.serializedBytes().count
                    let size =
                        WireWriter.varintSize(UInt64(field.number) << 3) + WireWriter.varintSize(UInt64(content))
                        + content
                    report.append(
                        UnknownField(
                            path: elementPath, number: field.number, wireType: .lengthDelimited,
                            size: size, declaredName: field.name))
                }
            }
        }
        guard !unknownFields.isEmpty else { return }
        unknownFields.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            var sink: [UInt8] = []
            // The bytes were read field by field when they were kept: they parse again.
            while !reader.isAtEnd, let tag = try? reader.readTag() {
                let start = reader.tagStart
                sink.removeAll(keepingCapacity: true)
                guard (try? reader.skipField(tag, appendingTo: &sink)) != nil else { return }
                report.append(
                    UnknownField(
                        path: prefix + "#\(tag.number)", number: tag.number,
                        wireType: tag.wireType, size: reader.cursor - start))
            }
        }
    }

    /// `[i]` for an element of a repeated field; `["key"]` (or `[key]` for a number) for a map entry.
    private func elementSuffix(_ position: Int, isMap: Bool) -> String {
        guard isMap, let keyField = type.schema.fields.first, keyField.number == 1 else { return "[\(position)]" }
        // A default key is not stored (proto3): the entry still has one.
        switch values[0].first ?? DynamicValue.defaultValue(of: keyField.type) {
        case .string(let text):
            // Quoted and escaped as JSON writes it: a key may hold quotes, newlines, control characters.
            var writer = JSONWriter()
            writer.writeStringValue(text)
            return "[" + String(decoding: writer.bytes, as: UTF8.self) + "]"
        case .int32(let number): return "[\(number)]"
        case .int64(let number): return "[\(number)]"
        case .uint32(let number): return "[\(number)]"
        case .uint64(let number): return "[\(number)]"
        case .bool(let flag): return "[\(flag)]"
        default: return "[\(position)]"
        }
    }
}
