/// `clarifai.api.BoundingBox`: edges as fractions of the image's height and width, in [0, 1].
public struct BoundingBox: JSONObjectMessage, Hashable {
    public static let protoMessageName = "clarifai.api.BoundingBox"
    public static let fieldNames = FieldNames([1: "top_row", 2: "left_col", 3: "bottom_row", 4: "right_col"])

    // Clarifai marks all four edges cl_show_if_empty: JSON always carries them, even at 0.
    /// The top edge, as a fraction of the image's height from the top: 0 is the top row, 1 the bottom one.
    public var topRow: Float = 0  // float top_row = 1;
    /// The left edge, as a fraction of the image's width from the left: 0 is the left column, 1 the right one.
    public var leftCol: Float = 0  // float left_col = 2;
    /// The bottom edge, as a fraction of the image's height from the top (≥ `topRow`).
    public var bottomRow: Float = 0  // float bottom_row = 3;
    /// The right edge, as a fraction of the image's width from the left (≥ `leftCol`).
    public var rightCol: Float = 0  // float right_col = 4;
    /// Fields of `clarifai.api.BoundingBox` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A box from its four edges, normalized to [0, 1].
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

        /// `NOT_SET` (0): no visibility given.
        public static let notSet = Visibility(rawValue: 0)
        /// `VISIBLE` (1): the point is visible in the image.
        public static let visible = Visibility(rawValue: 1)
        /// `NOT_VISIBLE` (2): the point is in the image but occluded.
        public static let notVisible = Visibility(rawValue: 2)
        /// `NOT_PRESENT` (3): the point is outside the image.
        public static let notPresent = Visibility(rawValue: 3)

        static func value(named name: String) -> Int32? {
            ["NOT_SET": 0, "VISIBLE": 1, "NOT_VISIBLE": 2, "NOT_PRESENT": 3][name]
        }
    }

    /// The row, as a fraction of the image's height: 0 is the top row, 1 the bottom one.
    public var row: Float = 0  // float row = 1; (cl_show_if_empty)
    /// The column, as a fraction of the image's width: 0 is the left column, 1 the right one.
    public var col: Float = 0  // float col = 2; (cl_show_if_empty)
    /// The depth, where the point has one (3D keypoints); 0 otherwise.
    public var z: Float = 0  // float z = 3;
    /// Whether the point can be seen (keypoints): visible, occluded or outside the image.
    public var visibility = Visibility.notSet  // Visibility visibility = 4;
    /// Fields of `clarifai.api.Point` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A point at normalized [0, 1] coordinates.
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

    /// The outline's vertices, in order; the last joins the first.
    public var points: [Point] = []  // repeated Point points = 1;
    /// Fields of `clarifai.api.Polygon` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A polygon with these vertices, in order.
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
    /// The first character of the range, an index into the text input.
    var charStart: UInt32 { get set }
    /// The end of the range, the index of the character after its last one.
    var charEnd: UInt32 { get set }
    /// The text of the range, as it appears in the input.
    var rawText: String { get set }
    /// Fields this package does not model, as their wire bytes, written back unchanged.
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
    /// Fields of `clarifai.api.Span` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []
    public init() {}
}

/// `clarifai.api.Token`: a token of a text input, as a range of characters.
public struct Token: TextRange, Hashable {
    public static let protoMessageName = "clarifai.api.Token"
    public var charStart: UInt32 = 0  // uint32 char_start = 1; (cl_show_if_empty)
    public var charEnd: UInt32 = 0  // uint32 char_end = 2; (cl_show_if_empty)
    public var rawText = ""  // string raw_text = 3;
    /// Fields of `clarifai.api.Token` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []
    public init() {}
}

/// `clarifai.api.Mask`: a segmentation mask, given as an image.
public struct Mask: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Mask"
    public static let fieldNames = FieldNames([2: "image"])

    /// The mask as an image the size of the input: the pixels that belong to the region are set.
    @Indirect public var image: Image?  // Image image = 2;
    /// Fields of `clarifai.api.Mask` not modelled here: their wire bytes, written back unchanged.
    public var unknownFields: [UInt8] = []

    public init() {}

    /// A mask given by this image.
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
