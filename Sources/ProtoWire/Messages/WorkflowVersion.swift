/// `clarifai.api.WorkflowVersion`, in part: one version of a ``Workflow``, as a workflow worker names it.
///
/// A partial message: it models the fields below and keeps the other official fields
/// (`visibility`, `nodes`, `metadata`, …) as unknown fields, which binary decoding
/// and encoding carry unchanged, in the official field order (see `protos/README.md`). JSON
/// leaves them out, and strict JSON decoding rejects them as not modelled.
///
/// ```swift
/// var workflow = Workflow(id: "my-workflow")
/// workflow.version = WorkflowVersion(id: "{YOUR_WORKFLOW_VERSION_ID}")
/// let worker = Worker(.workflow(workflow))
/// ```
public struct WorkflowVersion: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.WorkflowVersion"
    /// Every official field: the ones not modelled here still name error paths and are
    /// recognised (as not modelled) in JSON.
    public static let fieldNames = FieldNames([
        1: "id", 2: "workflow_id", 3: "created_at", 4: "modified_at", 5: "visibility", 6: "nodes", 7: "metadata",
        8: "app_id", 9: "user_id", 10: "description", 11: "license", 12: "is_deprecated",
    ])

    /// Unique within its workflow.
    public var id = ""  // string id = 1;
    /// The workflow it is a version of.
    public var workflowID = ""  // string workflow_id = 2;
    /// When the version was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 3;
    /// When the version was last changed (set by the server).
    public var modifiedAt: Timestamp?  // google.protobuf.Timestamp modified_at = 4;
    /// The app the version belongs to.
    public var appID = ""  // string app_id = 8;
    /// The user the version belongs to.
    public var userID = ""  // string user_id = 9;
    /// A short description of the version.
    public var description = ""  // string description = 10;
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
        case 2: workflowID = try reader.readString(tag)
        case 3: try reader.readMessage(tag, into: &createdAt)
        case 4: try reader.readMessage(tag, into: &modifiedAt)
        case 8: appID = try reader.readString(tag)
        case 9: userID = try reader.readString(tag)
        case 10: description = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        var kept = KeptFieldOrder(unknownFields) { WorkflowVersion.fieldNames.name($0) != nil }
        kept.writeTrailing(to: &writer)
        kept.write(above: 10, to: &writer)
        writer.writeString(10, description)
        kept.write(above: 9, to: &writer)
        writer.writeString(9, userID)
        kept.write(above: 8, to: &writer)
        writer.writeString(8, appID)
        kept.write(above: 4, to: &writer)
        writer.writeMessage(4, modifiedAt)
        kept.write(above: 3, to: &writer)
        writer.writeMessage(3, createdAt)
        kept.write(above: 2, to: &writer)
        writer.writeString(2, workflowID)
        kept.write(above: 1, to: &writer)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("workflow_id", workflowID)
        writer.message("created_at", createdAt)
        writer.message("modified_at", modifiedAt)
        writer.string("app_id", appID)
        writer.string("user_id", userID)
        writer.string("description", description)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: workflowID = try value.protoString()
        case 3: try value.protoMessage(into: &createdAt)
        case 4: try value.protoMessage(into: &modifiedAt)
        case 8: appID = try value.protoString()
        case 9: userID = try value.protoString()
        case 10: description = try value.protoString()
        default: throw JSONError(.notModelled)
        }
    }
}
