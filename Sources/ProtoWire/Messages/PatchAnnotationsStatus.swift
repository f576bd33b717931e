/// `clarifai.api.PatchAnnotationsStatusRequest`: set the status of a task's annotations, for
/// the given workers and current statuses (deprecated by Clarifai in favour of
/// `PutTaskAssignments`, but still served).
///
/// ```swift
/// var request = PatchAnnotationsStatusRequest()
/// request.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
/// request.taskID = "{YOUR_TASK_ID}"
/// request.userIDs = ["labeler-1"]
/// request.statusCodes = [.annotationAwaitingReview]
/// request.statusCode = .annotationSuccess
/// request.action = "overwrite"
/// ```
public struct PatchAnnotationsStatusRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.PatchAnnotationsStatusRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "status_code", 3: "user_ids", 4: "task_id", 5: "action", 6: "status_codes",
    ])

    /// The app the task belongs to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// Only the annotations of these workers.
    public var userIDs: [String] = []  // repeated string user_ids = 3;
    /// Only the annotations of this task.
    public var taskID = ""  // string task_id = 4;
    /// Only the annotations that have one of these statuses.
    public var statusCodes: [StatusCode] = []  // repeated status.StatusCode status_codes = 6; (packed)
    /// `overwrite` is supported.
    public var action = ""  // string action = 5;
    /// The status the selected annotations get.
    public var statusCode = StatusCode(rawValue: 0)  // status.StatusCode status_code = 2;
    /// Fields of `clarifai.api.PatchAnnotationsStatusRequest` not modelled here:
    /// their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: statusCode = StatusCode(rawValue: try reader.readInt32(tag))
        case 3: userIDs.append(try reader.readString(tag))
        case 4: taskID = try reader.readString(tag)
        case 5: action = try reader.readString(tag)
        case 6:
            var values: [Int32] = []
            try reader.readEnums(tag, appendingTo: &values)
            statusCodes.append(contentsOf: values.map(StatusCode.init(rawValue:)))
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writePackedEnums(6, statusCodes.map(\.rawValue))
        writer.writeString(5, action)
        writer.writeString(4, taskID)
        writer.writeStrings(3, userIDs)
        writer.writeInt32(2, statusCode.rawValue)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.strings("user_ids", userIDs)
        writer.string("task_id", taskID)
        if !statusCodes.isEmpty {
            writer.key("status_codes")
            writer.beginArray()
            for code in statusCodes {
                writer.beginElement()
                writer.writeIntegerValue(code.rawValue)
            }
            writer.endArray()
        }
        writer.string("action", action)
        writer.int32("status_code", statusCode.rawValue)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        let code = { (v: JSONValue) throws(JSONError) -> StatusCode in
            StatusCode(rawValue: try v.protoEnum { StatusCode(name: $0)?.rawValue })
        }
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: statusCode = try code(value)
        case 3: userIDs = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        case 4: taskID = try value.protoString()
        case 5: action = try value.protoString()
        default: statusCodes = try value.protoRepeated(code)
        }
    }
}

/// `clarifai.api.PatchAnnotationsStatusResponse`: the answer of `PatchAnnotationsStatus`.
public struct PatchAnnotationsStatusResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.PatchAnnotationsStatusResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "user_ids", 3: "updated_count"])

    /// The call's outcome: `SUCCESS` or the error.
    public var status: Status?  // status.Status status = 1;
    /// The workers whose annotations were selected.
    public var userIDs: [String] = []  // repeated string user_ids = 2;
    /// How many annotations changed.
    public var updatedCount: UInt32 = 0  // uint32 updated_count = 3;
    /// Fields of `clarifai.api.PatchAnnotationsStatusResponse` not modelled here:
    /// their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: userIDs.append(try reader.readString(tag))
        case 3: updatedCount = try reader.readUInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeUInt32(3, updatedCount)
        writer.writeStrings(2, userIDs)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.strings("user_ids", userIDs)
        writer.uint32("updated_count", updatedCount)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        case 2: userIDs = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        default: updatedCount = try value.protoUInt32()
        }
    }
}
