/// `clarifai.api.Workflow`, in part: who a ``Worker`` is when a workflow made the annotation.
///
/// A partial message: it models the fields below and keeps the other official fields
/// (`nodes`, `metadata`, `visibility`, …) as unknown fields, which binary decoding and encoding
/// carry unchanged, in the official field order (see `protos/README.md`). JSON leaves them
/// out, and strict JSON decoding rejects them as not modelled.
///
/// ```swift
/// var workflow = Workflow(id: "my-workflow")
/// workflow.appID = "{YOUR_APP_ID}"
/// ```
public struct Workflow: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Workflow"
    /// Every official field: the ones not modelled here still name error paths and are
    /// recognised (as not modelled) in JSON.
    public static let fieldNames = FieldNames([
        1: "id", 2: "app_id", 3: "created_at", 4: "nodes", 5: "metadata", 6: "visibility", 7: "user_id",
        8: "modified_at", 9: "version", 10: "is_starred", 11: "star_count", 12: "description", 13: "notes",
        14: "use_cases", 15: "check_consents", 16: "bookmark_origin", 17: "image",
    ])

    /// Identifies the workflow within its app, URL-friendly.
    public var id = ""  // string id = 1;
    /// The app the workflow belongs to.
    public var appID = ""  // string app_id = 2;
    /// When the workflow was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 3;
    /// The user the workflow belongs to.
    public var userID = ""  // string user_id = 7;
    /// When the workflow was last changed (set by the server).
    public var modifiedAt: Timestamp?  // google.protobuf.Timestamp modified_at = 8;
    /// A short description of the workflow.
    public var description = ""  // string description = 12;
    /// The version of the workflow (a workflow worker names the version that made the annotation).
    public var version: WorkflowVersion?  // WorkflowVersion version = 9;
    /// The official fields not modelled here, then any unknown ones, as they arrived.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The workflow with this id.
    public init(id: String) {
        self.id = id
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: appID = try reader.readString(tag)
        case 3: try reader.readMessage(tag, into: &createdAt)
        case 7: userID = try reader.readString(tag)
        case 8: try reader.readMessage(tag, into: &modifiedAt)
        case 9: try reader.readMessage(tag, into: &version)
        case 12: description = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        var kept = KeptFieldOrder(unknownFields) { Workflow.fieldNames.name($0) != nil }
        kept.writeTrailing(to: &writer)
        kept.write(above: 12, to: &writer)
        writer.writeString(12, description)
        kept.write(above: 9, to: &writer)
        writer.writeMessage(9, version)
        kept.write(above: 8, to: &writer)
        writer.writeMessage(8, modifiedAt)
        kept.write(above: 7, to: &writer)
        writer.writeString(7, userID)
        kept.write(above: 3, to: &writer)
        writer.writeMessage(3, createdAt)
        kept.write(above: 2, to: &writer)
        writer.writeString(2, appID)
        kept.write(above: 1, to: &writer)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("app_id", appID)
        writer.message("created_at", createdAt)
        writer.string("user_id", userID)
        writer.message("modified_at", modifiedAt)
        writer.message("version", version)
        writer.string("description", description)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: appID = try value.protoString()
        case 3: try value.protoMessage(into: &createdAt)
        case 7: userID = try value.protoString()
        case 8: try value.protoMessage(into: &modifiedAt)
        case 9: try value.protoMessage(into: &version)
        case 12: description = try value.protoString()
        default: throw JSONError(.notModelled)
        }
    }
}
