import ArgumentParser
import Foundation
import ProtoWire

/// The flags that describe one annotation, shared by `post` and `patch`.
///
/// Rules: `--concept` gives input-level concepts (`data.concepts`); each `--box`, `--polygon` and
/// `--mask-file` adds one region (boxes first, then polygons, then masks, each in the order
/// given), and every region gets all the `--region-concept` concepts. `--region-id` names
/// regions: without geometry flags each `--region-id` is an existing region (e.g. one a model
/// detected) that gets the region concepts; with geometry flags there must be one
/// `--region-id` per region, given to them in the same order. An annotation holds at most one
/// region (the documented rule), so `post` makes one annotation per region, the input-level
/// concepts going to the first.
struct AnnotationFlags: ParsableArguments {
    @Option(name: .customLong("input-id"), help: ArgumentHelp("The annotated input.", valueName: "id"))
    var inputID: String?

    @Option(name: .customLong("id"), help: ArgumentHelp("The annotation's id.", valueName: "id"))
    var id: String?

    @Option(
        name: .customLong("concept"),
        help: ArgumentHelp(
            "An input-level concept, value 1 (present) unless given, e.g. tree or water:0 (repeatable).",
            valueName: "id[:value]"))
    var concepts: [ConceptArgument] = []

    @Option(
        name: .customLong("box"),
        help: ArgumentHelp(
            "A bounding-box region, as fractions of the image (repeatable).", valueName: "top,left,bottom,right"))
    var boxes: [BoxArgument] = []

    @Option(
        name: .customLong("polygon"),
        help: ArgumentHelp(
            "A polygon region of 3 or more points, as fractions of the image (repeatable).",
            valueName: "row,col;row,col;…"))
    var polygons: [PolygonArgument] = []

    @Option(
        name: .customLong("mask-file"),
        help: ArgumentHelp(
            "A mask region from an image file, e.g. a PNG (repeatable).", valueName: "file"))
    var maskFiles: [String] = []

    @Option(
        name: .customLong("region-id"),
        help: ArgumentHelp(
            "An existing region, or the id of the i-th region given (repeatable).", valueName: "id"))
    var regionIDs: [String] = []

    @Option(
        name: .customLong("region-concept"),
        help: ArgumentHelp(
            "A concept of every region, e.g. tree or water:0 (repeatable).", valueName: "id[:value]"))
    var regionConcepts: [ConceptArgument] = []

