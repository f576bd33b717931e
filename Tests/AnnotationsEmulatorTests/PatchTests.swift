import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct PatchTests {
    static let box = BoundingBox(topRow: 0.1, leftCol: 0.1, bottomRow: 0.4, rightCol: 0.4)

    /// A store holding annotation `a` of input `in`: concepts tree=1, water=0 and region `r1`
    /// (a box, with concept bike=1).
    static func store() -> AnnotationStore {
        let store = AnnotationStore()
        store.mustPost([
            Fixture.annotation(
                input: "in", id: "a", concepts: [("tree", 1), ("water", 0)],
                regions: [Fixture.region(id: "r1", box: box, concepts: [("bike", 1)])]
            )
        ])
        return store
    }

    static func patched(_ store: AnnotationStore, _ action: String, _ patch: Annotation, deleteIfEmpty: Bool = false)
        -> Annotation?
    {
        let response = store.patch(Fixture.patch(action, [patch], deleteIfEmpty: deleteIfEmpty), auth: Fixture.auth)
        #expect(response.status?.code == .success, "\(response.status?.description ?? "")")
        return response.annotations.first
    }

    static func concepts(_ concepts: [Concept]?) -> [String: Float] {
        Dictionary((concepts ?? []).map { ($0.id, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test func mergeAddsConceptsAndReplacesValues() throws {
        let store = Self.store()
        let before = try #require(store.stored("a", input: "in"))
        let result = Self.patched(
            store, "merge", Fixture.annotation(input: "in", id: "a", concepts: [("apple", 1), ("water", 1)]))
        let after = try #require(store.stored("a", input: "in"))
        #expect(result == after)
        #expect(after.data?.concepts.map(\.id) == ["tree", "water", "apple"])
        #expect(Self.concepts(after.data?.concepts) == ["tree": 1, "water": 1, "apple": 1])
        #expect(after.data?.regions == before.data?.regions, "regions untouched")
        #expect(after.createdAt == before.createdAt)
        #expect(try #require(after.modifiedAt) > (try #require(before.modifiedAt)))
    }

    @Test func mergeIntoAnExistingRegionByID() throws {
        let store = Self.store()
        let patch = Fixture.annotation(
            input: "in", id: "a", regions: [Fixture.region(id: "r1", concepts: [("apple", 1), ("bike", 0)])])
        _ = Self.patched(store, "merge", patch)
        let after = try #require(store.stored("a", input: "in"))
        try #require(after.data?.regions.count == 1)
        let region = try #require(after.data?.regions.first)
        #expect(region.id == "r1")
        #expect(region.regionInfo?.boundingBox == Self.box, "coordinates kept when the patch gives none")
        #expect(region.data?.concepts.map(\.id) == ["bike", "apple"])
        #expect(Self.concepts(region.data?.concepts) == ["bike": 0, "apple": 1])
        #expect(
            Self.concepts(after.data?.concepts) == ["tree": 1, "water": 0], "the annotation's own concepts untouched")
    }

    @Test func mergeUpdatesRegionCoordinates() throws {
        let store = Self.store()
        let moved = BoundingBox(topRow: 0.5, leftCol: 0.5, bottomRow: 0.8, rightCol: 0.8)
        _ = Self.patched(
            store, "merge", Fixture.annotation(input: "in", id: "a", regions: [Fixture.region(id: "r1", box: moved)]))
        let regions = try #require(store.stored("a", input: "in")?.data?.regions)
        #expect(regions.count == 1)
        #expect(regions[0].id == "r1")
        #expect(regions[0].regionInfo?.boundingBox == moved)
        #expect(Self.concepts(regions[0].data?.concepts) == ["bike": 1], "concepts kept")
    }

    /// "Each annotation should contain at most one region": a patch that holds two is refused,
    /// and nothing changes.
    @Test func aPatchHoldsOneRegionPerAnnotation() throws {
        let store = Self.store()
        let before = try #require(store.stored("a", input: "in"))
        let two = Fixture.annotation(
            input: "in", id: "a", regions: [Fixture.region(id: "r1", box: Self.box), Fixture.region(id: "r9")])
        expectFailure(
            store.patch(Fixture.patch("overwrite", [two]), auth: Fixture.auth).status, .annotationInvalidArgument,
            mentioning: ["2 regions"])
        #expect(store.stored("a", input: "in") == before)
    }

    @Test func mergeRefusesCoordinatesOutsideTheUnitInterval() throws {
        let store = Self.store()
        let before = try #require(store.stored("a", input: "in"))
        let patch = Fixture.annotation(
            input: "in", id: "a",
            regions: [
                Fixture.region(id: "r1", box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 1.5, rightCol: 1))
            ])
        let response = store.patch(Fixture.patch("merge", [patch]), auth: Fixture.auth)
        expectFailure(
            response.status, .annotationInvalidArgument, mentioning: ["annotations[0].data.regions[0]", "bottom_row"])
        #expect(store.stored("a", input: "in") == before)
    }

    /// Only the patch's own coordinates are checked: a fixture stored verbatim with odd
    /// coordinates can still get concepts merged.
    @Test func onlyThePatchsCoordinatesAreChecked() throws {
        let store = AnnotationStore()
        let odd = Fixture.annotation(
            input: "in", id: "a",
            regions: [
                Fixture.region(id: "r1", box: BoundingBox(topRow: 0, leftCol: 0, bottomRow: 1.2, rightCol: 1))
            ])
        store.load([odd], app: Fixture.app)
        _ = Self.patched(store, "merge", Fixture.annotation(input: "in", id: "a", concepts: [("tree", 1)]))
        #expect(store.stored("a", input: "in")?.data?.concepts.map(\.id) == ["tree"])
    }

    @Test func overwriteReplacesTheData() throws {
        let store = Self.store()
        let moved = BoundingBox(topRow: 0.5, leftCol: 0.5, bottomRow: 0.8, rightCol: 0.8)
        let patch = Fixture.annotation(
            input: "in", id: "a", regions: [Fixture.region(box: moved, concepts: [("bike", 1)])])
        _ = Self.patched(store, "overwrite", patch)
        let after = try #require(store.stored("a", input: "in"))
        #expect(after.data?.concepts.isEmpty == true, "what the patch does not repeat is gone")
        let regions = try #require(after.data?.regions)
        #expect(regions.count == 1)
        #expect(regions[0].regionInfo?.boundingBox == moved)
        #expect(Fixture.isHex32(regions[0].id))
        #expect(after.status?.code == .annotationSuccess, "status untouched")
    }

    @Test func removeConcepts() throws {
        let store = Self.store()
        _ = Self.patched(
            store, "remove", Fixture.annotation(input: "in", id: "a", concepts: [("water", 0), ("absent", 1)]))
        let after = try #require(store.stored("a", input: "in"))
        #expect(after.data?.concepts.map(\.id) == ["tree"])
        #expect(after.data?.regions.count == 1)
    }

    @Test func removeARegionsConcepts() throws {
        let store = AnnotationStore()
        store.mustPost([
            Fixture.annotation(
                input: "in", id: "a",
                regions: [
                    Fixture.region(id: "r1", box: Self.box, concepts: [("bike", 1), ("car", 1)])
                ])
        ])
        _ = Self.patched(
            store, "remove",
            Fixture.annotation(input: "in", id: "a", regions: [Fixture.region(id: "r1", concepts: [("car", 1)])]))
        let regions = try #require(store.stored("a", input: "in")?.data?.regions)
        #expect(regions.count == 1, "the region stays")
        #expect(regions[0].data?.concepts.map(\.id) == ["bike"])
        #expect(regions[0].regionInfo?.boundingBox == Self.box)
    }

    @Test func removeAWholeRegion() throws {
        // Two regions in one annotation (data from before the one-region rule), loaded as they are.
        let store = AnnotationStore()
        store.load(
            [
                Fixture.annotation(
                    input: "in", id: "a", concepts: [("tree", 1)],
                    regions: [
                        Fixture.region(id: "r1", box: Self.box, concepts: [("bike", 1)]),
                        Fixture.region(id: "r2", box: Self.box, concepts: [("car", 1)]),
                    ])
            ], app: Fixture.app)
        _ = Self.patched(
            store, "remove",
            Fixture.annotation(input: "in", id: "a", regions: [Fixture.region(id: "r1"), Fixture.region(id: "r7")]))
        let after = try #require(store.stored("a", input: "in"))
        #expect(after.data?.regions.map(\.id) == ["r2"])
        #expect(after.data?.concepts.map(\.id) == ["tree"])
    }

    @Test func removeNeedsRegionIDs() {
        let store = Self.store()
        let response = store.patch(
            Fixture.patch(
                "remove", [Fixture.annotation(input: "in", id: "a", regions: [Fixture.region(box: Self.box)])]),
            auth: Fixture.auth)
        expectFailure(response.status, .annotationInvalidArgument, mentioning: ["annotations[0].data.regions[0].id"])
    }

    @Test func deleteIfEmptyData() throws {
        let store = Self.store()
        // Not empty yet: kept.
        _ = Self.patched(
            store, "remove", Fixture.annotation(input: "in", id: "a", concepts: [("tree", 1)]), deleteIfEmpty: true)
        #expect(store.stored("a", input: "in") != nil)
        // Empty now: deleted, but answered.
        let last = Self.patched(
            store, "remove",
            Fixture.annotation(input: "in", id: "a", concepts: [("water", 0)], regions: [Fixture.region(id: "r1")]),
            deleteIfEmpty: true
        )
        #expect(last?.id == "a")
        #expect(last?.data?.isEmpty ?? true)
        #expect(store.stored("a", input: "in") == nil)
        #expect(store.listIDs() == [])
    }

    @Test func emptyDataWithoutTheFlagIsKept() {
        let store = Self.store()
        _ = Self.patched(
            store, "remove",
            Fixture.annotation(
                input: "in", id: "a", concepts: [("tree", 1), ("water", 0)], regions: [Fixture.region(id: "r1")]))
        #expect(store.stored("a", input: "in") != nil)
    }

    @Test func statusChanges() throws {
        let store = AnnotationStore()
        var pending = Fixture.annotation(input: "in", id: "a")
        pending.status = Status(code: .annotationPending)
        pending.userID = "labeler"
        store.mustPost([pending])
        var patch = Fixture.annotation(input: "in", id: "a")
        patch.status = Status(code: .annotationSuccess)
        let result = Self.patched(store, "merge", patch)
        #expect(result?.status?.code == .annotationSuccess)
        #expect(result?.status?.description == "Annotation success")
        #expect(store.stored("a", input: "in")?.status?.code == .annotationSuccess)
        #expect(store.stored("a", input: "in")?.userID == "labeler", "the owner does not change")
        #expect(store.listIDs { $0.statuses = [Status(code: .annotationPending)] } == [])
    }

    @Test func annotationInfoMergesOverwritesAndRemoves() throws {
        let store = AnnotationStore()
        var first = Fixture.annotation(input: "in", id: "a")
        first.annotationInfo = ["task_id": "t1", "note": "x"]
        store.mustPost([first])
        var patch = Fixture.annotation(input: "in", id: "a")
        patch.annotationInfo = ["note": "y", "extra": true]
        _ = Self.patched(store, "merge", patch)
        #expect(store.stored("a", input: "in")?.annotationInfo == ["task_id": "t1", "note": "y", "extra": true])
        patch.annotationInfo = ["extra": true]
        _ = Self.patched(store, "remove", patch)
        #expect(store.stored("a", input: "in")?.annotationInfo == ["task_id": "t1", "note": "y"])
        patch.annotationInfo = ["only": 1]
        _ = Self.patched(store, "overwrite", patch)
        #expect(store.stored("a", input: "in")?.annotationInfo == ["only": 1])
    }

    @Test(arguments: ["", "append", "delete"])
    func unknownActionsAreInvalid(action: String) throws {
        let store = Self.store()
        let before = try #require(store.stored("a", input: "in"))
        let response = store.patch(
            Fixture.patch(action, [Fixture.annotation(input: "in", id: "a", concepts: [("x", 1)])]), auth: Fixture.auth)
        expectFailure(response.status, .connInvalidRequest, mentioning: ["merge, overwrite, remove", "action"])
        #expect(store.stored("a", input: "in") == before)
    }

    @Test func actionsAreCaseInsensitive() {
        let store = Self.store()
        _ = Self.patched(store, "MERGE", Fixture.annotation(input: "in", id: "a", concepts: [("x", 1)]))
    }

    @Test func aMissingAnnotationDoesNotExistPerItem() {
        let store = Self.store()
        let response = store.patch(
            Fixture.patch(
                "merge",
                [
                    Fixture.annotation(input: "in", id: "a", concepts: [("apple", 1)]),
                    Fixture.annotation(input: "in", id: "missing", concepts: [("apple", 1)]),
                    Fixture.annotation(input: "other", id: "a", concepts: [("pear", 1)]),
                ]), auth: Fixture.auth)
        expectFailure(response.status, .mixedStatus, mentioning: ["2 of 3"])
        #expect(
            response.annotations.map { $0.status?.code } == [.annotationSuccess, .connDoesNotExist, .connDoesNotExist])
        #expect(response.annotations[1].status?.description.contains("missing") == true)
        #expect(store.stored("a", input: "in")?.data?.concepts.map(\.id) == ["tree", "water", "apple"])
        let alone = store.patch(
            Fixture.patch("merge", [Fixture.annotation(input: "in", id: "missing")]), auth: Fixture.auth)
        expectFailure(alone.status, .connDoesNotExist, mentioning: ["missing", "in"])
    }

    @Test func idAndInputIDAreRequired() {
        let store = Self.store()
        let response = store.patch(
            Fixture.patch("merge", [Fixture.annotation(input: "in"), Fixture.annotation(input: "", id: "a")]),
            auth: Fixture.auth)
        #expect(
            response.annotations.map { $0.status?.code } == [.annotationInvalidArgument, .annotationInvalidArgument])
        #expect(response.annotations[0].status?.description.contains("annotations[0].id") == true)
        #expect(response.annotations[1].status?.description.contains("annotations[1].input_id") == true)
    }

    @Test func countLimits() {
        let store = Self.store()
        expectFailure(
            store.patch(Fixture.patch("merge", []), auth: Fixture.auth).status, .connInvalidRequest, mentioning: ["128"]
        )
        let many = (0..<129).map { _ in Fixture.annotation(input: "in", id: "a", concepts: [("x", 1)]) }
        expectFailure(
            store.patch(Fixture.patch("merge", many), auth: Fixture.auth).status, .connInvalidRequest,
            mentioning: ["129"])
        #expect(store.stored("a", input: "in")?.data?.concepts.count == 2)
    }

    @Test func patchesApplyInOrderWithinOneCall() {
        let store = Self.store()
        let response = store.patch(
            Fixture.patch(
                "merge",
                [
                    Fixture.annotation(input: "in", id: "a", concepts: [("x", 1)]),
                    Fixture.annotation(input: "in", id: "a", concepts: [("x", 0)]),
                ]), auth: Fixture.auth)
        #expect(response.status?.code == .success)
        #expect(Self.concepts(store.stored("a", input: "in")?.data?.concepts)["x"] == 0)
    }
}
