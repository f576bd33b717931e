/// `clarifai.api.HostedURL`: where Clarifai hosts an input's file, in several sizes.
public struct HostedURL: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.HostedURL"
    public static let fieldNames = FieldNames([1: "prefix", 2: "suffix", 3: "sizes", 4: "crossorigin"])

    /// The start of every hosted file's URL.
    public var prefix = ""  // string prefix = 1;
    /// The end of every hosted file's URL (the file's name).
    public var suffix = ""  // string suffix = 2;
    /// The sizes hosted (`orig`, `small`, `tiny`, …): a file's URL is `prefix` + `/` + size + `/` + `suffix`.
    public var sizes: [String] = []  // repeated string sizes = 3;
    /// The `crossorigin` attribute an HTML media tag needs to load the files (`use-credentials` for
    /// Secure Data Hosting).
    public var crossorigin = ""  // string crossorigin = 4;
    /// Fields of `clarifai.api.HostedURL` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: prefix = try reader.readString(tag)
        case 2: suffix = try reader.readString(tag)
        case 3: sizes.append(try reader.readString(tag))
        case 4: crossorigin = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(4, crossorigin)
        writer.writeStrings(3, sizes)
        writer.writeString(2, suffix)
        writer.writeString(1, prefix)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("prefix", prefix)
        writer.string("suffix", suffix)
        writer.strings("sizes", sizes)
        writer.string("crossorigin", crossorigin)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: prefix = try value.protoString()
        case 2: suffix = try value.protoString()
        case 3: sizes = try value.protoRepeated { (v) throws(JSONError) in try v.protoString() }
        default: crossorigin = try value.protoString()
        }
    }
}

/// `clarifai.api.ImageInfo`: an image's size and format.
public struct ImageInfo: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.ImageInfo"
    public static let fieldNames = FieldNames([1: "width", 2: "height", 3: "format", 4: "color_mode", 5: "mode"])

    /// The width in pixels.
    public var width: Int32 = 0  // int32 width = 1;
    /// The height in pixels.
    public var height: Int32 = 0  // int32 height = 2;
    /// The file format, e.g. `JPEG`, `PNG`.
    public var format = ""  // string format = 3;
    /// The color mode, e.g. `RGB`, `L` (grayscale).
    public var colorMode = ""  // string color_mode = 4;
    /// The image mode as the server reports it.
    public var mode = ""  // string mode = 5;
    /// Fields of `clarifai.api.ImageInfo` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// An image of `width` × `height` pixels.
    public init(width: Int32, height: Int32) {
        self.width = width
        self.height = height
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: width = try reader.readInt32(tag)
        case 2: height = try reader.readInt32(tag)
        case 3: format = try reader.readString(tag)
        case 4: colorMode = try reader.readString(tag)
        case 5: mode = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(5, mode)
        writer.writeString(4, colorMode)
        writer.writeString(3, format)
        writer.writeInt32(2, height)
        writer.writeInt32(1, width)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.int32("width", width)
        writer.int32("height", height)
        writer.string("format", format)
        writer.string("color_mode", colorMode)
        writer.string("mode", mode)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: width = try value.protoInt32()
        case 2: height = try value.protoInt32()
        case 3: format = try value.protoString()
        case 4: colorMode = try value.protoString()
        default: mode = try value.protoString()
        }
    }
}