    @Option(
        name: .customLong("user-id-of-annotator"),
        help: ArgumentHelp(
            "Annotate on behalf of this user (Annotation.user_id, deprecated in the official protos).",
            valueName: "id"))
    var annotatorUserID: String?

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "The annotation's status, by number or name, e.g. 24151 or ANNOTATION_PENDING.", valueName: "code"))
    var status: StatusArgument?

    @Option(
        name: .customLong("annotation-info"),
        help: ArgumentHelp(
            "A JSON object stored with the annotation, e.g. '{\"task_id\": \"t1\"}'.", valueName: "json"))
    var annotationInfo: JSONObjectArgument?

    @Option(
        name: .customLong("embed-model-version-id"),
        help: ArgumentHelp(
            "The embedding model version of the annotation (deprecated in the official protos).", valueName: "id"))
    var embedModelVersionID: String?

    @Option(
        name: .customLong("json"),
        help: ArgumentHelp(
            "The whole request body in Clarifai's REST shape, from a file or - for stdin; no other annotation flag.",
            valueName: "file"))
    var jsonFile: String?

    /// True when any flag other than `--json` describes the annotation.
    var buildsAnnotation: Bool {
        inputID != nil || id != nil || !concepts.isEmpty || !boxes.isEmpty || !polygons.isEmpty
            || !maskFiles.isEmpty || !regionIDs.isEmpty || !regionConcepts.isEmpty || annotatorUserID != nil
            || status != nil || annotationInfo != nil || embedModelVersionID != nil
    }

    func validate() throws {
        if jsonFile != nil {
            guard !buildsAnnotation else {
                throw ValidationError("--json gives the whole request: use no other annotation flag with it")
            }
            return
        }
        guard let inputID else { throw ValidationError("give --input-id (or --json FILE)") }
        if inputID.isEmpty { throw ValidationError("--input-id must not be empty") }
        if regionIDs.contains("") { throw ValidationError("--region-id must not be empty") }
        let geometry = boxes.count + polygons.count + maskFiles.count
        if geometry > 0 && !regionIDs.isEmpty && regionIDs.count != geometry {
            throw ValidationError(
                "\(regionIDs.count) --region-id for \(geometry) regions: give none, or one per --box/--polygon/--mask-file"
            )
        }
        if !regionConcepts.isEmpty && geometry == 0 && regionIDs.isEmpty {
            throw ValidationError("--region-concept needs a region: --box, --polygon, --mask-file or --region-id")
        }
        for file in maskFiles where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--mask-file: cannot read \(file)")
        }
    }

    /// The annotation the flags describe.
    func annotation() throws -> Annotation {
        var annotation = Annotation()
        annotation.inputID = inputID ?? ""
        annotation.id = id ?? ""
        var regions: [Region] = []
        for box in boxes {
            var info = RegionInfo()
            info.boundingBox = box.box
            regions.append(region(info: info))
        }
        for polygon in polygons {
            var info = RegionInfo()
            info.polygon = polygon.polygon
            regions.append(region(info: info))
        }
        for file in maskFiles {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw ValidationError("--mask-file: cannot read \(file)")
            }
            var info = RegionInfo()
            info.mask = Mask(image: Image(bytes: [UInt8](bytes)))
            regions.append(region(info: info))
        }
        if regions.isEmpty {
            regions = regionIDs.map { region(id: $0, info: nil) }
        } else {
            for (index, regionID) in regionIDs.enumerated() { regions[index].id = regionID }
        }
        if !concepts.isEmpty || !regions.isEmpty {
            var data = ClarifaiData()
            data.concepts = concepts.map(\.concept)
            data.regions = regions
            annotation.data = data
        }
        if let annotatorUserID { annotation.userID = annotatorUserID }
        if let status { annotation.status = Status(code: status.code) }
        if let annotationInfo { annotation.annotationInfo = annotationInfo.value }
        if let embedModelVersionID { annotation.embedModelVersionID = embedModelVersionID }
        return annotation
    }

    /// The annotations `post` sends: the one the flags describe, or one per region when they
    /// give several (an annotation holds at most one region).
    func annotationsToPost() throws -> [Annotation] {
        let described = try annotation()
        guard let data = described.data, data.regions.count > 1 else { return [described] }
        guard id == nil else {
            throw ValidationError(
                "--id names one annotation, but \(data.regions.count) regions make \(data.regions.count) annotations: "
                    + "an annotation holds at most one region")
        }
        return data.regions.enumerated().map { index, region in
            var one = described
            one.data?.regions = [region]
            if index > 0 { one.data?.concepts = [] }
            return one
        }
    }

    private func region(id: String = "", info: RegionInfo?) -> Region {
        var region = Region()
        region.id = id
        region.regionInfo = info
        if !regionConcepts.isEmpty {
            var data = ClarifaiData()
            data.concepts = regionConcepts.map(\.concept)
            region.data = data
        }
        return region
    }
}

/// The bytes of `--json FILE`, or of stdin for `-`.
func readRequestBody(_ path: String) throws -> [UInt8] {
    if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("--json: cannot read \(path)")
    }
    return [UInt8](data)
}

/// Decodes a request body, reporting a bad one as invalid input (exit status 65).
func decodeBody<M: ProtoMessage>(_ type: M.Type, from path: String) throws -> M {
    let bytes = try readRequestBody(path)
    do {
        return try M(jsonUTF8: bytes)
    } catch {
        throw InputError("\(path == "-" ? "stdin" : path) is not a \(M.protoMessageName) in REST JSON: \(error)")
    }
}
