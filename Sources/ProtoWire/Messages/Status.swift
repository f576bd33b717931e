/// `clarifai.api.status.Status`: the outcome of a call or of one item in it.
public struct Status: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.status.Status"
    public static let fieldNames = FieldNames([
        1: "code", 2: "description", 3: "details", 4: "stack_trace", 5: "percent_completed",
        6: "time_remaining", 7: "req_id", 8: "internal_details", 9: "redirect_info",
        10: "developer_notes", 11: "http_status_code",
    ])

    public var code = StatusCode(rawValue: 0)  // StatusCode code = 1;
    public var description = ""  // string description = 2;
    public var details = ""  // string details = 3;
    /// Private to Clarifai; empty in public responses.
    public var stackTrace: [String] = []  // repeated string stack_trace = 4;
    public var percentCompleted: UInt32 = 0  // uint32 percent_completed = 5;
    public var timeRemaining: UInt32 = 0  // uint32 time_remaining = 6;
    public var reqID = ""  // string req_id = 7;
    /// Private to Clarifai; empty in public responses.
    public var internalDetails = ""  // string internal_details = 8;
    /// `RedirectInfo`, not modelled (binary only).
    public var redirectInfo: RawMessage?  // RedirectInfo redirect_info = 9;
    public var developerNotes = ""  // string developer_notes = 10;
    public var httpStatusCode: UInt32 = 0  // uint32 http_status_code = 11;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(code: StatusCode, description: String = "") {
        self.code = code
        self.description = description
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: code = StatusCode(rawValue: try reader.readInt32(tag))
        case 2: description = try reader.readString(tag)
        case 3: details = try reader.readString(tag)
        case 4: stackTrace.append(try reader.readString(tag))
        case 5: percentCompleted = try reader.readUInt32(tag)
        case 6: timeRemaining = try reader.readUInt32(tag)
        case 7: reqID = try reader.readString(tag)
        case 8: internalDetails = try reader.readString(tag)
        case 9: redirectInfo = try reader.readRawMessage(tag)
        case 10: developerNotes = try reader.readString(tag)
        case 11: httpStatusCode = try reader.readUInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeUInt32(11, httpStatusCode)
        writer.writeString(10, developerNotes)
        writer.writeRawMessage(9, redirectInfo)
        writer.writeString(8, internalDetails)
        writer.writeString(7, reqID)
        writer.writeUInt32(6, timeRemaining)
        writer.writeUInt32(5, percentCompleted)
        writer.writeStrings(4, stackTrace)
        writer.writeString(3, details)
        writer.writeString(2, description)
        writer.writeInt32(1, code.rawValue)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.int32("code", code.rawValue)
        writer.string("description", description)
        writer.string("details", details)
        writer.strings("stack_trace", stackTrace)
        writer.uint32("percent_completed", percentCompleted)
        writer.uint32("time_remaining", timeRemaining)
        writer.string("req_id", reqID)
        writer.string("internal_details", internalDetails)
        writer.string("developer_notes", developerNotes)
        writer.uint32("http_status_code", httpStatusCode)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: code = StatusCode(rawValue: try value.protoEnum { StatusCode(name: $0)?.rawValue })
        case 2: description = try value.protoString()
        case 3: details = try value.protoString()
        case 4: stackTrace = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        case 5: percentCompleted = try value.protoUInt32()
        case 6: timeRemaining = try value.protoUInt32()
        case 7: reqID = try value.protoString()
        case 8: internalDetails = try value.protoString()
        case 10: developerNotes = try value.protoString()
        case 11: httpStatusCode = try value.protoUInt32()
        default: throw JSONError(.notModelled)
        }
    }
}

/// `clarifai.api.status.BaseResponse`: the answer of calls that return only a status (deletes).
public struct BaseResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.status.BaseResponse"
    public static let fieldNames = FieldNames([1: "status"])

    public var status: Status?  // Status status = 1;
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        default: throw JSONError(.notModelled)
        }
    }
}
