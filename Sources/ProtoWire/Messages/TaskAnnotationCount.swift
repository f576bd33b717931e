/// `clarifai.api.GetTaskCountRequest`: how many annotations of a task each worker has, by
/// status (the `GetTaskAnnotationCount` call; the answer is a ``SingleTaskCountResponse``).
///
/// ```swift
/// var request = GetTaskCountRequest()
/// request.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
/// request.taskID = "{YOUR_TASK_ID}"
/// ```
public struct GetTaskCountRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.GetTaskCountRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "task_id", 3: "user_ids", 4: "model_version_ids", 5: "workflow_version_ids",
    ])

    /// The app the task belongs to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The task whose counts are wanted.
    public var taskID = ""  // string task_id = 2;
    /// Only the counts of these users.
    public var userIDs: [String] = []  // repeated string user_ids = 3;
    /// Only the counts of these model versions.
    public var modelVersionIDs: [String] = []  // repeated string model_version_ids = 4;
    /// Only the counts of these workflow versions.
    public var workflowVersionIDs: [String] = []  // repeated string workflow_version_ids = 5;
    /// Fields of `clarifai.api.GetTaskCountRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: taskID = try reader.readString(tag)
        case 3: userIDs.append(try reader.readString(tag))
        case 4: modelVersionIDs.append(try reader.readString(tag))
        case 5: workflowVersionIDs.append(try reader.readString(tag))
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeStrings(5, workflowVersionIDs)
        writer.writeStrings(4, modelVersionIDs)
        writer.writeStrings(3, userIDs)
        writer.writeString(2, taskID)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.string("task_id", taskID)
        writer.strings("user_ids", userIDs)
        writer.strings("model_version_ids", modelVersionIDs)
        writer.strings("workflow_version_ids", workflowVersionIDs)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        let strings = { (v: JSONValue) throws(JSONError) -> String in try v.protoString() }
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: taskID = try value.protoString()
        case 3: userIDs = try value.protoRepeated(strings)
        case 4: modelVersionIDs = try value.protoRepeated(strings)
        default: workflowVersionIDs = try value.protoRepeated(strings)
        }
    }
}

/// `clarifai.api.SingleTaskCountResponse`: the answer of `GetTaskAnnotationCount`, one
/// ``TaskStatusCountPerUser`` per worker.
public struct SingleTaskCountResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.SingleTaskCountResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "app_id", 3: "task_id", 4: "counts"])

    /// The call's outcome: `SUCCESS` or the error.
    public var status: Status?  // status.Status status = 1;
    /// The app the task belongs to.
    public var appID = ""  // string app_id = 2;
    /// The task counted.
    public var taskID = ""  // string task_id = 3;
    /// One entry per worker of the task.
    public var counts: [TaskStatusCountPerUser] = []  // repeated TaskStatusCountPerUser counts = 4;
    /// Fields of `clarifai.api.SingleTaskCountResponse` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: appID = try reader.readString(tag)
        case 3: taskID = try reader.readString(tag)
        case 4: try reader.readMessage(tag, appendingTo: &counts)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(4, counts)
        writer.writeString(3, taskID)
        writer.writeString(2, appID)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.string("app_id", appID)
        writer.string("task_id", taskID)
        writer.messages("counts", counts)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        case 2: appID = try value.protoString()
        case 3: taskID = try value.protoString()
        default: counts = try value.protoMessages(TaskStatusCountPerUser.self)
        }
    }
}

/// `clarifai.api.TaskStatusCountPerUser`: one worker's annotations (or task assignments) in a
/// task, counted by status. The counts are always present in JSON, even when 0 (Clarifai's
/// `cl_show_if_empty`).
public struct TaskStatusCountPerUser: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.TaskStatusCountPerUser"
    public static let fieldNames = FieldNames([
        1: "user_id", 2: "pending", 3: "awaiting_review", 4: "success", 5: "review_denied",
        6: "awaiting_consensus_review", 7: "worker",
    ])

    /// Deprecated in the official definitions: use `worker`.
    public var userID = ""  // string user_id = 1 [deprecated = true];
    /// Annotations with status `ANNOTATION_PENDING`: made, not yet reviewed.
    public var pending: UInt32 = 0  // uint32 pending = 2; (cl_show_if_empty)
    /// Annotations with status `ANNOTATION_AWAITING_REVIEW`.
    public var awaitingReview: UInt32 = 0  // uint32 awaiting_review = 3; (cl_show_if_empty)
    /// Annotations with status `ANNOTATION_SUCCESS`: accepted.
    public var success: UInt32 = 0  // uint32 success = 4; (cl_show_if_empty)
    /// Annotations with status `ANNOTATION_REVIEW_DENIED`: rejected by a reviewer.
    public var reviewDenied: UInt32 = 0  // uint32 review_denied = 5; (cl_show_if_empty)
    /// Annotations with status `ANNOTATION_AWAITING_CONSENSUS_REVIEW`: waiting for other labelers' work.
    public var awaitingConsensusReview: UInt32 = 0  // uint32 awaiting_consensus_review = 6; (cl_show_if_empty)
    /// Whose counts these are.
    public var worker: Worker?  // Worker worker = 7;
    /// Fields of `clarifai.api.TaskStatusCountPerUser` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: userID = try reader.readString(tag)
        case 2: pending = try reader.readUInt32(tag)
        case 3: awaitingReview = try reader.readUInt32(tag)
        case 4: success = try reader.readUInt32(tag)
        case 5: reviewDenied = try reader.readUInt32(tag)
        case 6: awaitingConsensusReview = try reader.readUInt32(tag)
        case 7: try reader.readMessage(tag, into: &worker)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(7, worker)
        writer.writeUInt32(6, awaitingConsensusReview)
        writer.writeUInt32(5, reviewDenied)
        writer.writeUInt32(4, success)
        writer.writeUInt32(3, awaitingReview)
        writer.writeUInt32(2, pending)
        writer.writeString(1, userID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("user_id", userID)
        writer.uint32("pending", pending, always: true)
        writer.uint32("awaiting_review", awaitingReview, always: true)
        writer.uint32("success", success, always: true)
        writer.uint32("review_denied", reviewDenied, always: true)
        writer.uint32("awaiting_consensus_review", awaitingConsensusReview, always: true)
        writer.message("worker", worker)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: userID = try value.protoString()
        case 2: pending = try value.protoUInt32()
        case 3: awaitingReview = try value.protoUInt32()
        case 4: success = try value.protoUInt32()
        case 5: reviewDenied = try value.protoUInt32()
        case 6: awaitingConsensusReview = try value.protoUInt32()
        default: try value.protoMessage(into: &worker)
        }
    }
}
