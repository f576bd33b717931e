import ProtoWire

/// The checks made before a request leaves the process, so that a bad request fails at once
/// with the offending index and field instead of a round trip and a terse server status.
enum Validation {
    /// Clarifai accepts 1…128 annotations per post or patch.
    static let maxAnnotationsPerCall = 128

    static func annotationCount(_ count: Int) throws(ValidationError) {
        guard (1...maxAnnotationsPerCall).contains(count) else {
            throw ValidationError("annotations", "\(count) annotations; a call takes 1…\(maxAnnotationsPerCall)")
        }
    }

    static func annotations(_ annotations: [Annotation], requireIDs: Bool) throws(ValidationError) {
        try annotationCount(annotations.count)
        for (index, annotation) in annotations.enumerated() {
            let path = "annotations[\(index)]"
            if annotation.inputID.isEmpty { throw ValidationError("\(path).input_id", "must not be empty") }
            if requireIDs && annotation.id.isEmpty { throw ValidationError("\(path).id", "must not be empty") }
            if let data = annotation.data { try coordinates(in: data, path: "\(path).data") }
        }
    }

    static func idPairs(ids: [String], inputIDs: [String]) throws(ValidationError) {
        guard ids.count == inputIDs.count else {
            throw ValidationError("ids", "\(ids.count) ids but \(inputIDs.count) input_ids; they go in pairs")
        }
        try nonEmpty(ids, "ids")
        try nonEmpty(inputIDs, "input_ids")
    }

    static func nonEmpty(_ values: [String], _ name: String) throws(ValidationError) {
        if values.isEmpty { throw ValidationError(name, "must not be empty") }
        if let index = values.firstIndex(where: \.isEmpty) { throw ValidationError("\(name)[\(index)]", "must not be empty") }
    }

    static func id(_ value: String, _ name: String) throws(ValidationError) {
        if value.isEmpty { throw ValidationError(name, "must not be empty") }
    }

    /// Box edges and points are fractions of the image: [0, 1].
    static func coordinates(in data: ClarifaiData, path: String) throws(ValidationError) {
        for (index, region) in data.regions.enumerated() {
            let regionPath = "\(path).regions[\(index)]"
            if let info = region.regionInfo {
                let infoPath = "\(regionPath).region_info"
                if let box = info.boundingBox {
                    let edges = [("top_row", box.topRow), ("left_col", box.leftCol), ("bottom_row", box.bottomRow), ("right_col", box.rightCol)]
                    for (name, value) in edges { try fraction(value, "\(infoPath).bounding_box.\(name)") }
                }
                for (pointIndex, point) in (info.polygon?.points ?? []).enumerated() {
                    try fraction(point.row, "\(infoPath).polygon.points[\(pointIndex)].row")
                    try fraction(point.col, "\(infoPath).polygon.points[\(pointIndex)].col")
                }
                if let point = info.point {
                    try fraction(point.row, "\(infoPath).point.row")
                    try fraction(point.col, "\(infoPath).point.col")
                }
            }
            if let nested = region.data { try coordinates(in: nested, path: "\(regionPath).data") }
        }
    }

    private static func fraction(_ value: Float, _ path: String) throws(ValidationError) {
        guard value >= 0 && value <= 1 else { throw ValidationError(path, "\(value) is outside [0, 1]") }
    }
}
