import ProtoWire

/// A video input's frame annotations, shared by the stream tests: each one region on a track,
/// stored out of order.
enum VideoFixture {
    /// An annotation of frame `number` of input `video-1`: one region on `track`, a box (or a
    /// point), with a concept scored `score` when given.
    static func frame(
        _ id: String, number: UInt32, time: UInt64, track: String, point: Bool = false, score: Double? = nil
    ) -> Annotation {
        var info = RegionInfo()
        if point {
            info.point = Point(row: 0.5, col: 0.5)
        } else {
            info.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0.1, bottomRow: 0.5, rightCol: 0.5)
        }
        var concept = Concept(id: "car")
        if let score { concept.metadata = ["prediction_score": .init(floatLiteral: score)] }
        var region = Region()
        region.id = "r-\(id)"
        region.trackID = track
        region.regionInfo = info
        region.data = ClarifaiData()
        region.data?.concepts = [concept]
        var frame = Frame()
        frame.frameInfo = FrameInfo()
        frame.frameInfo?.number = number
        frame.frameInfo?.time = time
        frame.data = ClarifaiData()
        frame.data?.regions = [region]
        var annotation = Annotation()
        annotation.id = id
        annotation.inputID = "video-1"
        annotation.userID = "labeler"
        annotation.data = ClarifaiData()
        annotation.data?.frames = [frame]
        return annotation
    }

    /// Stored out of order: the stream orders them by frame, then time, then storage.
    static let video = [
        frame("f3a", number: 3, time: 100, track: "t1", score: 0.9),
        frame("f1a", number: 1, time: 33, track: "t1", score: 0.2),
        frame("f3b", number: 3, time: 100, track: "t2", point: true),
        frame("f2a", number: 2, time: 66, track: "t2", score: 0.6),
        frame("f9a", number: 9, time: 300, track: "t1"),
    ]
}
