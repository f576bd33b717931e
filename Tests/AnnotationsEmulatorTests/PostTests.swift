import Foundation
import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct PostTests {
    @Test func storedAnnotationsGetIdsTimestampsStatusAndUser() throws {
        let store = AnnotationStore()
        let stored = store.mustPost([
            Fixture.annotation(input: "in1", concepts: [("tree", 1), ("water", 0)]),
            Fixture.annotation(input: "in2", id: "mine"),
        ])
        try #require(stored.count == 2)
        #expect(Fixture.isHex32(stored[0].id))
        #expect(stored[1].id == "mine")
        for annotation in stored {
            #expect(annotation.createdAt != nil)
            #expect(annotation.modifiedAt == annotation.createdAt)
            #expect(annotation.status?.code == .annotationSuccess)
            #expect(annotation.status?.description.isEmpty == false)
            #expect(annotation.userID == "owner", "the app's user by default")
        }
        #expect(
            try #require(stored[0].createdAt) < (try #require(stored[1].createdAt)), "created_at strictly increases")
        #expect(stored[0].data?.concepts.map(\.value) == [1, 0])
        #expect(store.stored(stored[0].id, input: "in1") == stored[0])
    }

    /// The API writes timestamps in microseconds (`"2026-12-02T07:00:00.123456Z"`); so does the
    /// emulator, still strictly increasing when many annotations arrive in one microsecond.
    @Test func timestampsAreWholeMicrosecondsAndStrictlyIncrease() throws {
        let store = AnnotationStore()
        let stored = store.mustPost((0..<128).map { Fixture.annotation(input: "in\($0)") })
        let times = try stored.map { try #require($0.createdAt) }
        #expect(times.allSatisfy { $0.nanos % 1000 == 0 }, "\(times.map(\.nanos).prefix(5))")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let json = try #require(stored.first).jsonString()
        #expect(
            json.range(of: #""createdAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z""#, options: .regularExpression)
                != nil
                || json.range(
                    of: #""created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z""#, options: .regularExpression)
                    != nil,
            "\(json)")
    }

    @Test func aRequestedStatusAndUserAreKept() {
        let store = AnnotationStore()
        var annotation = Fixture.annotation(input: "in1")
        annotation.userID = "labeler"
        annotation.status = Status(code: .annotationPending)
        let stored = store.mustPost([annotation])
        #expect(stored.first?.status?.code == .annotationPending)
        #expect(stored.first?.status?.description == "Annotation pending")
        #expect(stored.first?.userID == "labeler")
    }

    @Test func regionsWithoutIdsGetIdsAndGivenRegionIdsAreKept() {
        let store = AnnotationStore()
        let box = BoundingBox(topRow: 0, leftCol: 0, bottomRow: 0.5, rightCol: 0.5)
        let stored = store.mustPost([
            Fixture.annotation(input: "in1", regions: [Fixture.region(box: box, concepts: [("tree", 1)])]),
            Fixture.annotation(input: "in1", regions: [Fixture.region(id: "detected", concepts: [("bike", 1)])]),
        ])
        #expect(Fixture.isHex32(stored[0].data?.regions.first?.id ?? ""))
        #expect(stored[1].data?.regions.first?.id == "detected")
    }

    @Test func modelCreatedAndInputLevelFieldsAreKept() {
        let store = AnnotationStore()
        var annotation = Fixture.annotation(input: "in1")
        annotation.modelVersionID = "mv1"
        annotation.inputLevel = true
        annotation.embedModelVersionID = "emb"
        let stored = store.mustPost([annotation])
        #expect(stored.first?.modelVersionID == "mv1")
        #expect(stored.first?.inputLevel == true)
        #expect(stored.first?.embedModelVersionID == "emb")
    }

    @Test func noAnnotationsIsAnInvalidRequest() {
        let response = AnnotationStore().post(Fixture.post([]), auth: Fixture.auth)
        expectFailure(response.status, .connInvalidRequest, mentioning: ["128", "0 annotations"])
    }

    @Test func annotations129AreRefusedAndNothingIsStored() {
        let store = AnnotationStore()
        let many = (0..<129).map { Fixture.annotation(input: "in\($0)") }
        let response = store.post(Fixture.post(many), auth: Fixture.auth)
        expectFailure(response.status, .connInvalidRequest, mentioning: ["129", "128"])
        #expect(response.annotations.isEmpty)
        #expect(store.count(app: Fixture.app) == 0)
    }

    @Test func annotations128AreAccepted() {
        let store = AnnotationStore()
        let stored = store.mustPost((0..<128).map { Fixture.annotation(input: "in\($0)") })
        #expect(stored.count == 128)
        #expect(Set(stored.map(\.id)).count == 128)
        #expect(store.count(app: Fixture.app) == 128)
    }

    @Test func inputIDIsRequired() {
        let store = AnnotationStore()
        let response = store.post(Fixture.post([Fixture.annotation(input: "")]), auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["annotations[0].input_id"])
        #expect(store.count(app: Fixture.app) == 0)
    }

    @Test(arguments: [
        (BoundingBox(topRow: -0.1, leftCol: 0, bottomRow: 0.5, rightCol: 0.5), "top_row"),
        (BoundingBox(topRow: 0, leftCol: 0, bottomRow: 1.5, rightCol: 0.5), "bottom_row"),
        (BoundingBox(topRow: 0, leftCol: .nan, bottomRow: 0.5, rightCol: 0.5), "left_col"),
        (BoundingBox(topRow: 0, leftCol: 0, bottomRow: 0.5, rightCol: 2), "right_col"),
    ])
    func boxEdgesOutsideTheUnitIntervalAreRefused(box: BoundingBox, edge: String) {
        let store = AnnotationStore()
        let annotation = Fixture.annotation(input: "in1", regions: [Fixture.region(box: box)])
        let response = store.post(Fixture.post([annotation]), auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["bounding_box.\(edge)", "[0, 1]"])
        #expect(store.count(app: Fixture.app) == 0)
    }

    /// "Each annotation should contain at most one region. If it is a video, each annotation
    /// should contain 1 frame": the others of the batch are stored (MIXED_STATUS).
    @Test func oneRegionAndOneFramePerAnnotation() throws {
        let store = AnnotationStore()
        let box = BoundingBox(topRow: 0.1, leftCol: 0.1, bottomRow: 0.2, rightCol: 0.2)
        let two = Fixture.annotation(input: "in1", regions: [Fixture.region(box: box), Fixture.region(box: box)])
        var frames = Fixture.annotation(input: "in1")
        var data = ClarifaiData()
        data.frames = [Frame(), Frame()]
        frames.data = data
        let response = store.post(Fixture.post([Fixture.annotation(input: "in1"), two, frames]), auth: Fixture.auth)
        #expect(response.status?.code == .mixedStatus)
        #expect(response.annotations[1].status?.code == .annotationInvalidArgument)
        #expect(
            response.annotations[1].status?.description.hasPrefix(
                "annotations[1].data.regions: 2 regions; each annotation should contain at most one region") == true)
        #expect(response.annotations[2].status?.code == .annotationInvalidArgument)
        #expect(
            response.annotations[2].status?.description.hasPrefix(
                "annotations[2].data.frames: 2 frames; each annotation of a video should contain 1 frame") == true)
        #expect(store.count(app: Fixture.app) == 1)
    }

    @Test func polygonAndPointCoordinatesAreChecked() {
        let store = AnnotationStore()
        var info = RegionInfo()
        info.polygon = Polygon(points: [Point(row: 0.2, col: 0.3), Point(row: 1.2, col: 0.3)])
        var region = Region()
        region.regionInfo = info
        var response = store.post(
            Fixture.post([Fixture.annotation(input: "in1", regions: [region])]), auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["polygon.points[1].row"])
        info.polygon = nil
        info.point = Point(row: 0.5, col: -1)
        region.regionInfo = info
        response = store.post(Fixture.post([Fixture.annotation(input: "in1", regions: [region])]), auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["point.col"])
        // The edges themselves are fine.
        info.point = Point(row: 0, col: 1)
        region.regionInfo = info
        store.mustPost([Fixture.annotation(input: "in1", regions: [region])])
    }

    @Test func anExistingIdAlreadyExists() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in1", id: "a1")])
        let again = store.post(Fixture.post([Fixture.annotation(input: "in1", id: "a1")]), auth: Fixture.auth)
        expectFailure(again.status, .annotationInvalidArgument, mentioning: ["already exists", "a1"])
        #expect(again.annotations.first?.status?.description.contains("already exists") == true)
        #expect(store.count(app: Fixture.app) == 1)
        // Ids are unique per app: another input cannot reuse it either.
        let otherInput = store.post(Fixture.post([Fixture.annotation(input: "in2", id: "a1")]), auth: Fixture.auth)
        expectFailure(otherInput.status, .annotationInvalidArgument, mentioning: ["already exists"])
        // …but another app can.
        store.mustPost([Fixture.annotation(input: "in1", id: "a1")], app: UserAppIDSet(userID: "owner", appID: "other"))
    }

    @Test func aDuplicateIdWithinOneRequestAlreadyExists() {
        let store = AnnotationStore()
        let response = store.post(
            Fixture.post([
                Fixture.annotation(input: "in1", id: "dup"), Fixture.annotation(input: "in1", id: "dup"),
            ]), auth: Fixture.auth)
        expectFailure(response.status, .mixedStatus, mentioning: ["already exists"])
        #expect(response.annotations.map { $0.status?.code } == [.annotationSuccess, .annotationInvalidArgument])
        #expect(store.count(app: Fixture.app) == 1)
    }

    /// Per item: the good annotations are stored, the response is MIXED_STATUS and lists every
    /// annotation in request order with its own status.
    @Test func someRefusedAnnotationsGiveMixedStatus() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in0", id: "taken")])
        let badBox = Fixture.region(box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 3, rightCol: 1))
        let response = store.post(
            Fixture.post([
                Fixture.annotation(input: "in1", id: "ok1"),
                Fixture.annotation(input: "", id: "noinput"),
                Fixture.annotation(input: "in2", id: "taken"),
                Fixture.annotation(input: "in3", regions: [badBox]),
                Fixture.annotation(input: "in4", id: "ok2"),
            ]), auth: Fixture.auth)
        expectFailure(response.status, .mixedStatus, mentioning: ["3 of 5"])
        #expect(response.annotations.count == 5)
        #expect(
            response.annotations.map { $0.status?.code } == [
                .annotationSuccess, .annotationInvalidArgument, .annotationInvalidArgument, .annotationInvalidArgument,
                .annotationSuccess,
            ])
        #expect(response.annotations[1].status?.description.contains("annotations[1].input_id") == true)
        #expect(response.annotations[2].status?.description.contains("already exists") == true)
        #expect(response.annotations[3].status?.description.contains("annotations[3].data.regions[0]") == true)
        #expect(store.listIDs() == ["taken", "ok1", "ok2"])
    }

    @Test func allRefusedWithOneCodeGiveThatCode() {
        let store = AnnotationStore()
        let response = store.post(
            Fixture.post([Fixture.annotation(input: ""), Fixture.annotation(input: "")]), auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["none of the 2"])
        #expect(response.annotations.count == 2)
    }

    @Test func appsAreSeparateAndDefaultsApply() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in1", id: "x")], app: nil)
        store.mustPost([Fixture.annotation(input: "in1", id: "y")], app: UserAppIDSet(userID: "owner", appID: "other"))
        #expect(store.listIDs(app: nil) == ["x"])
        #expect(store.listIDs(app: AnnotationStore.standardDefaultApp) == ["x"])
        #expect(
            store.listIDs(app: UserAppIDSet(userID: "me", appID: "")) == ["x"],
            "'me' and empty parts mean the default app")
        #expect(store.listIDs(app: UserAppIDSet(userID: "owner", appID: "other")) == ["y"])
        #expect(store.listIDs(app: Fixture.app).isEmpty)
        #expect(store.stored("x", input: "in1", app: AnnotationStore.standardDefaultApp)?.userID == "emulator-user")
    }

    @Test func aCustomDefaultApp() {
        let store = AnnotationStore(defaultApp: UserAppIDSet(userID: "alice", appID: ""))
        #expect(store.defaultApp == UserAppIDSet(userID: "alice", appID: "emulator-app"))
        let stored = store.mustPost([Fixture.annotation(input: "in1")], app: nil)
        #expect(stored.first?.userID == "alice")
    }

    @Test func everyResponseHasAFreshReqID() {
        let store = AnnotationStore()
        let a = store.post(Fixture.post([Fixture.annotation(input: "i")]), auth: Fixture.auth).status?.reqID ?? ""
        let b = store.list(Fixture.list(), auth: Fixture.auth).status?.reqID ?? ""
        #expect(Fixture.isHex32(a) && Fixture.isHex32(b) && a != b)
    }
}
