import ProtoWire

/// Swift-idiomatic ways to build the annotations of the documented calls.
///
/// ```swift
/// let tagged = Annotation(inputID: "{YOUR_INPUT_ID}", concepts: ["tree": 1, "water": 0])
/// let boxed = Annotation(inputID: "{YOUR_INPUT_ID}", regions: [
///     .boundingBox(top: 0.1, left: 0.1, bottom: 0.3, right: 0.3, concepts: ["tree": 1]),
/// ])
/// ```
extension Annotation {
    /// An input-level annotation with concepts, each `id: value` (1 present, 0 absent).
    public init(id: String = "", inputID: String, concepts: KeyValuePairs<String, Float>) {
        self.init()
        self.id = id
        self.inputID = inputID
        var data = ClarifaiData()
        data.concepts = concepts.map { Concept(id: $0.key, value: $0.value) }
        self.data = data
    }

    /// An annotation of regions of an input.
    public init(id: String = "", inputID: String, regions: [Region]) {
        self.init()
        self.id = id
        self.inputID = inputID
        var data = ClarifaiData()
        data.regions = regions
        self.data = data
    }
}

extension Region {
    /// A box given as fractions of the image height (top, bottom) and width (left, right).
    public static func boundingBox(
        id: String = "", top: Float, left: Float, bottom: Float, right: Float,
        concepts: KeyValuePairs<String, Float> = [:]
    ) -> Region {
        var info = RegionInfo()
        info.boundingBox = BoundingBox(topRow: top, leftCol: left, bottomRow: bottom, rightCol: right)
        return Region(id: id, info: info, concepts: concepts)
    }

    /// A polygon of (row, col) fractions, in order.
    public static func polygon(
        id: String = "", points: [(row: Float, col: Float)], concepts: KeyValuePairs<String, Float> = [:]
    ) -> Region {
        var info = RegionInfo()
        info.polygon = Polygon(points: points.map { Point(row: $0.row, col: $0.col) })
        return Region(id: id, info: info, concepts: concepts)
    }

    /// A mask given as image bytes (e.g. a PNG).
    public static func mask(id: String = "", imageBytes: [UInt8], concepts: KeyValuePairs<String, Float> = [:])
        -> Region
    {
        var info = RegionInfo()
        info.mask = Mask(image: Image(bytes: imageBytes))
        return Region(id: id, info: info, concepts: concepts)
    }

    /// An existing region, by id, with concepts to attach.
    public static func existing(id: String, concepts: KeyValuePairs<String, Float>) -> Region {
        Region(id: id, info: nil, concepts: concepts)
    }

    init(id: String, info: RegionInfo?, concepts: KeyValuePairs<String, Float>) {
        self.init()
        self.id = id
        regionInfo = info
        if !concepts.isEmpty {
            var data = ClarifaiData()
            data.concepts = concepts.map { Concept(id: $0.key, value: $0.value) }
            self.data = data
        }
    }
}

/// How a patch changes what is stored (`PatchAnnotationsRequest.action`).
public enum PatchAction: String, Sendable, CaseIterable {
    /// Add the given concepts/regions to the annotation's.
    case merge
    /// Replace the annotation's data with the given data.
    case overwrite
    /// Remove the given concepts/regions.
    case remove
}
