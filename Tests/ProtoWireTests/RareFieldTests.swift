import Testing

@testable import ProtoWire

/// Fields kept out of line (in a message's box of rarely-set fields) behave exactly like
/// inline ones: set, read, compare, encode, decode, and keep unknown fields.
@Suite struct RareFieldTests {
    /// Field 999 as a varint, which no message models.
    private let unknown: [UInt8] = [0xb8, 0x3e, 0x01]

    /// Sets one field with `set`, checks the value encodes, decodes and compares as it should,
    /// then sets it back with `reset` and checks the message is the empty one again.
    private func roundTrip<M: ProtoMessage>(
        _ type: M.Type, _ set: (inout M) -> Void, reset: (inout M) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var message = M()
        set(&message)
        #expect(message != M(), sourceLocation: sourceLocation)
        let bytes = message.serializedBytes()
        #expect(try M(serializedBytes: bytes) == message, sourceLocation: sourceLocation)
        #expect(try M(serializedBytes: bytes).serializedBytes() == bytes, sourceLocation: sourceLocation)
        var copy = message
        reset(&copy)
        #expect(copy == M(), sourceLocation: sourceLocation)  // a box of defaults is no difference
        #expect(copy.serializedBytes().isEmpty, sourceLocation: sourceLocation)
        #expect(message != copy, sourceLocation: sourceLocation)  // the copy did not write through
    }

    @Test func annotationRareFields() throws {
        try roundTrip(Annotation.self, { $0.annotationInfo = ["k": "v"] }, reset: { $0.annotationInfo = nil })
        try roundTrip(Annotation.self, { $0.embedModelVersionID = "e" }, reset: { $0.embedModelVersionID = "" })
        try roundTrip(Annotation.self, { $0.consensusInfo = [:] }, reset: { $0.consensusInfo = nil })
        try roundTrip(Annotation.self, { $0.taskID = "t" }, reset: { $0.taskID = "" })
        try roundTrip(Annotation.self, { $0.worker = Worker(.user(User(id: "x"))) }, reset: { $0.worker = nil })
        try roundTrip(Annotation.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
    }

    @Test func regionAndRegionInfoRareFields() throws {
        try roundTrip(Region.self, { $0.trackID = "t" }, reset: { $0.trackID = "" })
        try roundTrip(Region.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
        try roundTrip(RegionInfo.self, { $0.mask = Mask() }, reset: { $0.mask = nil })
        try roundTrip(RegionInfo.self, { $0.point = Point(row: 0.5, col: 0) }, reset: { $0.point = nil })
        try roundTrip(RegionInfo.self, { $0.span = Span() }, reset: { $0.span = nil })
        try roundTrip(RegionInfo.self, { $0.token = Token() }, reset: { $0.token = nil })
        try roundTrip(
            RegionInfo.self, { $0.keypointLocations.append(Point(row: 0, col: 1)) },
            reset: { $0.keypointLocations.removeAll() })
        try roundTrip(RegionInfo.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
    }

    @Test func unknownFieldsOfConceptStatusAndData() throws {
        try roundTrip(Concept.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
        try roundTrip(Status.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
        try roundTrip(ClarifaiData.self, { $0.unknownFields = unknown }, reset: { $0.unknownFields = [] })
        try roundTrip(ClarifaiData.self, { $0.frames.append(Frame()) }, reset: { $0.frames = [] })
    }

    @Test func unknownFieldsKeepTheirPlaceAmongTheRareOnes() throws {
        // Unknown fields are written last, after every known field, inline or rare, as upb does.
        var annotation = Annotation()
        annotation.id = "a"
        annotation.taskID = "t"
        annotation.unknownFields = unknown
        let bytes = annotation.serializedBytes()
        #expect(bytes == [0x0a, 0x01, 0x61, 0x9a, 0x01, 0x01, 0x74] + unknown)
        let decoded = try Annotation(serializedBytes: bytes)
        #expect(decoded.unknownFields == unknown)
        #expect(decoded.taskID == "t")
    }
}
