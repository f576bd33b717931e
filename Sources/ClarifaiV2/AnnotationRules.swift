import ProtoWire

/// The rules an annotation call must follow, in one place: the client checks them before a
/// request leaves the process, the emulator when it arrives (answering with a Clarifai status),
/// `annotations import` per line. Each rule returns the first ``Violation``, or nil.
///
/// ```swift
/// var annotation = Annotation(inputID: "in-1")
/// annotation.data = ClarifaiData()
/// AnnotationRules.violation(in: annotation, at: "annotations[0]")  // nil: nothing wrong
/// ```
public enum AnnotationRules {
    /// Clarifai accepts 1…128 annotations per post or patch.
    public static let maxAnnotationsPerCall = 128

    /// The documentation's rule ("Each annotation should contain at most one region. If it is
    /// a video, each annotation should contain 1 frame"), in its words.
    public static let oneRegionRule =
        "each annotation should contain at most one region; label several regions with one annotation each"
    /// The documentation's video half of the same rule: one frame per annotation, in its words.
    public static let oneFrameRule =
        "each annotation of a video should contain 1 frame; label several frames with one annotation each"

    /// 1…128 annotations.
    public static func count(_ count: Int) -> Violation? {
        guard (1...maxAnnotationsPerCall).contains(count) else {
            return Violation("annotations", "\(count) annotations; a call takes 1…\(maxAnnotationsPerCall)")
        }
        return nil
    }

    /// The rules of a post (`requireIDs` false) or a patch (true): the count, then every
    /// annotation in order.
    public static func violation(inAnnotations annotations: [Annotation], requireIDs: Bool) -> Violation? {
        if let violation = count(annotations.count) { return violation }
        for (index, annotation) in annotations.enumerated() {
            if let violation = violation(in: annotation, at: "annotations[\(index)]", requireID: requireIDs) {
                return violation
            }
        }
        return nil
    }

    /// The rules of one annotation: a non-empty `input_id` (and `id`, when required), and its
    /// data (see ``violation(inData:at:)``). `path` is the annotation's own path, empty for a
    /// lone annotation (`input_id: must not be empty`).
    public static func violation(in annotation: Annotation, at path: String, requireID: Bool = false) -> Violation? {
        if annotation.inputID.isEmpty { return Violation(join(path, "input_id"), "must not be empty") }
        if requireID && annotation.id.isEmpty { return Violation(join(path, "id"), "must not be empty") }
        guard let data = annotation.data else { return nil }
        return violation(inData: data, at: join(path, "data"), annotationLevel: true)
    }

    /// The rules of an annotation's data: at most one region and one frame (at the annotation's
    /// own level, and one region per frame), and region geometry as fractions of the image —
    /// box edges, polygon points, points and keypoints in [0, 1] (NaN refused) — in regions,
    /// regions' own data and frames.
    public static func violation(inData data: ClarifaiData, at path: String) -> Violation? {
        violation(inData: data, at: path, annotationLevel: true)
    }

    /// Only the one-region, one-frame rule (for the result of a patch: what is stored may be a
    /// fixture loaded as it was, whose geometry is its own).
    public static func oneRegion(inData data: ClarifaiData, at path: String) -> Violation? {
        if data.regions.count > 1 {
            return Violation("\(path).regions", "\(data.regions.count) regions; \(oneRegionRule)")
        }
        if data.frames.count > 1 {
            return Violation("\(path).frames", "\(data.frames.count) frames; \(oneFrameRule)")
        }
        for (index, frame) in data.frames.enumerated() {
            if let frameData = frame.data,
                let violation = oneRegion(inData: frameData, at: "\(path).frames[\(index)].data")
            {
                return violation
            }
        }
        return nil
    }

    private static func violation(inData data: ClarifaiData, at path: String, annotationLevel: Bool) -> Violation? {
        if annotationLevel, let violation = oneRegion(inData: data, at: path) { return violation }
        for (index, region) in data.regions.enumerated() {
            let regionPath = "\(path).regions[\(index)]"
            if let info = region.regionInfo,
                let violation = violation(inRegionInfo: info, at: "\(regionPath).region_info")
            {
                return violation
            }
            if let nested = region.data,
                let violation = violation(inData: nested, at: "\(regionPath).data", annotationLevel: false)
            {
                return violation
            }
        }
        for (index, frame) in data.frames.enumerated() {
            // A frame's data holds the annotation's region in that frame: the same one-region rule.
            if let frameData = frame.data,
                let violation = violation(
                    inData: frameData, at: "\(path).frames[\(index)].data", annotationLevel: annotationLevel)
            {
                return violation
            }
        }
        return nil
    }

    private static func violation(inRegionInfo info: RegionInfo, at path: String) -> Violation? {
        var values: [(String, Float)] = []
        if let box = info.boundingBox {
            values += [
                ("top_row", box.topRow), ("left_col", box.leftCol), ("bottom_row", box.bottomRow),
                ("right_col", box.rightCol),
            ]
            .map { ("bounding_box.\($0.0)", $0.1) }
        }
        for (index, point) in (info.polygon?.points ?? []).enumerated() {
            values += [("polygon.points[\(index)].row", point.row), ("polygon.points[\(index)].col", point.col)]
        }
        if let point = info.point { values += [("point.row", point.row), ("point.col", point.col)] }
        for (index, point) in info.keypointLocations.enumerated() {
            values += [
                ("keypoint_locations[\(index)].row", point.row), ("keypoint_locations[\(index)].col", point.col),
            ]
        }
        for (name, value) in values where !(value >= 0 && value <= 1) {
            return Violation(
                "\(path).\(name)",
                "\(value) is outside [0, 1]: region coordinates are fractions of the image's height and width")
        }
        return nil
    }

    /// `ids[i]` of input `inputIDs[i]`: as many of each, none empty.
    public static func idPairs(ids: [String], inputIDs: [String]) -> Violation? {
        guard ids.count == inputIDs.count else {
            return Violation("ids", "\(ids.count) ids but \(inputIDs.count) input_ids; they go in pairs")
        }
        return nonEmpty(ids, "ids") ?? nonEmpty(inputIDs, "input_ids")
    }

    /// A list with at least one element and no empty one.
    public static func nonEmpty(_ values: [String], _ name: String) -> Violation? {
        if values.isEmpty { return Violation(name, "must not be empty") }
        if let index = values.firstIndex(where: \.isEmpty) {
            return Violation("\(name)[\(index)]", "must not be empty")
        }
        return nil
    }

    /// A non-empty id.
    public static func id(_ value: String, _ name: String) -> Violation? {
        value.isEmpty ? Violation(name, "must not be empty") : nil
    }

    private static func join(_ path: String, _ field: String) -> String {
        path.isEmpty ? field : "\(path).\(field)"
    }
}
