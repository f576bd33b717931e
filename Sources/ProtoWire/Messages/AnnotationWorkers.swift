/// `clarifai.api.ListAnnotationWorkersRequest`: one page of the users, models and workflows
/// (the "workers") that have annotated an app (the `ListAnnotationWorkers` call; the answer
/// is a ``MultiWorkerResponse``).
///
/// ```swift
/// var request = ListAnnotationWorkersRequest()
/// request.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
/// request.perPage = 50
/// request.trustedOnly = true
/// ```
public struct ListAnnotationWorkersRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.ListAnnotationWorkersRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "page", 3: "per_page", 4: "additional_fields", 5: "trusted_only",
    ])

    /// The app whose workers are listed; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// 1-based; 0 means the first page.
    public var page: UInt32 = 0  // uint32 page = 2;
    /// 0 means the server's default, 128.
    public var perPage: UInt32 = 0  // uint32 per_page = 3;
    /// Extra fields in the answer: `all`, `stars`, `counts`.
    public var additionalFields: [String] = []  // repeated string additional_fields = 4;
    /// Only the workers whose annotations are trusted.
    public var trustedOnly = false  // bool trusted_only = 5;
    /// Fields of `clarifai.api.ListAnnotationWorkersRequest` not modelled here:
    /// their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: page = try reader.readUInt32(tag)
        case 3: perPage = try reader.readUInt32(tag)
        case 4: additionalFields.append(try reader.readString(tag))
        case 5: trustedOnly = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeBool(5, trustedOnly)
        writer.writeStrings(4, additionalFields)
        writer.writeUInt32(3, perPage)
        writer.writeUInt32(2, page)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.uint32("page", page)
        writer.uint32("per_page", perPage)
        writer.strings("additional_fields", additionalFields)
        writer.bool("trusted_only", trustedOnly)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: page = try value.protoUInt32()
        case 3: perPage = try value.protoUInt32()
        case 4: additionalFields = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        default: trustedOnly = try value.protoBool()
        }
    }
}

/// `clarifai.api.MultiWorkerResponse`: the answer of `ListAnnotationWorkers`.
public struct MultiWorkerResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.MultiWorkerResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "workers"])

    /// The call's outcome: `SUCCESS` or the error.
    public var status: Status?  // status.Status status = 1;
    /// Always present in JSON, even when empty (Clarifai's `cl_show_if_empty`).
    public var workers: [Worker] = []  // repeated Worker workers = 2; (cl_show_if_empty)
    /// Fields of `clarifai.api.MultiWorkerResponse` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: try reader.readMessage(tag, appendingTo: &workers)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(2, workers)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.messages("workers", workers, always: true)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        default: workers = try value.protoMessages(Worker.self)
        }
    }
}
