/// `clarifai.api.RegionInfo`: where a region is — a box, a mask, a polygon, a point, or a text range.
public struct RegionInfo: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.RegionInfo"
    public static let fieldNames = FieldNames([
        1: "bounding_box", 4: "mask", 5: "polygon", 6: "point", 7: "span", 8: "token", 9: "keypoint_locations",
    ])

    /// A rectangle, in normalized [0, 1] coordinates.
    public var boundingBox: BoundingBox?  // BoundingBox bounding_box = 1;
    /// An outline, its points in normalized [0, 1] coordinates.
    public var polygon: Polygon?  // Polygon polygon = 5;
    // The other shapes live in one box (`Rare`), allocated when the first of them is set
    // (see `ClarifaiData`): every region holds a RegionInfo inline, and inline they tripled
    // its size, with a reference to release each. The public properties are unchanged.
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.RegionInfo` other than the common shapes.
    private struct Rare: Sendable, Equatable {
        var mask: Mask?  // Mask mask = 4;
        var point: Point?  // Point point = 6;
        var span: Span?  // Span span = 7;
        var token: Token?  // Token token = 8;
        var keypointLocations: [Point] = []  // repeated Point keypoint_locations = 9;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to them.
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    /// A segmentation mask, as an image.
    public var mask: Mask? {
        get { rare?.mask }
        set { withRare { $0.mask = newValue } }
    }
    /// A single point (a landmark), in normalized [0, 1] coordinates.
    public var point: Point? {
        get { rare?.point }
        set { withRare { $0.point = newValue } }
    }
    /// A range of characters of a text input.
    public var span: Span? {
        get { rare?.span }
        set { withRare { $0.span = newValue } }
    }
    /// A token of a text input, as a range of characters.
    public var token: Token? {
        get { rare?.token }
        set { withRare { $0.token = newValue } }
    }
    /// Keypoints of the region (e.g. a pose's joints), in normalized [0, 1] coordinates.
    public var keypointLocations: [Point] {
        get { rare?.keypointLocations ?? [] }
        set { withRare { $0.keypointLocations = newValue } }
        _modify {
            var rare = takeRare()
            defer { self.rare = rare }
            yield &rare.keypointLocations
        }
    }
    /// Fields of `clarifai.api.RegionInfo` not modelled here: their wire bytes, written back unchanged.
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
    public static func == (lhs: RegionInfo, rhs: RegionInfo) -> Bool {
        lhs.boundingBox == rhs.boundingBox && lhs.polygon == rhs.polygon && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &boundingBox)
        case 5: try reader.readMessage(tag, into: &polygon)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 4: try reader.readMessage(tag, into: &rare.mask)
        case 6: try reader.readMessage(tag, into: &rare.point)
        case 7: try reader.readMessage(tag, into: &rare.span)
        case 8: try reader.readMessage(tag, into: &rare.token)
        case 9: try reader.readMessage(tag, appendingTo: &rare.keypointLocations)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        // Highest field number first (see `WireWriter`), so the rare fields come in two runs.
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeMessages(9, rare.keypointLocations)
            writer.writeMessage(8, rare.token)
            writer.writeMessage(7, rare.span)
            writer.writeMessage(6, rare.point)
        }
        writer.writeMessage(5, polygon)
        _rare.withValue { rare in writer.writeMessage(4, rare.mask) }
        writer.writeMessage(1, boundingBox)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.message("bounding_box", boundingBox)
        writer.message("mask", mask)
        writer.message("polygon", polygon)
        writer.message("point", point)
        writer.message("span", span)
        writer.message("token", token)
        writer.messages("keypoint_locations", keypointLocations)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: try value.protoMessage(into: &boundingBox)
        case 4: try value.protoMessage(into: &mask)
        case 5: try value.protoMessage(into: &polygon)
        case 6: try value.protoMessage(into: &point)
        case 7: try value.protoMessage(into: &span)
        case 8: try value.protoMessage(into: &token)
        default: keypointLocations = try value.protoMessages(Point.self)
        }
    }
}

/// `clarifai.api.Region`: a part of an input (a box, polygon, mask, …) with its own data,
/// typically the concepts found there.
public struct Region: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.Region"
    public static let fieldNames = FieldNames([1: "id", 2: "region_info", 3: "data", 4: "value", 5: "track_id"])

    /// Identifies the region within its annotation; the server assigns one when a post leaves it empty.
    public var id = ""  // string id = 1;
    /// Where the region is: a box, a polygon, a mask, a point or a text range.
    public var regionInfo: RegionInfo?  // RegionInfo region_info = 2;
    /// What the region holds, typically the concepts found there.
    public var data: ClarifaiData?  // Data data = 3;
    /// A model's confidence in the region, in [0, 1]; 0 in user annotations.
    public var value: Float = 0  // float value = 4;
    // Set only for video tracks, and kept in a box with any unknown fields (see `ClarifaiData`):
    // one reference to release per region instead of two. The public properties are unchanged.
    @Indirect private var rare: Rare?

    /// The fields of `clarifai.api.Region` that most regions leave unset.
    private struct Rare: Sendable, Equatable {
        var trackID = ""  // string track_id = 5;
        var unknownFields: [UInt8] = []
    }

    /// Runs `body` on the rare fields, in place when this value holds the only reference to them.
    private mutating func withRare(_ body: (inout Rare) -> Void) {
        _rare.withMutableValue(default: Rare.init, body)
    }

    /// The rare fields, moved out of their box (see `Indirect.take`); the caller puts them back.
    private mutating func takeRare() -> Rare { _rare.take(default: Rare.init) }

    /// The track the region belongs to: regions of different frames with one track id follow one object.
    public var trackID: String {
        get { rare?.trackID ?? "" }
        set { withRare { $0.trackID = newValue } }
    }
    /// Fields of `clarifai.api.Region` not modelled here: their wire bytes, written back unchanged.
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
    public static func == (lhs: Region, rhs: Region) -> Bool {
        lhs.id == rhs.id && lhs.regionInfo == rhs.regionInfo && lhs.data == rhs.data && lhs.value == rhs.value
            && (lhs.rare ?? Rare()) == (rhs.rare ?? Rare())
    }

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: try reader.readMessage(tag, into: &regionInfo)
        case 3: try reader.readMessage(tag, into: &data)
        case 4: value = try reader.readFloat(tag)
        default: try decodeRareField(tag, from: &reader)
        }
    }

    /// Out of line, so that the common fields' decoding stays small enough to be inlined.
    @inline(never)
    private mutating func decodeRareField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        var rare = takeRare()
        defer { self.rare = rare }
        switch tag.number {
        case 5: rare.trackID = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &rare.unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        _rare.withValue { rare in
            writer.writeUnknown(rare.unknownFields)
            writer.writeString(5, rare.trackID)
        }
        writer.writeFloat(4, value)
        writer.writeMessage(3, data)
        writer.writeMessage(2, regionInfo)
        writer.writeString(1, id)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string("id", id)
        writer.message("region_info", regionInfo)
        writer.message("data", data)
        writer.float("value", value)
        writer.string("track_id", trackID)
        writer.endObject()
    }

    public mutating func decodeJSONField(_ number: Int, _ value: JSONValue) throws(JSONError) {
        switch number {
        case 1: id = try value.protoString()
        case 2: try value.protoMessage(into: &regionInfo)
        case 3: try value.protoMessage(into: &data)
        case 4: self.value = try value.protoFloat()
        default: trackID = try value.protoString()
        }
    }
}
