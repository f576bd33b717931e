/// The package's own schema as data: the `FileDescriptorSet` of `protos/`, the subset of
/// Clarifai's official definitions that the typed messages (``Annotation``, ``Worker``, …) and
/// the V2 contract mirror, compiled by protoc and carried in the library.
///
/// What a compatibility test compares with the official descriptors, at run time and without
/// protoc: ``SchemaDiff`` against a newer official set (`annotations wire diff`), and
/// ``DynamicMessage/unknownFieldReport(isModelled:)`` with ``isModelled(_:)`` for the fields of
/// a payload the typed messages do not model (`annotations wire unknown`).
///
/// ```swift
/// let official = try DescriptorSet(serializedBytes: newerReleaseBytes)
/// let diff = SchemaDiff(from: MirroredSchema.descriptorSet, to: official,
///                       notMirrored: MirroredSchema.messagesDeclaredInPart)
/// for change in diff.changes where change.isBreaking { print(change) }
/// ```
public enum MirroredSchema {
    /// The official release `protos/` was written from.
    public static let release = "clarifai-grpc 12.6.0"

    /// The serialized set (`protoc --include_imports -o`, without `descriptor.proto`), as
    /// `annotations wire schema` writes it.
    public static let serializedDescriptorSet: [UInt8] = {
        let text = String(descriptorSetBase64.unicodeScalars.filter { $0 != "\n" && $0 != " " })
        // The literal is written by scripts/gen_mirrored_schema.py and checked by the tests.
        return Base64.decode(text) ?? []
    }()

    /// The mirror, resolved. Its messages are the typed messages' schema (``MessageTypes/all``).
    public static let descriptorSet: DescriptorSet = {
        do {
            return try DescriptorSet(serializedBytes: serializedDescriptorSet)
        } catch {
            // Only an edited literal can get here, and the tests decode it on every run.
            preconditionFailure("the embedded mirror of protos/ does not decode: \(error)")
        }
    }()

    /// The mirror's message type with this full name (`clarifai.api.Annotation`), or nil.
    public static func messageType(_ fullName: String) -> MessageType? {
        descriptorSet.messageType(fullName)
    }

    /// Messages the mirror declares in part (a useful subset of the official fields) or empty
    /// (a type mirrored fields refer to but the package does not model): the official fields
    /// they lack are not mirrored by design, not added by a newer release.
    public static let messagesDeclaredInPart: Set<String> = {
        var names: Set<String> = [
            "clarifai.api.User", "clarifai.api.Model", "clarifai.api.Workflow", "clarifai.api.ModelVersion",
            "clarifai.api.WorkflowVersion",
        ]
        for name in descriptorSet.messageTypeNames where descriptorSet.messageType(name)?.fields.isEmpty == true {
            names.insert(name)
        }
        return names
    }()

    /// Whether the typed messages model a field of the mirror (by its type's name): false for a field whose message
    /// type the mirror declares empty (`Data.geo`, `Concept.visibility`, …), which the typed
    /// messages keep as raw bytes, like a field they do not declare at all.
    public static func isModelled(_ field: FieldSchema) -> Bool {
        field.type != .message || descriptorSet.messageType(field.typeName)?.fields.isEmpty == false
    }
}
