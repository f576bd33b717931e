import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct GetDeleteTests {
    static func get(_ store: AnnotationStore, _ id: String, _ input: String) -> SingleAnnotationResponse {
        var request = GetAnnotationRequest()
        request.userAppID = Fixture.app
        request.annotationID = id
        request.inputID = input
        return store.get(request, auth: Fixture.auth)
    }

    static func deleteOne(_ store: AnnotationStore, _ id: String, _ input: String) -> BaseResponse {
        var request = DeleteAnnotationRequest()
        request.userAppID = Fixture.app
        request.annotationID = id
        request.inputID = input
        return store.delete(request, auth: Fixture.auth)
    }

    static func deleteMany(_ store: AnnotationStore, ids: [String] = [], inputIDs: [String]) -> BaseResponse {
        var request = DeleteAnnotationsRequest()
        request.userAppID = Fixture.app
        request.ids = ids
        request.inputIDs = inputIDs
        return store.delete(request, auth: Fixture.auth)
    }

    @Test func getByInputAndAnnotationID() {
        let store = AnnotationStore()
        let stored = store.mustPost([Fixture.annotation(input: "in", id: "a", concepts: [("tree", 1)])])
        let found = Self.get(store, "a", "in")
        #expect(found.status?.code == .success)
        #expect(found.annotation == stored.first)
    }

    @Test func getMissingDoesNotExist() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in", id: "a")])
        expectFailure(Self.get(store, "b", "in").status, .connDoesNotExist, mentioning: ["'b'", "'in'"])
        expectFailure(Self.get(store, "a", "other").status, .connDoesNotExist, mentioning: ["'a'", "'other'"])
        #expect(Self.get(store, "b", "in").annotation == nil)
        expectFailure(Self.get(store, "", "in").status, .connInvalidRequest, mentioning: ["annotation_id"])
        expectFailure(Self.get(store, "a", "").status, .connInvalidRequest, mentioning: ["input_id"])
    }

    @Test func getFindsModelCreatedAndInputLevelAnnotations() {
        let store = AnnotationStore()
        var model = Fixture.annotation(input: "in", id: "m")
        model.modelVersionID = "mv"
        var level = Fixture.annotation(input: "in", id: "l")
        level.inputLevel = true
        store.load([model, level], app: Fixture.app)
        #expect(Self.get(store, "m", "in").annotation == model)
        #expect(Self.get(store, "l", "in").annotation == level)
    }

    @Test func deleteOne() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in", id: "a"), Fixture.annotation(input: "in", id: "b")])
        #expect(Self.deleteOne(store, "a", "in").status?.code == .success)
        #expect(store.listIDs() == ["b"])
        expectFailure(Self.deleteOne(store, "a", "in").status, .connDoesNotExist, mentioning: ["'a'"])
        expectFailure(Self.deleteOne(store, "b", "other").status, .connDoesNotExist)
        #expect(store.listIDs() == ["b"], "the wrong input deletes nothing")
        expectFailure(Self.deleteOne(store, "", "in").status, .connInvalidRequest, mentioning: ["annotation_id"])
    }

    @Test func deleteOneTakesInputLevelAnnotationsToo() {
        let store = AnnotationStore()
        var level = Fixture.annotation(input: "in", id: "l")
        level.inputLevel = true
        store.load([level], app: Fixture.app)
        #expect(Self.deleteOne(store, "l", "in").status?.code == .success)
        #expect(store.count(app: Fixture.app) == 0)
    }

    @Test func bulkDeleteByPairs() {
        let store = AnnotationStore()
        store.mustPost([
            Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "y", id: "2"),
            Fixture.annotation(input: "x", id: "3"), Fixture.annotation(input: "y", id: "4"),
        ])
        #expect(Self.deleteMany(store, ids: ["1", "4"], inputIDs: ["x", "y"]).status?.code == .success)
        #expect(store.listIDs() == ["2", "3"])
        // Pairwise: id 2 belongs to y, not x, so nothing goes; and a repeat is harmless.
        #expect(Self.deleteMany(store, ids: ["2", "1"], inputIDs: ["x", "x"]).status?.code == .success)
        #expect(store.listIDs() == ["2", "3"])
    }

    @Test func bulkDeleteWithUnequalCountsIsInvalid() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "x", id: "2")])
        expectFailure(
            Self.deleteMany(store, ids: ["1", "2"], inputIDs: ["x"]).status, .connInvalidRequest,
            mentioning: ["2 ids but 1 input_ids"])
        expectFailure(Self.deleteMany(store, ids: ["1"], inputIDs: []).status, .connInvalidRequest)
        expectFailure(
            Self.deleteMany(store, inputIDs: []).status, .connInvalidRequest, mentioning: ["nothing to delete"])
        expectFailure(
            Self.deleteMany(store, inputIDs: ["x", ""]).status, .connInvalidRequest, mentioning: ["input_ids[1]"])
        #expect(store.listIDs() == ["1", "2"])
    }

    /// "This will delete all annotations for these input(s) EXCEPT input level annotations,
    /// which only get deleted if you delete the inputs themselves."
    @Test func bulkDeleteByInputIDsKeepsInputLevelAnnotations() {
        let store = AnnotationStore()
        var levelX = Fixture.annotation(input: "x", id: "x-level")
        levelX.inputLevel = true
        var levelY = Fixture.annotation(input: "y", id: "y-level")
        levelY.inputLevel = true
        var model = Fixture.annotation(input: "x", id: "x-model")
        model.modelVersionID = "mv"
        store.load([levelX, levelY, model], app: Fixture.app)
        store.mustPost([
            Fixture.annotation(input: "x", id: "x1"), Fixture.annotation(input: "y", id: "y1"),
            Fixture.annotation(input: "z", id: "z1"),
        ])
        #expect(Self.deleteMany(store, inputIDs: ["x", "y"]).status?.code == .success)
        #expect(store.annotations(app: Fixture.app).map(\.id) == ["x-level", "y-level", "z1"])
        #expect(
            Self.deleteMany(store, inputIDs: ["x"]).status?.code == .success,
            "again: nothing left to delete, still SUCCESS")
        #expect(store.annotations(app: Fixture.app).map(\.id) == ["x-level", "y-level", "z1"])
    }

    @Test func deletedIdsCanBeUsedAgain() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "x", id: "2")])
        #expect(Self.deleteOne(store, "1", "x").status?.code == .success)
        store.mustPost([Fixture.annotation(input: "y", id: "1")])
        #expect(store.listIDs() == ["2", "1"], "a new annotation is the newest")
        #expect(store.listIDs { $0.inputIDs = ["x"] } == ["2"])
    }
}
