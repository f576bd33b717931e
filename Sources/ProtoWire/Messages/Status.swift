/// `clarifai.api.status.Status`: the outcome of a call or of one item in it.
public struct Status: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.status.Status"
    public static let fieldNames = FieldNames([
        1: "code", 2: "description", 3: "details", 4: "stack_trace", 5: "percent_completed",
        6: "time_remaining", 7: "req_id", 8: "internal_details", 9: "redirect_info",
        10: "developer_notes", 11: "http_status_code",
    ])

    /// What happened: `SUCCESS` (10000), or a Clarifai error code (see ``StatusCode``).
    public var code = StatusCode(rawValue: 0)  // StatusCode code = 1;
    /// A short description of `code`, e.g. `Ok`.
    public var description = ""  // string description = 2;
    /// More about the outcome, fit to show a user; technical details are in `developerNotes`.
    public var details = ""  // string details = 3;
    /// Identifies the request, for Clarifai's support and logs.
    public var reqID = ""  // string req_id = 7;
    // The fields public responses leave unset live in one box (`Rare`), allocated when the
    // first of them is set (see `ClarifaiData`): every annotation carries a status.
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.status.Status` that public responses leave unset.
    private struct Rare: Sendable, Equatable {
        var stackTrace: [String] = []  // repeated string stack_trace = 4;
        var percentCompleted: UInt32 = 0  // uint32 percent_completed = 5;
        var timeRemaining: UInt32 = 0  // uint32 time_remaining = 6;
        var internalDetails = ""  // string internal_details = 8;
        var redirectInfo: RawMessage?  // RedirectInfo redirect_info = 9;
        var developerNotes = ""  // string developer_notes = 10;
        var httpStatusCode: UInt32 = 0  // uint32 http_status_code = 11;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to them.
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    /// Private to Clarifai; empty in public responses.
    public var stackTrace: [String] {
        get { rare?.stackTrace ?? [] }
        set { withRare { $0.stackTrace = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.stackTrace
        }
    }
    /// How much of a long-running job is done, in percent (0…100).
    public var percentCompleted: UInt32 {
        get { rare?.percentCompleted ?? 0 }
        set { withRare { $0.percentCompleted = newValue } }
    }
    /// For a pending job, how many seconds remain.
    public var timeRemaining: UInt32 {
        get { rare?.timeRemaining ?? 0 }
        set { withRare { $0.timeRemaining = newValue } }
    }
    /// Private to Clarifai; empty in public responses.
    public var internalDetails: String {
        get { rare?.internalDetails ?? "" }
        set { withRare { $0.internalDetails = newValue } }
    }
    /// `RedirectInfo`, not modelled (binary only).
    public var redirectInfo: RawMessage? {
        get { rare?.redirectInfo }
        set { withRare { $0.redirectInfo = newValue } }
    }
    /// Technical notes for developers: why the error happened and how to avoid it.
    public var developerNotes: String {
        get { rare?.developerNotes ?? "" }
        set { withRare { $0.developerNotes = newValue } }
    }
    /// The HTTP status code the outcome corresponds to.
    public var httpStatusCode: UInt32 {
        get { rare?.httpStatusCode ?? 0 }
        set { withRare { $0.httpStatusCode = newValue } }
    }
    /// Fields of `clarifai.api.status.Status` not modelled here: their wire bytes, written back unchanged.
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
    public static func == (lhs: Status, rhs: Status) -> Bool {
        lhs.code == rhs.code && lhs.description == rhs.description && lhs.details == rhs.details
            && lhs.reqID == rhs.reqID
            && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    /// A status with this code and description.
    public init(code: StatusCode, description: String = "") {
        self.code = code
        self.description = description
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: code = StatusCode(rawValue: try reader.readInt32(tag))
        case 2: description = try reader.readString(tag, reusing: .statusDescription)
        case 3: details = try reader.readString(tag)
        case 7: reqID = try reader.readString(tag)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 4: rare.stackTrace.append(try reader.readString(tag))
        case 5: rare.percentCompleted = try reader.readUInt32(tag)
        case 6: rare.timeRemaining = try reader.readUInt32(tag)
        case 8: rare.internalDetails = try reader.readString(tag)
        case 9: rare.redirectInfo = try reader.readRawMessage(tag)
        case 10: rare.developerNotes = try reader.readString(tag)
        case 11: rare.httpStatusCode = try reader.readUInt32(tag)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        // Highest field number first (see `WireWriter`), so the rare fields come in two runs.
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeUInt32(11, rare.httpStatusCode)
            writer.writeString(10, rare.developerNotes)
            writer.writeRawMessage(9, rare.redirectInfo)
            writer.writeString(8, rare.internalDetails)
        }
        writer.writeString(7, reqID)
        _rare.withValue { rare in
            writer.writeUInt32(6, rare.timeRemaining)
            writer.writeUInt32(5, rare.percentCompleted)
            writer.writeStrings(4, rare.stackTrace)
        }
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

    /// The call's outcome: `SUCCESS` or the error.
    public var status: Status?  // Status status = 1;
    /// Fields of `clarifai.api.status.BaseResponse` not modelled here: their wire bytes, written back unchanged.
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
