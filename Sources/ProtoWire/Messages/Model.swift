/// `clarifai.api.Model`, in part: who a ``Worker`` is when a model made the annotation.
///
/// A partial message: it models the fields below and keeps the other official fields
/// (`output_info`, `metadata`, `toolkits`, …) as unknown fields, which binary decoding
/// and encoding carry unchanged, in the official field order (see `protos/README.md`). JSON
/// leaves them out, and strict JSON decoding rejects them as not modelled.
///
/// ```swift
/// var model = Model(id: "general-image-recognition")
/// model.userID = "clarifai"
/// model.appID = "main"
/// let worker = Worker(.model(model))
/// ```
public struct Model: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Model"
    /// Every official field: the ones not modelled here still name error paths and are
    /// recognised (as not modelled) in JSON.
    public static let fieldNames = FieldNames([
        1: "id", 2: "name", 3: "created_at", 4: "app_id", 5: "output_info", 6: "model_version", 7: "display_name",
        9: "user_id", 14: "model_type_id", 15: "visibility", 16: "description", 17: "metadata", 18: "notes",
        19: "modified_at", 20: "toolkits", 21: "use_cases", 22: "is_starred", 23: "star_count", 25: "languages",
        26: "task", 27: "presets", 29: "workflow_recommended", 30: "default_eval_info", 31: "languages_full",
        32: "check_consents", 33: "bookmark_origin", 34: "image", 35: "license_type", 36: "source", 37: "creator",
        38: "version_count", 40: "billing_type", 41: "featured_order", 42: "deploy_restriction",
        43: "replica_count", 44: "open_router_info",
    ])

    /// Unique within its app, URL-friendly.
    public var id = ""  // string id = 1;
    /// Deprecated in the official definitions: the id names the model.
    public var name = ""  // string name = 2 [deprecated = true];
    /// When the model was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 3;
    /// When the model was last changed (set by the server).
    public var modifiedAt: Timestamp?  // google.protobuf.Timestamp modified_at = 19;
    /// The app the model belongs to; always present in JSON, even when empty
    /// (Clarifai's `cl_show_if_empty`).
    public var appID = ""  // string app_id = 4; (cl_show_if_empty)
    /// Deprecated in the official definitions: the id names the model.
    public var displayName = ""  // string display_name = 7 [deprecated = true];
    /// The user the model belongs to.
    public var userID = ""  // string user_id = 9;
    /// The model type, the same for every version (e.g. `visual-classifier`).
    public var modelTypeID = ""  // string model_type_id = 14;
    /// The task the model was trained to do.
    public var task = ""  // string task = 26;
    /// A short description of the model.
    public var description = ""  // string description = 16;
    /// The version of the model (a model worker names the version that made the annotation).
    public var modelVersion: ModelVersion?  // ModelVersion model_version = 6;
    /// The official fields not modelled here, then any unknown ones, as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The model with this id (in the app that `userID` and `appID` name).
    public init(id: String) {
        self.id = id
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: name = try reader.readString(tag)
        case 3: try reader.readMessage(tag, into: &createdAt)
        case 4: appID = try reader.readString(tag)
        case 6: try reader.readMessage(tag, into: &modelVersion)
        case 7: displayName = try reader.readString(tag)
        case 9: userID = try reader.readString(tag)
        case 14: modelTypeID = try reader.readString(tag)
        case 16: description = try reader.readString(tag)
        case 19: try reader.readMessage(tag, into: &modifiedAt)
        case 26: task = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        var kept = KeptFieldOrder(unknownFields) { Model.fieldNames.name($0) != nil }
        kept.writeTrailing(to: &writer)
        kept.write(above: 26, to: &writer)
        writer.writeString(26, task)
        kept.write(above: 19, to: &writer)
        writer.writeMessage(19, modifiedAt)
        kept.write(above: 16, to: &writer)
        writer.writeString(16, description)
        kept.write(above: 14, to: &writer)
        writer.writeString(14, modelTypeID)
        kept.write(above: 9, to: &writer)
        writer.writeString(9, userID)
        kept.write(above: 7, to: &writer)
        writer.writeString(7, displayName)
        kept.write(above: 6, to: &writer)
        writer.writeMessage(6, modelVersion)
        kept.write(above: 4, to: &writer)
        writer.writeString(4, appID)
        kept.write(above: 3, to: &writer)
        writer.writeMessage(3, createdAt)
        kept.write(above: 2, to: &writer)
        writer.writeString(2, name)
        kept.write(above: 1, to: &writer)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("name", name)
        writer.message("created_at", createdAt)
        writer.message("modified_at", modifiedAt)
        writer.key("app_id")
        writer.writeStringValue(appID)
        writer.message("model_version", modelVersion)
        writer.string("display_name", displayName)
        writer.string("user_id", userID)
        writer.string("model_type_id", modelTypeID)
        writer.string("task", task)
        writer.string("description", description)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: name = try value.protoString()
        case 3: try value.protoMessage(into: &createdAt)
        case 4: appID = try value.protoString()
        case 6: try value.protoMessage(into: &modelVersion)
        case 7: displayName = try value.protoString()
        case 9: userID = try value.protoString()
        case 14: modelTypeID = try value.protoString()
        case 16: description = try value.protoString()
        case 19: try value.protoMessage(into: &modifiedAt)
        case 26: task = try value.protoString()
        default: throw JSONError(.notModelled)
        }
    }
}
