/// `clarifai.api.FrameInfo`: where a video frame sits.
public struct FrameInfo: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.FrameInfo"
    public static let fieldNames = FieldNames([1: "index", 2: "time", 3: "number"])

    /// Deprecated in the official definitions (use `number`); kept for compatibility.
    public var index: UInt32 = 0  // uint32 index = 1 [deprecated = true]; (cl_show_if_empty)
    /// Milliseconds from the start of the video.
    public var time: UInt64 = 0  // uint64 time = 2; (cl_show_if_empty)
    /// The frame's number in the video (which frames exist depends on the sampling rate of the processing).
    public var number: UInt32 = 0  // uint32 number = 3; (cl_show_if_empty)
    /// Fields of `clarifai.api.FrameInfo` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: index = try reader.readUInt32(tag)
        case 2: time = try reader.readUInt64(tag)
        case 3: number = try reader.readUInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeUInt32(3, number)
        writer.writeUInt64(2, time)
        writer.writeUInt32(1, index)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.uint32("index", index, always: true)
        writer.uint64("time", time, always: true)
        writer.uint32("number", number, always: true)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: index = try value.protoUInt32()
        case 2: time = try value.protoUInt64()
        default: self.number = try value.protoUInt32()
        }
    }
}

/// `clarifai.api.Frame`: one frame of a video input, with what was found in it.
public struct Frame: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Frame"
    public static let fieldNames = FieldNames([1: "frame_info", 2: "data", 3: "id"])

    /// Where the frame is in the video: its number and time.
    public var frameInfo: FrameInfo?  // FrameInfo frame_info = 1;
    /// What was found in the frame: concepts, regions, ….
    @Indirect public var data: ClarifaiData?  // Data data = 2;
    /// Identifies the frame within its input.
    public var id = ""  // string id = 3;
    /// Fields of `clarifai.api.Frame` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &frameInfo)
        case 2: try reader.readMessage(tag, into: &_data)
        case 3: id = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(3, id)
        writer.writeMessage(2, _data)
        writer.writeMessage(1, frameInfo)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("frame_info", frameInfo)
        writer.message("data", data)
        writer.string("id", id)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &frameInfo)
        case 2: try value.protoMessage(into: &data)
        default: id = try value.protoString()
        }
    }
}

/// `clarifai.api.TimeInfo`: a span of a video or audio input.
public struct TimeInfo: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.TimeInfo"
    public static let fieldNames = FieldNames([1: "num_frames", 4: "begin_time", 5: "end_time"])

    /// How many frames the span covers.
    public var numFrames: UInt32 = 0  // uint32 num_frames = 1;
    /// Where the span begins, from the start of the input.
    public var beginTime: Float = 0  // float begin_time = 4;
    /// Where the span ends, from the start of the input.
    public var endTime: Float = 0  // float end_time = 5;
    /// Fields of `clarifai.api.TimeInfo` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: numFrames = try reader.readUInt32(tag)
        case 4: beginTime = try reader.readFloat(tag)
        case 5: endTime = try reader.readFloat(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeFloat(5, endTime)
        writer.writeFloat(4, beginTime)
        writer.writeUInt32(1, numFrames)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.uint32("num_frames", numFrames)
        writer.float("begin_time", beginTime)
        writer.float("end_time", endTime)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: numFrames = try value.protoUInt32()
        case 4: beginTime = try value.protoFloat()
        default: endTime = try value.protoFloat()
        }
    }
}

/// `clarifai.api.Track`: an object followed across the frames of a video.
public struct Track: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Track"
    public static let fieldNames = FieldNames([1: "id", 2: "data", 4: "time_info", 5: "quality"])

    /// Identifies the track, shared by the regions that belong to it (`Region.trackID`).
    public var id = ""  // string id = 1;
    /// What the track is about: its concepts and, per frame, its regions.
    @Indirect public var data: ClarifaiData?  // Data data = 2;
    /// When the track begins and ends.
    public var timeInfo: TimeInfo?  // TimeInfo time_info = 4;
    /// How well the object was tracked, in [0, 1].
    public var quality: Float = 0  // float quality = 5;
    /// Fields of `clarifai.api.Track` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: try reader.readMessage(tag, into: &_data)
        case 4: try reader.readMessage(tag, into: &timeInfo)
        case 5: quality = try reader.readFloat(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeFloat(5, quality)
        writer.writeMessage(4, timeInfo)
        writer.writeMessage(2, _data)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.message("data", data)
        writer.message("time_info", timeInfo)
        writer.float("quality", quality)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: try value.protoMessage(into: &data)
        case 4: try value.protoMessage(into: &timeInfo)
        default: quality = try value.protoFloat()
        }
    }
}