/// `clarifai.api.Image`: an image by URL or by its bytes (`base64` holds raw bytes on the
/// wire; only JSON spells them in base64).
public struct Image: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Image"
    public static let fieldNames = FieldNames([
        1: "url", 2: "base64", 4: "allow_duplicate_url", 5: "hosted", 6: "image_info", 7: "hosted_image_info",
        8: "decoded_bytes",
    ])

    /// A publicly reachable URL: the server downloads the file from it.
    public var url = ""  // string url = 1;
    /// The file's bytes (raw on the wire; base64 only in JSON, hence the name).
    public var base64: [UInt8] = []  // bytes base64 = 2;
    /// Allow an input with the same URL as an existing one (the server rejects duplicates by default).
    public var allowDuplicateURL = false  // bool allow_duplicate_url = 4;
    /// Where Clarifai hosts the file (in answers).
    public var hosted: HostedURL?  // HostedURL hosted = 5;
    /// The image's size and format.
    public var imageInfo: ImageInfo?  // ImageInfo image_info = 6;
    /// The size and format of each hosted size, by size name (`orig`, `small`, …).
    public var hostedImageInfo = ProtoMap<ImageInfo>()  // map<string, ImageInfo> hosted_image_info = 7;
    /// Already decoded pixels, for the server's internal processing; not set by clients.
    public var decodedBytes: [UInt8] = []  // bytes decoded_bytes = 8;
    /// Fields of `clarifai.api.Image` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// An image the server downloads from `url`.
    public init(url: String) {
        self.url = url
    }

    /// An image given by its file's bytes.
    public init(bytes: [UInt8]) {
        self.base64 = bytes
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: url = try reader.readString(tag)
        case 2: base64 = try reader.readBytes(tag)
        case 4: allowDuplicateURL = try reader.readBool(tag)
        case 5: try reader.readMessage(tag, into: &hosted)
        case 6: try reader.readMessage(tag, into: &imageInfo)
        case 7:
            try reader.readMapEntry(
                tag, into: &hostedImageInfo, unknownFields: &unknownFields, defaultValue: ImageInfo()
            ) {
                (tag, reader) throws(WireError) in
                var value: ImageInfo? = nil
                try reader.readMessage(tag, into: &value)
                return value ?? ImageInfo()
            }
        case 8: decodedBytes = try reader.readBytes(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeBytes(8, decodedBytes)
        writer.writeMap(7, hostedImageInfo) { value, writer in writer.writeMessageAlways(2, value) }
        writer.writeMessage(6, imageInfo)
        writer.writeMessage(5, hosted)
        writer.writeBool(4, allowDuplicateURL)
        writer.writeBytes(2, base64)
        writer.writeString(1, url)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("url", url)
        writer.bytesField("base64", base64)
        writer.bool("allow_duplicate_url", allowDuplicateURL)
        writer.message("hosted", hosted)
        writer.message("image_info", imageInfo)
        if !hostedImageInfo.isEmpty {
            writer.key("hosted_image_info")
            writer.beginObject()
            for entry in hostedImageInfo {
                writer.key(entry.key)
                writer.writeMessageValue(entry.value)
            }
            writer.endObject()
        }
        writer.bytesField("decoded_bytes", decodedBytes)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: url = try value.protoString()
        case 2: base64 = try value.protoBytes()
        case 4: allowDuplicateURL = try value.protoBool()
        case 5: try value.protoMessage(into: &hosted)
        case 6: try value.protoMessage(into: &imageInfo)
        case 7:
            guard case .object(let members) = value else { throw JSONError(.expected("an object")) }
            for member in members {
                var info: ImageInfo? = nil
                do {
                    try member.value.protoMessage(into: &info)
                } catch {
                    throw error.prepending(member.key)
                }
                hostedImageInfo[member.key] = info
            }
        default: decodedBytes = try value.protoBytes()
        }
    }
}

/// `clarifai.api.Video`: a video by URL or by its bytes.
public struct Video: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Video"
    public static let fieldNames = FieldNames([
        1: "url", 2: "base64", 4: "allow_duplicate_url", 5: "thumbnail_url", 6: "hosted", 7: "video_info",
        8: "hosted_thumbnail",
    ])

    /// A publicly reachable URL: the server downloads the file from it.
    public var url = ""  // string url = 1;
    /// The file's bytes (raw on the wire; base64 only in JSON, hence the name).
    public var base64: [UInt8] = []  // bytes base64 = 2;
    /// Allow an input with the same URL as an existing one (the server rejects duplicates by default).
    public var allowDuplicateURL = false  // bool allow_duplicate_url = 4;
    /// Deprecated in the official definitions (use `hostedThumbnail`); kept for compatibility.
    public var thumbnailURL = ""  // string thumbnail_url = 5 [deprecated = true];
    /// Where Clarifai hosts the video (in answers).
    public var hosted: HostedURL?  // HostedURL hosted = 6;
    /// `VideoInfo`, not modelled (binary only).
    public var videoInfo: RawMessage?  // VideoInfo video_info = 7;
    /// Where Clarifai hosts the thumbnails, in several sizes (`thumbnail` is the full size).
    public var hostedThumbnail: HostedURL?  // HostedURL hosted_thumbnail = 8;
    /// Fields of `clarifai.api.Video` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: url = try reader.readString(tag)
        case 2: base64 = try reader.readBytes(tag)
        case 4: allowDuplicateURL = try reader.readBool(tag)
        case 5: thumbnailURL = try reader.readString(tag)
        case 6: try reader.readMessage(tag, into: &hosted)
        case 7: videoInfo = try reader.readRawMessage(tag)
        case 8: try reader.readMessage(tag, into: &hostedThumbnail)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(8, hostedThumbnail)
        writer.writeRawMessage(7, videoInfo)
        writer.writeMessage(6, hosted)
        writer.writeString(5, thumbnailURL)
        writer.writeBool(4, allowDuplicateURL)
        writer.writeBytes(2, base64)
        writer.writeString(1, url)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("url", url)
        writer.bytesField("base64", base64)
        writer.bool("allow_duplicate_url", allowDuplicateURL)
        writer.string("thumbnail_url", thumbnailURL)
        writer.message("hosted", hosted)
        writer.message("hosted_thumbnail", hostedThumbnail)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: url = try value.protoString()
        case 2: base64 = try value.protoBytes()
        case 4: allowDuplicateURL = try value.protoBool()
        case 5: thumbnailURL = try value.protoString()
        case 6: try value.protoMessage(into: &hosted)
        case 8: try value.protoMessage(into: &hostedThumbnail)
        default: throw JSONError(.notModelled)
        }
    }
}

