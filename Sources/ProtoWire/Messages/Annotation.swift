/// `clarifai.api.Annotation`: labels (concepts, regions, …) attached to one input.
///
/// ```swift
/// var annotation = Annotation()
/// annotation.inputID = "{YOUR_INPUT_ID}"
/// annotation.data = ClarifaiData()
/// annotation.data?.concepts = [Concept(id: "tree", value: 1)]
/// ```
public struct Annotation: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Annotation"
    public static let fieldNames = FieldNames([
        1: "id", 2: "input_id", 3: "data", 7: "status", 8: "created_at", 9: "modified_at", 10: "trusted",
        13: "annotation_info", 14: "embed_model_version_id", 15: "user_id", 16: "model_version_id",
        17: "input_level", 18: "consensus_info", 19: "task_id", 21: "worker",
    ])

    /// Identifies the annotation within its app; the server assigns one when a post leaves it empty.
    public var id = ""  // string id = 1;
    /// The input (image, video, text, …) the annotation labels.
    public var inputID = ""  // string input_id = 2;
    /// What the annotation says about the input: concepts, regions, frames, tracks, ….
    public var data: ClarifaiData?  // Data data = 3;
    /// The annotation's review state, e.g. `ANNOTATION_SUCCESS`, `ANNOTATION_PENDING`, `ANNOTATION_AWAITING_REVIEW`.
    public var status: Status?  // status.Status status = 7;
    /// When the annotation was created (set by the server).
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 8;
    /// When the annotation was last changed (set by the server).
    public var modifiedAt: Timestamp?  // google.protobuf.Timestamp modified_at = 9;
    /// Deprecated in the official definitions, but still read and written by the documented calls.
    public var trusted = false  // bool trusted = 10 [deprecated = true];
    /// Deprecated in the official definitions, but used by the documented calls (annotating
    /// on behalf of another user).
    public var userID = ""  // string user_id = 15 [deprecated = true];
    /// Deprecated in the official definitions, but used by the documented calls (model-created
    /// annotations).
    public var modelVersionID = ""  // string model_version_id = 16 [deprecated = true];
    /// Whether the annotation is about the whole input rather than one of its regions or frames.
    public var inputLevel = false  // bool input_level = 17;
    // The fields most annotations leave unset live in one box (`Rare`), allocated when the
    // first of them is set (see `ClarifaiData`): a list of annotations holds them all inline,
    // and each one inline was memory to initialise and a reference to release per annotation.
    // The public properties are unchanged.
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.Annotation` that most annotations leave unset.
    private struct Rare: Sendable, Equatable {
        var annotationInfo: ProtoStruct?  // google.protobuf.Struct annotation_info = 13;
        var embedModelVersionID = ""  // string embed_model_version_id = 14 [deprecated = true];
        var consensusInfo: ProtoStruct?  // google.protobuf.Struct consensus_info = 18;
        var taskID = ""  // string task_id = 19;
        var worker: Worker?  // Worker worker = 21;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to them.
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    /// Free-form information, e.g. `["task_id": "…"]` for task annotations.
    public var annotationInfo: ProtoStruct? {
        get { rare?.annotationInfo }
        set { withRare { $0.annotationInfo = newValue } }
    }
    /// Deprecated in the official definitions, but used by the documented calls.
    public var embedModelVersionID: String {
        get { rare?.embedModelVersionID ?? "" }
        set { withRare { $0.embedModelVersionID = newValue } }
    }
    /// Consensus review information (annotation group, the reviews it took part in), set by the server.
    public var consensusInfo: ProtoStruct? {
        get { rare?.consensusInfo }
        set { withRare { $0.consensusInfo = newValue } }
    }
    /// The labeling task the annotation was made in, empty outside tasks.
    public var taskID: String {
        get { rare?.taskID ?? "" }
        set { withRare { $0.taskID = newValue } }
    }
    /// Who made the annotation: a user, a model or a workflow.
    public var worker: Worker? {
        get { rare?.worker }
        set { withRare { $0.worker = newValue } }
    }
    /// Fields of `clarifai.api.Annotation` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] {
        get { rare?.unknownFields ?? [] }
        set { withRare { $0.unknownFields = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.unknownFields
        }
    }

    /// Equal when every field is, whether or not the unset rare fields have a box.
    public static func == (lhs: Annotation, rhs: Annotation) -> Bool {
        lhs.id == rhs.id && lhs.inputID == rhs.inputID && lhs.data == rhs.data && lhs.status == rhs.status
            && lhs.createdAt == rhs.createdAt && lhs.modifiedAt == rhs.modifiedAt && lhs.trusted == rhs.trusted
            && lhs.userID == rhs.userID && lhs.modelVersionID == rhs.modelVersionID
            && lhs.inputLevel == rhs.inputLevel && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: inputID = try reader.readString(tag)
        case 3: try reader.readMessage(tag, into: &data)
        case 7: try reader.readMessage(tag, into: &status)
        case 8: try reader.readMessage(tag, into: &createdAt)
        case 9: try reader.readMessage(tag, into: &modifiedAt)
        case 10: trusted = try reader.readBool(tag)
        case 15: userID = try reader.readString(tag, reusing: .userID)
        case 16: modelVersionID = try reader.readString(tag, reusing: .modelVersionID)
        case 17: inputLevel = try reader.readBool(tag)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 13: try reader.readMessage(tag, into: &rare.annotationInfo)
        case 14: rare.embedModelVersionID = try reader.readString(tag, reusing: .embedModelVersionID)
        case 18: try reader.readMessage(tag, into: &rare.consensusInfo)
        case 19: rare.taskID = try reader.readString(tag)
        case 21: try reader.readMessage(tag, into: &rare.worker)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        // Highest field number first (see `WireWriter`), so the rare fields come in two runs.
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeMessage(21, rare.worker)
            writer.writeString(19, rare.taskID)
            writer.writeMessage(18, rare.consensusInfo)
        }
        writer.writeBool(17, inputLevel)
        writer.writeString(16, modelVersionID)
        writer.writeString(15, userID)
        _rare.withValue { rare in
            writer.writeString(14, rare.embedModelVersionID)
            writer.writeMessage(13, rare.annotationInfo)
        }
        writer.writeBool(10, trusted)
        writer.writeMessage(9, modifiedAt)
        writer.writeMessage(8, createdAt)
        writer.writeMessage(7, status)
        writer.writeMessage(3, data)
        writer.writeString(2, inputID)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("input_id", inputID)
        writer.message("data", data)
        writer.message("annotation_info", annotationInfo)
        writer.string("user_id", userID)
        writer.string("model_version_id", modelVersionID)
        writer.string("embed_model_version_id", embedModelVersionID)
        writer.message("status", status)
        writer.message("created_at", createdAt)
        writer.message("modified_at", modifiedAt)
        writer.bool("trusted", trusted)
        writer.bool("input_level", inputLevel)
        writer.message("consensus_info", consensusInfo)
        writer.string("task_id", taskID)
        writer.message("worker", worker)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: inputID = try value.protoString()
        case 3: try value.protoMessage(into: &data)
        case 7: try value.protoMessage(into: &status)
        case 8: try value.protoMessage(into: &createdAt)
        case 9: try value.protoMessage(into: &modifiedAt)
        case 10: trusted = try value.protoBool()
        case 13: try value.protoMessage(into: &annotationInfo)
        case 14: embedModelVersionID = try value.protoString()
        case 15: userID = try value.protoString()
        case 16: modelVersionID = try value.protoString()
        case 17: inputLevel = try value.protoBool()
        case 18: try value.protoMessage(into: &consensusInfo)
        case 19: taskID = try value.protoString()
        case 21: try value.protoMessage(into: &worker)
        default: throw JSONError(.notModelled)
        }
    }
}

/// `clarifai.api.UserAppIDSet`: which user's app a request acts on.
public struct UserAppIDSet: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.UserAppIDSet"
    public static let fieldNames = FieldNames([1: "user_id", 2: "app_id"])

    /// The user who owns the app; `me` stands for the user the credentials belong to.
    public var userID = ""  // string user_id = 1;
    /// The app within that user's account.
    public var appID = ""  // string app_id = 2;
    /// Fields of `clarifai.api.UserAppIDSet` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// The app `appID` of user `userID`.
    public init(userID: String, appID: String) {
        self.userID = userID
        self.appID = appID
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: userID = try reader.readString(tag)
        case 2: appID = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(2, appID)
        writer.writeString(1, userID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("user_id", userID)
        writer.string("app_id", appID)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: userID = try value.protoString()
        default: appID = try value.protoString()
        }
    }
}
