/// `clarifai.api.StreamAnnotationsRequest`: the annotations of one input, streamed one by one
/// (the server-streaming `StreamAnnotations` call; answers are ``SingleStreamAnnotationResponse``s).
///
/// Frames are selected from `frameNumberStart` (or from `frameTimeStart`, in milliseconds) on,
/// at most `maxFrames` frames or `maxDuration` milliseconds of them.
///
/// ```swift
/// var request = StreamAnnotationsRequest()
/// request.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
/// request.inputID = "{YOUR_INPUT_ID}"
/// request.frameNumberStart = 5
/// request.maxFrames = 3  // frames 5, 6 and 7
/// request.annotationType = .boundingBox
/// ```
public struct StreamAnnotationsRequest: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.StreamAnnotationsRequest"
    public static let fieldNames = FieldNames([
        1: "user_app_id", 2: "input_id", 3: "track_ids", 4: "frame_number_start", 5: "frame_time_start",
        6: "annotation_type", 7: "max_frames", 8: "max_duration", 9: "worker", 10: "min_prediction_score",
    ])

    /// The app the input belongs to; unset, the app an app-specific API key belongs to.
    public var userAppID: UserAppIDSet?  // UserAppIDSet user_app_id = 1;
    /// The input whose annotations are streamed.
    public var inputID = ""  // string input_id = 2;
    /// Only the annotations of these tracks (`Region.trackID`).
    public var trackIDs: [String] = []  // repeated string track_ids = 3;
    /// The first frame number, inclusive.
    public var frameNumberStart: UInt32 = 0  // uint32 frame_number_start = 4;
    /// The first time in milliseconds, inclusive.
    public var frameTimeStart: UInt64 = 0  // uint64 frame_time_start = 5;
    /// Only annotations of this kind.
    public var annotationType = AnnotationDataType.notSet  // AnnotationDataType annotation_type = 6;
    /// Frames `frameNumberStart ... frameNumberStart + maxFrames - 1`; 0 means the server's
    /// default and maximum, 216 000 (60 minutes at 60 frames per second).
    public var maxFrames: UInt32 = 0  // uint32 max_frames = 7;
    /// Milliseconds `frameTimeStart ... frameTimeStart + maxDuration - 1`; 0 means the
    /// server's default and maximum, 3 600 000 (60 minutes).
    public var maxDuration: UInt64 = 0  // uint64 max_duration = 8;
    /// Only annotations by this worker.
    public var worker: Worker?  // Worker worker = 9;
    /// When above 0, only annotations with a concept whose `metadata.prediction_score` is at
    /// least this (0 to 1).
    public var minPredictionScore: Float = 0  // float min_prediction_score = 10;
    /// Fields of `clarifai.api.StreamAnnotationsRequest` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &userAppID)
        case 2: inputID = try reader.readString(tag)
        case 3: trackIDs.append(try reader.readString(tag))
        case 4: frameNumberStart = try reader.readUInt32(tag)
        case 5: frameTimeStart = try reader.readUInt64(tag)
        case 6: annotationType = AnnotationDataType(rawValue: try reader.readInt32(tag))
        case 7: maxFrames = try reader.readUInt32(tag)
        case 8: maxDuration = try reader.readUInt64(tag)
        case 9: try reader.readMessage(tag, into: &worker)
        case 10: minPredictionScore = try reader.readFloat(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeFloat(10, minPredictionScore)
        writer.writeMessage(9, worker)
        writer.writeUInt64(8, maxDuration)
        writer.writeUInt32(7, maxFrames)
        writer.writeInt32(6, annotationType.rawValue)
        writer.writeUInt64(5, frameTimeStart)
        writer.writeUInt32(4, frameNumberStart)
        writer.writeStrings(3, trackIDs)
        writer.writeString(2, inputID)
        writer.writeMessage(1, userAppID)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("user_app_id", userAppID)
        writer.string("input_id", inputID)
        writer.strings("track_ids", trackIDs)
        writer.uint32("frame_number_start", frameNumberStart)
        writer.uint64("frame_time_start", frameTimeStart)
        writer.int32("annotation_type", annotationType.rawValue)
        writer.uint32("max_frames", maxFrames)
        writer.uint64("max_duration", maxDuration)
        writer.message("worker", worker)
        writer.float("min_prediction_score", minPredictionScore)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &userAppID)
        case 2: inputID = try value.protoString()
        case 3: trackIDs = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        case 4: frameNumberStart = try value.protoUInt32()
        case 5: frameTimeStart = try value.protoUInt64()
        case 6: annotationType = AnnotationDataType(rawValue: try value.protoEnum(AnnotationDataType.value(named:)))
        case 7: maxFrames = try value.protoUInt32()
        case 8: maxDuration = try value.protoUInt64()
        case 9: try value.protoMessage(into: &worker)
        default: minPredictionScore = try value.protoFloat()
        }
    }
}

/// `clarifai.api.SingleStreamAnnotationResponse`: one message of the `StreamAnnotations`
/// stream, a ``SingleAnnotationResponse`` that also tells whether its frame is complete.
public struct SingleStreamAnnotationResponse: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.SingleStreamAnnotationResponse"
    public static let fieldNames = FieldNames([1: "status", 2: "annotation", 3: "frame_fully_processed"])

    /// The outcome for this annotation: `SUCCESS` or the error.
    public var status: Status?  // status.Status status = 1;
    /// One annotation of the input, or nil when the call failed.
    public var annotation: Annotation?  // Annotation annotation = 2;
    /// Whether every annotation of this frame has been sent: a player can tell whether to wait
    /// for more or go on. Always present in JSON, even when false (Clarifai's `cl_show_if_empty`).
    public var frameFullyProcessed = false  // bool frame_fully_processed = 3; (cl_show_if_empty)
    /// Fields of `clarifai.api.SingleStreamAnnotationResponse` not modelled here:
    /// their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &status)
        case 2: try reader.readMessage(tag, into: &annotation)
        case 3: frameFullyProcessed = try reader.readBool(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeBool(3, frameFullyProcessed)
        writer.writeMessage(2, annotation)
        writer.writeMessage(1, status)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("status", status)
        writer.message("annotation", annotation)
        writer.key("frame_fully_processed")
        writer.writeBoolValue(frameFullyProcessed)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &status)
        case 2: try value.protoMessage(into: &annotation)
        default: frameFullyProcessed = try value.protoBool()
        }
    }
}
