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

    /// Identifies the concept within its app (`tree`, or an id the app's owner chose).
    public var id = ""  // string id = 1;
    /// The concept's name in `language`; often the same as the id.
    public var name = ""  // string name = 2;
    /// In annotations and requests, 1 for present and 0 for absent; in predictions, the confidence in [0, 1].
    public var value: Float = 0  // float value = 3;
    /// The app the concept belongs to, usually left empty.
    public var appID = ""  // string app_id = 6;
    // The fields an annotation's concepts do not carry live in one box (`Rare`), allocated
    // when the first of them is set: inline, they made every concept 200 bytes with a dozen
    // references to initialise and release (see `ClarifaiData`). The public properties are
    // unchanged.
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.Concept` that concepts in annotations leave unset.
    private struct Rare: Sendable, Equatable {
        var createdAt: Timestamp?  // google.protobuf.Timestamp created_at = 4;
        var language = ""  // string language = 5;
        var definition = ""  // string definition = 7;
        var vocabID = ""  // string vocab_id = 8;
        var visibility: RawMessage?  // Visibility visibility = 9;
        var userID = ""  // string user_id = 10;
        var keypointInfo: RawMessage?  // KeypointInfo keypoint_info = 11;
        var extraInfo: RawMessage?  // ConceptExtraInfo extra_info = 12;
        var metadata: ProtoStruct?  // google.protobuf.Struct metadata = 13;
        var image: Image?  // Image image = 22;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to them.
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// When the concept was created (set by the server).
    public var createdAt: Timestamp? {
        get { rare?.createdAt }
        set { withRare { $0.createdAt = newValue } }
    }
    /// The language of `name`, e.g. `en`.
    public var language: String {
        get { rare?.language ?? "" }
        set { withRare { $0.language = newValue } }
    }
    /// A longer definition of the concept, rarely set.
    public var definition: String {
        get { rare?.definition ?? "" }
        set { withRare { $0.definition = newValue } }
    }
    /// The vocabulary the concept belongs to, which separates groups of concepts of one model
    /// (e.g. `age_appearance` and `gender_appearance`).
    public var vocabID: String {
        get { rare?.vocabID ?? "" }
        set { withRare { $0.vocabID = newValue } }
    }
    /// `Visibility`, not modelled (binary only).
    public var visibility: RawMessage? {
        get { rare?.visibility }
        set { withRare { $0.visibility = newValue } }
    }
    /// The user the concept belongs to.
    public var userID: String {
        get { rare?.userID ?? "" }
        set { withRare { $0.userID = newValue } }
    }
    /// `KeypointInfo`, not modelled (binary only).
    public var keypointInfo: RawMessage? {
        get { rare?.keypointInfo }
        set { withRare { $0.keypointInfo = newValue } }
    }
    /// `ConceptExtraInfo`, not modelled (binary only).
    public var extraInfo: RawMessage? {
        get { rare?.extraInfo }
        set { withRare { $0.extraInfo = newValue } }
    }
    /// Free-form metadata attached to the concept.
    public var metadata: ProtoStruct? {
        get { rare?.metadata }
        set { withRare { $0.metadata = newValue } }
    }
    /// An image that represents the concept.
    public var image: Image? {
        get { rare?.image }
        set { withRare { $0.image = newValue } }
    }
    /// Fields of `clarifai.api.Concept` not modelled here: their wire bytes, written back unchanged.
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
    public static func == (lhs: Concept, rhs: Concept) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.value == rhs.value
            && lhs.appID == rhs.appID
            && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    /// A concept by id, present (`value` 1) unless told otherwise.
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
        case 6: appID = try reader.readString(tag)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 4: try reader.readMessage(tag, into: &rare.createdAt)
        case 5: rare.language = try reader.readString(tag)
        case 7: rare.definition = try reader.readString(tag)
        case 8: rare.vocabID = try reader.readString(tag)
        case 9: rare.visibility = try reader.readRawMessage(tag)
        case 10: rare.userID = try reader.readString(tag)
        case 11: rare.keypointInfo = try reader.readRawMessage(tag)
        case 12: rare.extraInfo = try reader.readRawMessage(tag)
        case 13: try reader.readMessage(tag, into: &rare.metadata)
        case 22: try reader.readMessage(tag, into: &rare.image)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    public func encode(to writer: inout WireWriter) {
        // Highest field number first (see `WireWriter`), so the rare fields come in two runs.
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeMessage(22, rare.image)
            writer.writeMessage(13, rare.metadata)
            writer.writeRawMessage(12, rare.extraInfo)
            writer.writeRawMessage(11, rare.keypointInfo)
            writer.writeString(10, rare.userID)
            writer.writeRawMessage(9, rare.visibility)
            writer.writeString(8, rare.vocabID)
            writer.writeString(7, rare.definition)
        }
        writer.writeString(6, appID)
        _rare.withValue { rare in
            writer.writeString(5, rare.language)
            writer.writeMessage(4, rare.createdAt)
        }
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
            !members.contains(where: { $0.key == "value" && $0.value != .null })
        {
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
