/// `clarifai.api.RegionInfo`: where a region is — a box, a mask, a polygon, a point, or a text range.
public struct RegionInfo: JSONObjectMessage {
    public static let protoMessageName = "clarifai.api.RegionInfo"
    public static let fieldNames = FieldNames([
        1: "bounding_box", 4: "mask", 5: "polygon", 6: "point", 7: "span", 8: "token", 9: "keypoint_locations",
    ])

    public var boundingBox: BoundingBox?  // BoundingBox bounding_box = 1;
    public var mask: Mask?  // Mask mask = 4;
    public var polygon: Polygon?  // Polygon polygon = 5;
    public var point: Point?  // Point point = 6;
    public var span: Span?  // Span span = 7;
    public var token: Token?  // Token token = 8;
    public var keypointLocations: [Point] = []  // repeated Point keypoint_locations = 9;
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: try reader.readMessage(tag, into: &boundingBox)
        case 4: try reader.readMessage(tag, into: &mask)
        case 5: try reader.readMessage(tag, into: &polygon)
        case 6: try reader.readMessage(tag, into: &point)
        case 7: try reader.readMessage(tag, into: &span)
        case 8: try reader.readMessage(tag, into: &token)
        case 9: try reader.readMessage(tag, appendingTo: &keypointLocations)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeMessages(9, keypointLocations)
        writer.writeMessage(8, token)
        writer.writeMessage(7, span)
        writer.writeMessage(6, point)
        writer.writeMessage(5, polygon)
        writer.writeMessage(4, mask)
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

    public var id = ""  // string id = 1;
    public var regionInfo: RegionInfo?  // RegionInfo region_info = 2;
    public var data: ClarifaiData?  // Data data = 3;
    public var value: Float = 0  // float value = 4;
    public var trackID = ""  // string track_id = 5;
    public var unknownFields: [UInt8] = []

    public init() {}

    public mutating func decodeField(_ tag: FieldTag, from reader: inout WireReader) throws(WireError) {
        switch tag.number {
        case 1: id = try reader.readString(tag)
        case 2: try reader.readMessage(tag, into: &regionInfo)
        case 3: try reader.readMessage(tag, into: &data)
        case 4: value = try reader.readFloat(tag)
        case 5: trackID = try reader.readString(tag)
        default: try reader.skipField(tag, appendingTo: &unknownFields)
        }
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUnknown(unknownFields)
        writer.writeString(5, trackID)
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
