/// `clarifai.api.Data`: what an input or annotation holds — media, concepts, regions, frames,
/// tracks, embeddings, metadata.
///
/// Named `ClarifaiData` so that it never collides with Foundation's `Data` in users' files.
///
/// ```swift
/// var data = ClarifaiData()
/// data.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
/// ```
public struct ClarifaiData: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Data"
    public static let fieldNames = FieldNames([
        1: "image", 2: "video", 3: "concepts", 5: "metadata", 6: "geo", 7: "colors", 8: "clusters",
        9: "embeddings", 11: "regions", 12: "frames", 13: "text", 14: "audio", 15: "tracks",
        16: "time_segments", 17: "hits", 18: "heatmaps", 19: "parts", 20: "ndarray", 21: "int_value",
        22: "float_value", 23: "bytes_value", 24: "bool_value", 25: "string_value", 26: "struct_value",
    ])

    // Data holds 24 fields, most of them unset in any one value (an annotation's Data holds
    // concepts or regions; the value fields are for Data used as a value). Those that rarely
    // appear live in one box (`Rare`), allocated when the first of them is set: inline, every
    // Data was 800 bytes with some 20 references to initialise, copy and release, in every
    // annotation and every region. The public properties are unchanged.
    /// The image itself (as an input), or an image a model produced.
    @Indirect public var image: Image?  // Image image = 1;
    /// The concepts, each with `value` 1 (present) or 0 (absent) in annotations, or a model's confidence.
    public var concepts: [Concept] = []  // repeated Concept concepts = 3;
    /// Free-form metadata a user attaches to an input.
    public var metadata: ProtoStruct?  // google.protobuf.Struct metadata = 5;
    /// Parts of the input (boxes, polygons, masks, points, text spans), each with its own data.
    public var regions: [Region] = []  // repeated Region regions = 11;
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.Data` that most values leave unset.
    private struct Rare: Sendable, Equatable {
        var video: Video?  // Video video = 2;
        var frames: [Frame] = []  // repeated Frame frames = 12;
        var geo: RawMessage?  // Geo geo = 6;
        var colors: [RawMessage] = []  // repeated Color colors = 7;
        var clusters: [RawMessage] = []  // repeated Cluster clusters = 8;
        var embeddings: [Embedding] = []  // repeated Embedding embeddings = 9;
        var text: Text?  // Text text = 13;
        var audio: Audio?  // Audio audio = 14;
        var tracks: [Track] = []  // repeated Track tracks = 15;
        var timeSegments: [RawMessage] = []  // repeated TimeSegment time_segments = 16;
        var hits: [RawMessage] = []  // repeated Hit hits = 17;
        var heatmaps: [Image] = []  // repeated Image heatmaps = 18;
        var parts: [RawMessage] = []  // repeated Part parts = 19;
        var ndarray: RawMessage?  // NDArray ndarray = 20;
        var intValue: Int64 = 0  // int64 int_value = 21;
        var floatValue: Double = 0  // double float_value = 22;
        var bytesValue: [UInt8] = []  // bytes bytes_value = 23;
        var boolValue = false  // bool bool_value = 24;
        var stringValue = ""  // string string_value = 25;
        var structValue: ProtoStruct?  // google.protobuf.Struct struct_value = 26;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to
    /// them (so that appending to one of their arrays does not copy it).
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// The video itself, for a video input.
    public var video: Video? {
        get { rare?.video }
        set { withRare { $0.video = newValue } }
    }
    /// `Geo`, not modelled (binary only).
    public var geo: RawMessage? {
        get { rare?.geo }
        set { withRare { $0.geo = newValue } }
    }
    /// `Color`s, not modelled (binary only).
    public var colors: [RawMessage] {
        get { rare?.colors ?? [] }
        set { withRare { $0.colors = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.colors
        }
    }
    /// `Cluster`s, not modelled (binary only).
    public var clusters: [RawMessage] {
        get { rare?.clusters ?? [] }
        set { withRare { $0.clusters = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.clusters
        }
    }
    /// Embedding vectors of the input, one per model that made one.
    public var embeddings: [Embedding] {
        get { rare?.embeddings ?? [] }
        set { withRare { $0.embeddings = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.embeddings
        }
    }
    /// The text itself, for a text input.
    public var text: Text? {
        get { rare?.text }
        set { withRare { $0.text = newValue } }
    }
    /// The audio itself, for an audio input.
    public var audio: Audio? {
        get { rare?.audio }
        set { withRare { $0.audio = newValue } }
    }
    /// Objects followed across the frames of a video, each with its own data.
    public var tracks: [Track] {
        get { rare?.tracks ?? [] }
        set { withRare { $0.tracks = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.tracks
        }
    }
    /// `TimeSegment`s, not modelled (binary only).
    public var timeSegments: [RawMessage] {
        get { rare?.timeSegments ?? [] }
        set { withRare { $0.timeSegments = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.timeSegments
        }
    }
    /// `Hit`s, not modelled (binary only).
    public var hits: [RawMessage] {
        get { rare?.hits ?? [] }
        set { withRare { $0.hits = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.hits
        }
    }
    /// Heatmaps, as 2D images the size of the input.
    public var heatmaps: [Image] {
        get { rare?.heatmaps ?? [] }
        set { withRare { $0.heatmaps = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.heatmaps
        }
    }
    /// `Part`s, not modelled (binary only).
    public var parts: [RawMessage] {
        get { rare?.parts ?? [] }
        set { withRare { $0.parts = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.parts
        }
    }
    /// `NDArray`, not modelled (binary only).
    public var ndarray: RawMessage? {
        get { rare?.ndarray }
        set { withRare { $0.ndarray = newValue } }
    }
    /// An integer value (Data used as a value, e.g. a model method's argument or result).
    public var intValue: Int64 {
        get { rare?.intValue ?? 0 }
        set { withRare { $0.intValue = newValue } }
    }
    /// A floating-point value (Data used as a value).
    public var floatValue: Double {
        get { rare?.floatValue ?? 0 }
        set { withRare { $0.floatValue = newValue } }
    }
    /// A bytes value (Data used as a value).
    public var bytesValue: [UInt8] {
        get { rare?.bytesValue ?? [] }
        set { withRare { $0.bytesValue = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.bytesValue
        }
    }
    /// A Boolean value (Data used as a value).
    public var boolValue: Bool {
        get { rare?.boolValue ?? false }
        set { withRare { $0.boolValue = newValue } }
    }
    /// A string value (Data used as a value).
    public var stringValue: String {
        get { rare?.stringValue ?? "" }
        set { withRare { $0.stringValue = newValue } }
    }
    /// A structured value (Data used as a value).
    public var structValue: ProtoStruct? {
        get { rare?.structValue }
        set { withRare { $0.structValue = newValue } }
    }
    /// Frames of a video input, each with what was found in it.
    public var frames: [Frame] {
        get { rare?.frames ?? [] }
        set { withRare { $0.frames = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.frames
        }
    }
    /// Fields of `clarifai.api.Data` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] {
        get { rare?.unknownFields ?? [] }
        set { withRare { $0.unknownFields = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.unknownFields
        }
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    /// Equal when every field is, whether or not the unset rare fields have a box.
    public static func == (lhs: ClarifaiData, rhs: ClarifaiData) -> Bool {
        lhs._image == rhs._image && lhs.concepts == rhs.concepts && lhs.metadata == rhs.metadata
            && lhs.regions == rhs.regions
            && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &_image)
        case 3: try reader.readMessage(tag, appendingTo: &concepts)
        case 5: try reader.readMessage(tag, into: &metadata)
        case 11: try reader.readMessage(tag, appendingTo: &regions)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 2: try reader.readMessage(tag, into: &rare.video)
        case 6: rare.geo = try reader.readRawMessage(tag)
        case 7: rare.colors.append(try reader.readRawMessage(tag))
        case 8: rare.clusters.append(try reader.readRawMessage(tag))
        case 9: try reader.readMessage(tag, appendingTo: &rare.embeddings)
        case 12: try reader.readMessage(tag, appendingTo: &rare.frames)
        case 13: try reader.readMessage(tag, into: &rare.text)
        case 14: try reader.readMessage(tag, into: &rare.audio)
        case 15: try reader.readMessage(tag, appendingTo: &rare.tracks)
        case 16: rare.timeSegments.append(try reader.readRawMessage(tag))
        case 17: rare.hits.append(try reader.readRawMessage(tag))
        case 18: try reader.readMessage(tag, appendingTo: &rare.heatmaps)
        case 19: rare.parts.append(try reader.readRawMessage(tag))
        case 20: rare.ndarray = try reader.readRawMessage(tag)
        case 21: rare.intValue = try reader.readInt64(tag)
        case 22: rare.floatValue = try reader.readDouble(tag)
        case 23: rare.bytesValue = try reader.readBytes(tag)
        case 24: rare.boolValue = try reader.readBool(tag)
        case 25: rare.stringValue = try reader.readString(tag)
        case 26: try reader.readMessage(tag, into: &rare.structValue)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    // Declared to release nothing, which is true but which the optimizer cannot work out
    // itself through the Data-Region-Data recursion; knowing it, it lends each annotation,
    // region and concept to `encode(to:)` instead of copying it (see `WireWriter.grow`).
    @inline(never) @_effects(releasenone)
    public func encode(to writer: inout WireWriter) {
        // Highest field number first (see `WireWriter`), so the rare fields come in three runs.
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeMessage(26, rare.structValue)
            writer.writeString(25, rare.stringValue)
            writer.writeBool(24, rare.boolValue)
            writer.writeBytes(23, rare.bytesValue)
            writer.writeDouble(22, rare.floatValue)
            writer.writeInt64(21, rare.intValue)
            writer.writeRawMessage(20, rare.ndarray)
            writer.writeRawMessages(19, rare.parts)
            writer.writeMessages(18, rare.heatmaps)
            writer.writeRawMessages(17, rare.hits)
            writer.writeRawMessages(16, rare.timeSegments)
            writer.writeMessages(15, rare.tracks)
            writer.writeMessage(14, rare.audio)
            writer.writeMessage(13, rare.text)
            writer.writeMessages(12, rare.frames)
        }
        writer.writeMessages(11, regions)
        _rare.withValue { rare in
            writer.writeMessages(9, rare.embeddings)
            writer.writeRawMessages(8, rare.clusters)
            writer.writeRawMessages(7, rare.colors)
            writer.writeRawMessage(6, rare.geo)
        }
        writer.writeMessage(5, metadata)
        writer.writeMessages(3, concepts)
        _rare.withValue { rare in writer.writeMessage(2, rare.video) }
        writer.writeMessage(1, _image)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("image", image)
        writer.message("video", video)
        writer.messages("concepts", concepts)
        writer.message("metadata", metadata)
        writer.messages("embeddings", embeddings)
        writer.messages("regions", regions)
        writer.messages("frames", frames)
        writer.message("text", text)
        writer.message("audio", audio)
        writer.messages("tracks", tracks)
        writer.messages("heatmaps", heatmaps)
        writer.int64("int_value", intValue)
        writer.double("float_value", floatValue)
        writer.bytesField("bytes_value", bytesValue)
        writer.bool("bool_value", boolValue)
        writer.string("string_value", stringValue)
        writer.message("struct_value", structValue)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &image)
        case 2: try value.protoMessage(into: &video)
        case 3: concepts = try value.protoMessages(Concept.self)
        case 5: try value.protoMessage(into: &metadata)
        case 9: embeddings = try value.protoMessages(Embedding.self)
        case 11: regions = try value.protoMessages(Region.self)
        case 12: frames = try value.protoMessages(Frame.self)
        case 13: try value.protoMessage(into: &text)
        case 14: try value.protoMessage(into: &audio)
        case 15: tracks = try value.protoMessages(Track.self)
        case 18: heatmaps = try value.protoMessages(Image.self)
        case 21: intValue = try value.protoInt64()
        case 22: floatValue = try value.protoDouble()
        case 23: bytesValue = try value.protoBytes()
        case 24: boolValue = try value.protoBool()
        case 25: stringValue = try value.protoString()
        case 26: try value.protoMessage(into: &structValue)
        default: throw JSONError(.notModelled)
        }
    }
}