/// `clarifai.api.Text`: a text input, inline (`raw`) or by URL.
public struct Text: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Text"
    public static let fieldNames = FieldNames([
        1: "raw", 2: "url", 3: "allow_duplicate_url", 4: "hosted", 5: "text_info",
    ])

    /// The text itself.
    public var raw = ""  // string raw = 1;
    /// A publicly reachable URL of a text file: the server downloads it.
    public var url = ""  // string url = 2;
    /// Allow an input with the same URL as an existing one (the server rejects duplicates by default).
    public var allowDuplicateURL = false  // bool allow_duplicate_url = 3;
    /// Where Clarifai hosts the text (in answers).
    public var hosted: HostedURL?  // HostedURL hosted = 4;
    /// `TextInfo`, not modelled (binary only).
    public var textInfo: RawMessage?  // TextInfo text_info = 5;
    /// Fields of `clarifai.api.Text` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A text input with this content.
    public init(raw: String) {
        self.raw = raw
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: raw = try reader.readString(tag)
        case 2: url = try reader.readString(tag)
        case 3: allowDuplicateURL = try reader.readBool(tag)
        case 4: try reader.readMessage(tag, into: &hosted)
        case 5: textInfo = try reader.readRawMessage(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeRawMessage(5, textInfo)
        writer.writeMessage(4, hosted)
        writer.writeBool(3, allowDuplicateURL)
        writer.writeString(2, url)
        writer.writeString(1, raw)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("raw", raw)
        writer.string("url", url)
        writer.bool("allow_duplicate_url", allowDuplicateURL)
        writer.message("hosted", hosted)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: raw = try value.protoString()
        case 2: url = try value.protoString()
        case 3: allowDuplicateURL = try value.protoBool()
        case 4: try value.protoMessage(into: &hosted)
        default: throw JSONError(.notModelled)
        }
    }
}

/// `clarifai.api.Audio`: an audio input by URL or by its bytes.
public struct Audio: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Audio"
    public static let fieldNames = FieldNames([
        1: "url", 2: "base64", 4: "allow_duplicate_url", 5: "hosted", 6: "audio_info",
    ])

    /// A publicly reachable URL: the server downloads the file from it.
    public var url = ""  // string url = 1;
    /// The file's bytes (raw on the wire; base64 only in JSON, hence the name).
    public var base64: [UInt8] = []  // bytes base64 = 2;
    /// Allow an input with the same URL as an existing one (the server rejects duplicates by default).
    public var allowDuplicateURL = false  // bool allow_duplicate_url = 4;
    /// Where Clarifai hosts the audio (in answers).
    public var hosted: HostedURL?  // HostedURL hosted = 5;
    /// `AudioInfo`, not modelled (binary only).
    public var audioInfo: RawMessage?  // AudioInfo audio_info = 6;
    /// Fields of `clarifai.api.Audio` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: url = try reader.readString(tag)
        case 2: base64 = try reader.readBytes(tag)
        case 4: allowDuplicateURL = try reader.readBool(tag)
        case 5: try reader.readMessage(tag, into: &hosted)
        case 6: audioInfo = try reader.readRawMessage(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeRawMessage(6, audioInfo)
        writer.writeMessage(5, hosted)
        writer.writeBool(4, allowDuplicateURL)
        writer.writeBytes(2, base64)
        writer.writeString(1, url)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("url", url)
        writer.bytesField("base64", base64)
        writer.bool("allow_duplicate_url", allowDuplicateURL)
        writer.message("hosted", hosted)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: url = try value.protoString()
        case 2: base64 = try value.protoBytes()
        case 4: allowDuplicateURL = try value.protoBool()
        case 5: try value.protoMessage(into: &hosted)
        default: throw JSONError(.notModelled)
        }
    }
}

/// `clarifai.api.Embedding`: a vector (packed floats on the wire).
public struct Embedding: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Embedding"
    public static let fieldNames = FieldNames([1: "vector", 2: "num_dimensions"])

    /// The vector's values, one per dimension.
    public var vector: [Float] = []  // repeated float vector = 1 [packed = true];
    /// How many dimensions the vector has (the count of `vector`).
    public var numDimensions: UInt32 = 0  // uint32 num_dimensions = 2;
    /// Fields of `clarifai.api.Embedding` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readFloats(tag, appendingTo: &vector)
        case 2: numDimensions = try reader.readUInt32(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeUInt32(2, numDimensions)
        writer.writePackedFloats(1, vector)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.floats("vector", vector)
        writer.uint32("num_dimensions", numDimensions)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: vector = try value.protoRepeated { (v) throws(JSONError) in try v.protoFloat() }
        default: numDimensions = try value.protoUInt32()
        }
    }
}
