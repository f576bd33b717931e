/// `clarifai.api.Concept`: a label (`id`, `name`) with a confidence or presence `value`.
///
/// In annotations, `value` 1 means the concept is present and 0 that it is absent. In JSON,
/// `value` is always written (Clarifai's `cl_show_if_empty`) and a concept read without
/// `value` means 1 (`cl_default_float`), so `"water": 0` survives a round trip.
public struct Concept: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Concept"
    public static let fieldNames = FieldNames([
        1: "id", 2: "name", 3: "value", 4: "created_at", 5: "language", 6: "app_id", 7: "definition",
        8: "vocab_id", 9: "visibility", 10: "user_id", 11: "keypoint_info", 12: "extra_info", 13: "metadata",
        22: "image",
    ])

    public var id = ""  // string id = 1;
    public var name = ""  // string name = 2;
    public var value: Float = 0  // float value = 3;
    public var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 4;
    public var language = ""  // string language = 5;
    public var appID = ""  // string app_id = 6;
    public var definition = ""  // string definition = 7;
    public var vocabID = ""  // string vocab_id = 8;
    /// `Visibility`, not modelled (binary only).
    public var visibility: RawMessage?  // Visibility visibility = 9;
    public var userID = ""  // string user_id = 10;
    /// `KeypointInfo`, not modelled (binary only).
    public var keypointInfo: RawMessage?  // KeypointInfo keypoint_info = 11;
    /// `ConceptExtraInfo`, not modelled (binary only).
    public var extraInfo: RawMessage?  // ConceptExtraInfo extra_info = 12;
    public var metadata: ProtoStruct?  // google.protobuf.Struct metadata = 13;
    @Indirect public var image: Image?  // Image image = 22;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(id: String, name: String = "", value: Float = 1) {
        self.id = id
        self.name = name
        self.value = value
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: name = try reader.readString(tag)
        case 3: value = try reader.readFloat(tag)
        case 4: try reader.readMessage(tag, into: &createdAt)
        case 5: language = try reader.readString(tag)
        case 6: appID = try reader.readString(tag)
        case 7: definition = try reader.readString(tag)
        case 8: vocabID = try reader.readString(tag)
        case 9: visibility = try reader.readRawMessage(tag)
        case 10: userID = try reader.readString(tag)
        case 11: keypointInfo = try reader.readRawMessage(tag)
        case 12: extraInfo = try reader.readRawMessage(tag)
        case 13: try reader.readMessage(tag, into: &metadata)
        case 22: try reader.readMessage(tag, into: &image)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(22, image)
        writer.writeMessage(13, metadata)
        writer.writeRawMessage(12, extraInfo)
        writer.writeRawMessage(11, keypointInfo)
        writer.writeString(10, userID)
        writer.writeRawMessage(9, visibility)
        writer.writeString(8, vocabID)
        writer.writeString(7, definition)
        writer.writeString(6, appID)
        writer.writeString(5, language)
        writer.writeMessage(4, createdAt)
        writer.writeFloat(3, value)
        writer.writeString(2, name)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("name", name)
        writer.float("value", value, always: true)
        writer.message("created_at", createdAt)
        writer.string("language", language)
        writer.string("app_id", appID)
        writer.string("definition", definition)
        writer.string("vocab_id", vocabID)
        writer.string("user_id", userID)
        writer.message("metadata", metadata)
        writer.message("image", image)
        writer.endObject()
    }

    public mutating func mergeJSON(_ json: JSONValue) throws(JSONError) {
        if case .object(let members) = json,
           !members.contains(where: { $0.key == "value" && $0.value != .null }) {
            value = 1  // cl_default_float: 1
        }
        try mergeJSONObject(json)
    }

    public mutating func decodeJSONField(_ number: Int, _ json: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try json.protoString()
        case 2: name = try json.protoString()
        case 3: value = try json.protoFloat()
        case 4: try json.protoMessage(into: &createdAt)
        case 5: language = try json.protoString()
        case 6: appID = try json.protoString()
        case 7: definition = try json.protoString()
        case 8: vocabID = try json.protoString()
        case 10: userID = try json.protoString()
        case 13: try json.protoMessage(into: &metadata)
        case 22: try json.protoMessage(into: &image)
        default: throw JSONError(.notModelled)
        }
    }
}
