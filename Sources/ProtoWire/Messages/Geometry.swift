/// `clarifai.api.BoundingBox`: edges as fractions of the image's height and width, in [0, 1].
public struct BoundingBox: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.BoundingBox"
    public static let fieldNames = FieldNames([1: "top_row", 2: "left_col", 3: "bottom_row", 4: "right_col"])

    // Clarifai marks all four edges cl_show_if_empty: JSON always carries them, even at 0.
    public var topRow: Float = 0  // float top_row = 1;
    public var leftCol: Float = 0  // float left_col = 2;
    public var bottomRow: Float = 0  // float bottom_row = 3;
    public var rightCol: Float = 0  // float right_col = 4;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(topRow: Float, leftCol: Float, bottomRow: Float, rightCol: Float) {
        self.topRow = topRow
        self.leftCol = leftCol
        self.bottomRow = bottomRow
        self.rightCol = rightCol
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: topRow = try reader.readFloat(tag)
        case 2: leftCol = try reader.readFloat(tag)
        case 3: bottomRow = try reader.readFloat(tag)
        case 4: rightCol = try reader.readFloat(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeFloat(4, rightCol)
        writer.writeFloat(3, bottomRow)
        writer.writeFloat(2, leftCol)
        writer.writeFloat(1, topRow)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.float("top_row", topRow, always: true)
        writer.float("left_col", leftCol, always: true)
        writer.float("bottom_row", bottomRow, always: true)
        writer.float("right_col", rightCol, always: true)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: topRow = try value.protoFloat()
        case 2: leftCol = try value.protoFloat()
        case 3: bottomRow = try value.protoFloat()
        default: rightCol = try value.protoFloat()
        }
    }
}

/// `clarifai.api.Point`: a position as fractions of the image's height (row) and width (col).
public struct Point: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.Point"
    public static let fieldNames = FieldNames([1: "row", 2: "col", 3: "z", 4: "visibility"])

    /// `clarifai.api.Point.Visibility`, open: unknown values are kept.
    public struct Visibility: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let notSet = Visibility(rawValue: 0)
        public static let visible = Visibility(rawValue: 1)
        public static let notVisible = Visibility(rawValue: 2)
        public static let notPresent = Visibility(rawValue: 3)

        static func value(named name: String) -> Int32? {
            ["NOT_SET": 0, "VISIBLE": 1, "NOT_VISIBLE": 2, "NOT_PRESENT": 3][name]
        }
    }

    public var row: Float = 0  // float row = 1; (cl_show_if_empty)
    public var col: Float = 0  // float col = 2; (cl_show_if_empty)
    public var z: Float = 0  // float z = 3;
    public var visibility = Visibility.notSet  // Visibility visibility = 4;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(row: Float, col: Float) {
        self.row = row
        self.col = col
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: row = try reader.readFloat(tag)
        case 2: col = try reader.readFloat(tag)
        case 3: z = try reader.readFloat(tag)
        case 4: visibility = Visibility(rawValue: try reader.readInt32(tag))
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeInt32(4, visibility.rawValue)
        writer.writeFloat(3, z)
        writer.writeFloat(2, col)
        writer.writeFloat(1, row)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.float("row", row, always: true)
        writer.float("col", col, always: true)
        writer.float("z", z)
        writer.int32("visibility", visibility.rawValue)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: row = try value.protoFloat()
        case 2: col = try value.protoFloat()
        case 3: z = try value.protoFloat()
        default: visibility = Visibility(rawValue: try value.protoEnum(Visibility.value(named:)))
        }
    }
}

/// `clarifai.api.Polygon`: a closed outline, its points in order.
public struct Polygon: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Polygon"
    public static let fieldNames = FieldNames([1: "points"])

    public var points: [Point] = []  // repeated Point points = 1;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(points: [Point]) {
        self.points = points
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, appendingTo: &points)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(1, points)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.messages("points", points)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        points = try value.protoMessages(Point.self)
    }
}

/// Shared by `Span` and `Token`, which have the same three fields.
public protocol TextRange: JSONObjectMessage {
    var charStart: UInt32 { get set }
    var charEnd: UInt32 { get set }
    var rawText: String { get set }
    var unknownFields: [UInt8] { get set }
}

extension TextRange {
    public static var fieldNames: FieldNames { textRangeFieldNames }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: charStart = try reader.readUInt32(tag)
        case 2: charEnd = try reader.readUInt32(tag)
        case 3: rawText = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(3, rawText)
        writer.writeUInt32(2, charEnd)
        writer.writeUInt32(1, charStart)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.uint32("char_start", charStart, always: true)
        writer.uint32("char_end", charEnd, always: true)
        writer.string("raw_text", rawText)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: charStart = try value.protoUInt32()
        case 2: charEnd = try value.protoUInt32()
        default: rawText = try value.protoString()
        }
    }
}

private let textRangeFieldNames = FieldNames([1: "char_start", 2: "char_end", 3: "raw_text"])

/// `clarifai.api.Span`: a range of characters in a text input.
public struct Span: TextRange, Hashable {
    public static let protoMessageName = "clarifai.api.Span"
    public var charStart: UInt32 = 0  // uint32 char_start = 1; (cl_show_if_empty)
    public var charEnd: UInt32 = 0  // uint32 char_end = 2; (cl_show_if_empty)
    public var rawText = ""  // string raw_text = 3;
    public var unknownFields: [UInt8] = []
    public init() {}
}

/// `clarifai.api.Token`: a token of a text input, as a range of characters.
public struct Token: TextRange, Hashable {
    public static let protoMessageName = "clarifai.api.Token"
    public var charStart: UInt32 = 0  // uint32 char_start = 1; (cl_show_if_empty)
    public var charEnd: UInt32 = 0  // uint32 char_end = 2; (cl_show_if_empty)
    public var rawText = ""  // string raw_text = 3;
    public var unknownFields: [UInt8] = []
    public init() {}
}

/// `clarifai.api.Mask`: a segmentation mask, given as an image.
public struct Mask: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Mask"
    public static let fieldNames = FieldNames([2: "image"])

    @Indirect public var image: Image?  // Image image = 2;
    public var unknownFields: [UInt8] = []

    public init() {}

    public init(image: Image) {
        self.image = image
    }

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 2: try reader.readMessage(tag, into: &_image)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessage(2, _image)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("image", image)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        try value.protoMessage(into: &image)
    }
}
