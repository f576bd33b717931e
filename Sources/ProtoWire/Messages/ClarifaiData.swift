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

    public var image: Image?  // Image image = 1;
    public var video: Video?  // Video video = 2;
    public var concepts: [Concept] = []  // repeated Concept concepts = 3;
    public var metadata: ProtoStruct?  // google.protobuf.Struct metadata = 5;
    /// `Geo`, not modelled (binary only).
    public var geo: RawMessage?  // Geo geo = 6;
    /// `Color`s, not modelled (binary only).
    public var colors: [RawMessage] = []  // repeated Color colors = 7;
    /// `Cluster`s, not modelled (binary only).
    public var clusters: [RawMessage] = []  // repeated Cluster clusters = 8;
    public var embeddings: [Embedding] = []  // repeated Embedding embeddings = 9;
    public var regions: [Region] = []  // repeated Region regions = 11;
    public var frames: [Frame] = []  // repeated Frame frames = 12;
    public var text: Text?  // Text text = 13;
    public var audio: Audio?  // Audio audio = 14;
    public var tracks: [Track] = []  // repeated Track tracks = 15;
    /// `TimeSegment`s, not modelled (binary only).
    public var timeSegments: [RawMessage] = []  // repeated TimeSegment time_segments = 16;
    /// `Hit`s, not modelled (binary only).
    public var hits: [RawMessage] = []  // repeated Hit hits = 17;
    public var heatmaps: [Image] = []  // repeated Image heatmaps = 18;
    /// `Part`s, not modelled (binary only).
    public var parts: [RawMessage] = []  // repeated Part parts = 19;
    /// `NDArray`, not modelled (binary only).
    public var ndarray: RawMessage?  // NDArray ndarray = 20;
    public var intValue: Int64 = 0  // int64 int_value = 21;
    public var floatValue: Double = 0  // double float_value = 22;
    public var bytesValue: [UInt8] = []  // bytes bytes_value = 23;
    public var boolValue = false  // bool bool_value = 24;
    public var stringValue = ""  // string string_value = 25;
    public var structValue: ProtoStruct?  // google.protobuf.Struct struct_value = 26;
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &image)
        case 2: try reader.readMessage(tag, into: &video)
        case 3: try reader.readMessage(tag, appendingTo: &concepts)
        case 5: try reader.readMessage(tag, into: &metadata)
        case 6: geo = try reader.readRawMessage(tag)
        case 7: colors.append(try reader.readRawMessage(tag))
        case 8: clusters.append(try reader.readRawMessage(tag))
        case 9: try reader.readMessage(tag, appendingTo: &embeddings)
        case 11: try reader.readMessage(tag, appendingTo: &regions)
        case 12: try reader.readMessage(tag, appendingTo: &frames)
        case 13: try reader.readMessage(tag, into: &text)
        case 14: try reader.readMessage(tag, into: &audio)
        case 15: try reader.readMessage(tag, appendingTo: &tracks)
        case 16: timeSegments.append(try reader.readRawMessage(tag))
        case 17: hits.append(try reader.readRawMessage(tag))
        case 18: try reader.readMessage(tag, appendingTo: &heatmaps)
        case 19: parts.append(try reader.readRawMessage(tag))
        case 20: ndarray = try reader.readRawMessage(tag)
        case 21: intValue = try reader.readInt64(tag)
        case 22: floatValue = try reader.readDouble(tag)
        case 23: bytesValue = try reader.readBytes(tag)
        case 24: boolValue = try reader.readBool(tag)
        case 25: stringValue = try reader.readString(tag)
        case 26: try reader.readMessage(tag, into: &structValue)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(26, structValue)
        writer.writeString(25, stringValue)
        writer.writeBool(24, boolValue)
        writer.writeBytes(23, bytesValue)
        writer.writeDouble(22, floatValue)
        writer.writeInt64(21, intValue)
        writer.writeRawMessage(20, ndarray)
        writer.writeRawMessages(19, parts)
        writer.writeMessages(18, heatmaps)
        writer.writeRawMessages(17, hits)
        writer.writeRawMessages(16, timeSegments)
        writer.writeMessages(15, tracks)
        writer.writeMessage(14, audio)
        writer.writeMessage(13, text)
        writer.writeMessages(12, frames)
        writer.writeMessages(11, regions)
        writer.writeMessages(9, embeddings)
        writer.writeRawMessages(8, clusters)
        writer.writeRawMessages(7, colors)
        writer.writeRawMessage(6, geo)
        writer.writeMessage(5, metadata)
        writer.writeMessages(3, concepts)
        writer.writeMessage(2, video)
        writer.writeMessage(1, image)
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
