/// `clarifai.api.ModelVersion`, in part: one version of a ``Model``, as a model worker names it.
///
/// A partial message: it models the fields below and keeps the other official fields
/// (`status`, `active_concept_count`, `metrics`, …) as unknown fields, which binary decoding
/// and encoding carry unchanged, in the official field order (see `protos/README.md`). JSON
/// leaves them out, and strict JSON decoding rejects them as not modelled.
///
/// ```swift
/// var model = Model(id: "general-image-recognition")
/// model.modelVersion = ModelVersion(id: "aa7f35c01e0642fda5cf400f543e7c40")
/// let worker = Worker(.model(model))
/// ```
public struct ModelVersion: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.ModelVersion"
    /// Every official field: the ones not modelled here still name error paths and are
    /// recognised (as not modelled) in JSON.
    public static let fieldNames = FieldNames([
        1: "id", 2: "created_at", 3: "status", 4: "active_concept_count", 5: "metrics", 6: "total_input_count",
        7: "pretrained_model_config", 10: "completed_at", 11: "description", 12: "visibility", 13: "app_id",
        14: "user_id", 15: "modified_at", 16: "metadata", 17: "license", 19: "output_info", 20: "input_info",
        21: "train_info", 22: "import_info", 23: "train_log", 24: "inference_compute_info", 25: "build_info",
        26: "method_signatures", 27: "special_handling", 28: "num_threads",
    ])

    /// Unique within its model.
    public var id = ""  // string id = 1;
    /// When the version was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 2;
    /// A short description of the version.
    public var description = ""  // string description = 11;
    /// The app the version belongs to.
    public var appID = ""  // string app_id = 13;
    /// The user the version belongs to.
    public var userID = ""  // string user_id = 14;
    /// When the version was last changed (set by the server).
    public var modifiedAt: Timestamp?  // google.protobuf.Timestamp modified_at = 15;
    /// The official fields not modelled here, then any unknown ones, as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The version with this id.
    public init(id: String) {
        self.id = id
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: try reader.readMessage(tag, into: &createdAt)
        case 11: description = try reader.readString(tag)
        case 13: appID = try reader.readString(tag)
        case 14: userID = try reader.readString(tag)
        case 15: try reader.readMessage(tag, into: &modifiedAt)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        var kept = KeptFieldOrder(unknownFields) { ModelVersion.fieldNames.name($0) != nil }
        kept.writeTrailing(to: &writer)
        kept.write(above: 15, to: &writer)
        writer.writeMessage(15, modifiedAt)
        kept.write(above: 14, to: &writer)
        writer.writeString(14, userID)
        kept.write(above: 13, to: &writer)
        writer.writeString(13, appID)
        kept.write(above: 11, to: &writer)
        writer.writeString(11, description)
        kept.write(above: 2, to: &writer)
        writer.writeMessage(2, createdAt)
        kept.write(above: 1, to: &writer)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.message("created_at", createdAt)
        writer.string("description", description)
        writer.string("app_id", appID)
        writer.string("user_id", userID)
        writer.message("modified_at", modifiedAt)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: try value.protoMessage(into: &createdAt)
        case 11: description = try value.protoString()
        case 13: appID = try value.protoString()
        case 14: userID = try value.protoString()
        case 15: try value.protoMessage(into: &modifiedAt)
        default: throw JSONError(.notModelled)
        }
    }
}
