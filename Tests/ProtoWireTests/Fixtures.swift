@testable import ProtoWire

/// Messages that set most fields, shared by the failure and mutation tests.
enum Fixtures {
    static var annotation: Annotation {
        var concept = Concept(id: "tree", name: "Tree 🌲", value: 0.75)
        concept.createdAt = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
        concept.metadata = ["source": "docs", "weights": [1, 2.5, nil, true]]

        var polygon = Polygon()
        polygon.points = (0..<8).map { Point(row: Float($0) / 8, col: 1 - Float($0) / 8) }

        var box = RegionInfo()
        box.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.3, rightCol: 0.4)
        var outline = RegionInfo()
        outline.polygon = polygon
        outline.mask = Mask(image: Image(bytes: [0x89, 0x50, 0x4e, 0x47, 0, 0xff]))

        var regionData = ClarifaiData()
        regionData.concepts = [concept, Concept(id: "water", value: 0)]
        var first = Region()
        first.id = "region-1"
        first.regionInfo = box
        first.data = regionData
        var second = Region()
        second.regionInfo = outline
        second.value = -0.0
        second.trackID = "track"

        var frame = Frame()
        var frameInfo = FrameInfo()
        frameInfo.time = .max
        frameInfo.number = 7
        frame.frameInfo = frameInfo
        frame.data = regionData

        var embedding = Embedding()
        embedding.vector = [1, -2.5, .infinity, 0]
        embedding.numDimensions = 4

        var data = ClarifaiData()
        data.image = Image(url: "https://samples.clarifai.com/metro-north.jpg")
        data.image?.imageInfo = ImageInfo(width: -1, height: 480)
        data.image?.hostedImageInfo["small"] = ImageInfo(width: 64, height: 48)
        data.concepts = [concept]
        data.regions = [first, second]
        data.frames = [frame]
        data.embeddings = [embedding]
        data.text = Text(raw: "a tree by the water")
        data.geo = RawMessage(bytes: [0x0a, 0x00])
        data.intValue = .min
        data.floatValue = 3.141592653589793
        data.bytesValue = [0, 1, 2, 255]

        var annotation = Annotation()
        annotation.id = "annotation-1"
        annotation.inputID = "input-1"
        annotation.data = data
        annotation.status = Status(code: .annotationPending, description: "Annotation pending")
        annotation.createdAt = Timestamp(seconds: 1_700_000_000)
        annotation.annotationInfo = ["task_id": "task-1"]
        annotation.userID = "other-user"
        annotation.inputLevel = true
        annotation.worker = Worker(.user(User(id: "labeler")))
        annotation.unknownFields = [0xb8, 0x3e, 0x01]  // field 999, varint 1
        return annotation
    }

    static var response: MultiAnnotationResponse {
        var response = MultiAnnotationResponse()
        response.status = Status(code: .success, description: "Ok")
        response.status?.reqID = "req-1"
        response.annotations = [annotation, Annotation(), annotation]
        return response
    }

    static var listRequest: ListAnnotationsRequest {
        var request = ListAnnotationsRequest()
        request.userAppID = UserAppIDSet(userID: "me", appID: "app")
        request.ids = ["a", "b"]
        request.inputIDs = ["i", "j"]
        request.statuses = [Status(code: .annotationSuccess)]
        request.listAllAnnotations = true
        request.page = 2
        request.perPage = 128
        request.userIDs = ["u"]
        request.modelVersionIDs = ["m"]
        return request
    }
}

// MARK: - Building blocks of the message vectors

// Binary vectors in the style of swift-protobuf's tests. Every expected byte string was
// produced by the official implementation — clarifai-grpc 12.6.0's Python classes on
// protobuf 7.36 (upb) — never by this package's encoder; the comment above each vector is
// the Python expression that built it (`r` = resources_pb2, `s` = service_pb2,
// `st` = status_pb2, `sc` = status_code_pb2; maps serialized with deterministic=True, which
// sorts keys, so the Swift builders insert keys in sorted order).

let sampleTimestamp = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)

let sampleHosted = make { (h: inout HostedURL) in
    h.prefix = "https://s3.amazonaws.com/clarifai-api/img3/prod"
    h.suffix = "abc/123"
    h.sizes = ["orig", "tiny", "small", "large"]
    h.crossorigin = "use-credentials"
}

let sampleImageInfo = make { (i: inout ImageInfo) in
    i.width = 640
    i.height = 480
    i.format = "JPEG"
    i.colorMode = "RGB"
    i.mode = "RGB"
}

let sampleApp = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")

let sampleStatus = make { (s: inout Status) in
    s.code = .success
    s.description = "Ok"
    s.reqID = "req-1"
}

func dataWith(_ concepts: Concept...) -> ClarifaiData {
    make { (d: inout ClarifaiData) in d.concepts = concepts }
}

func pointWith(_ row: Float, _ col: Float, _ visibility: Point.Visibility = .notSet) -> Point {
    var p = Point(row: row, col: col)
    p.visibility = visibility
    return p
}

func hostedWith(prefix: String = "", suffix: String = "", sizes: [String] = []) -> HostedURL {
    make { (h: inout HostedURL) in
        h.prefix = prefix
        h.suffix = suffix
        h.sizes = sizes
    }
}

func rangeWith<R: TextRange>(_ start: UInt32, _ end: UInt32, _ text: String) -> R {
    make { (r: inout R) in
        r.charStart = start
        r.charEnd = end
        r.rawText = text
    }
}

func annotationWith(id: String = "", inputID: String = "") -> Annotation {
    make { (a: inout Annotation) in
        a.id = id
        a.inputID = inputID
    }
}

/// `depth` nested messages, ListValue{values: Value{list_value: ListValue{…}}} from the inside
/// out, exactly as vectors.py builds them to find the official limit (100 decodes, 101 fails).
func nestedLists(_ depth: Int) -> [UInt8] {
    var inner: [UInt8] = []
    for level in 0..<depth {
        let tag: UInt8 = level % 2 == 0 ? 0x32 : 0x0a  // Value.list_value : ListValue.values
        var length = inner.count
        var prefix: [UInt8] = [tag]
        while length >= 0x80 {
            prefix.append(UInt8(length & 0x7f) | 0x80)
            length >>= 7
        }
        prefix.append(UInt8(length))
        inner = prefix + inner
    }
    return inner
}
