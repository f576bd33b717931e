import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct ListTests {
    /// A store with `count` annotations `a0`, `a1`, … on inputs `in0`, `in1`, … (posted one
    /// call at a time, in that order).
    static func store(count: Int) -> AnnotationStore {
        let store = AnnotationStore()
        for index in 0..<count { store.mustPost([Fixture.annotation(input: "in\(index)", id: "a\(index)")]) }
        return store
    }

    @Test func oldestFirstWithADefaultPageOf20() {
        let store = Self.store(count: 25)
        #expect(store.listIDs() == (0..<20).map { "a\($0)" })
        #expect(store.listIDs { $0.page = 2 } == (20..<25).map { "a\($0)" })
    }

    @Test func page0IsPage1AndPerPage0Is20() {
        let store = Self.store(count: 25)
        #expect(
            store.listIDs {
                $0.page = 0
                $0.perPage = 0
            } == (0..<20).map { "a\($0)" })
    }

    @Test func perPage1WalksOneAtATime() {
        let store = Self.store(count: 3)
        #expect(store.listIDs { $0.perPage = 1 } == ["a0"])
        #expect(
            store.listIDs {
                $0.perPage = 1
                $0.page = 2
            } == ["a1"])
        #expect(
            store.listIDs {
                $0.perPage = 1
                $0.page = 3
            } == ["a2"])
        #expect(
            store.listIDs {
                $0.perPage = 1
                $0.page = 4
            } == [])
    }

    @Test func perPage1000AndTheCap() {
        let store = AnnotationStore()
        for batch in 0..<9 {
            store.mustPost((0..<128).map { Fixture.annotation(input: "in", id: "b\(batch)-\($0)") })
        }  // 1152 annotations
        let all = store.annotations(app: Fixture.app).map(\.id)
        #expect(all.count == 1152)
        #expect(store.listIDs { $0.perPage = 1000 } == Array(all[0..<1000]))
        #expect(
            store.listIDs {
                $0.perPage = 1000
                $0.page = 2
            } == Array(all[1000...]))
        #expect(store.listIDs { $0.perPage = 5000 }.count == 1000, "per_page over 1000 is capped at 1000")
        #expect(
            store.listIDs {
                $0.perPage = .max
                $0.page = .max
            } == [], "no overflow")
    }

    @Test func aPagePastTheEndIsEmptyWithSuccess() {
        let store = Self.store(count: 5)
        let response = store.list(Fixture.list { $0.page = 2 }, auth: Fixture.auth)
        #expect(response.status?.code == .success)
        #expect(response.annotations.isEmpty)
        #expect(store.listIDs { $0.page = 1000 } == [])
        #expect(AnnotationStore().listIDs() == [], "an app never used lists nothing")
    }

    @Test func orderFollowsCreationNotIds() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "i", id: "z"), Fixture.annotation(input: "i", id: "a")])
        store.mustPost([Fixture.annotation(input: "i", id: "m")])
        #expect(store.listIDs() == ["z", "a", "m"])
        let stamps = store.list(Fixture.list(), auth: Fixture.auth).annotations.compactMap(\.createdAt)
        #expect(stamps == stamps.sorted())
    }

    @Test func byInputIDs() {
        let store = AnnotationStore()
        store.mustPost([
            Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "y", id: "2"),
            Fixture.annotation(input: "x", id: "3"), Fixture.annotation(input: "z", id: "4"),
        ])
        #expect(store.listIDs { $0.inputIDs = ["x"] } == ["1", "3"])
        #expect(store.listIDs { $0.inputIDs = ["z", "x"] } == ["1", "3", "4"], "oldest first across inputs")
        #expect(store.listIDs { $0.inputIDs = ["x", "x"] } == ["1", "3"], "no duplicates")
        #expect(
            store.listIDs {
                $0.inputIDs = ["x", "z"]
                $0.perPage = 2
                $0.page = 2
            } == ["4"])
        #expect(store.listIDs { $0.inputIDs = ["nope"] } == [])
    }

    @Test func idsArePairedWithInputIDs() {
        let store = AnnotationStore()
        store.mustPost([
            Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "y", id: "2"),
            Fixture.annotation(input: "x", id: "3"),
        ])
        #expect(
            store.listIDs {
                $0.ids = ["3", "1"]
                $0.inputIDs = ["x", "x"]
            } == ["1", "3"])
        #expect(
            store.listIDs {
                $0.ids = ["1", "2"]
                $0.inputIDs = ["y", "x"]
            } == [], "pairwise, not any id of any input")
        #expect(
            store.listIDs {
                $0.ids = ["2", "missing"]
                $0.inputIDs = ["y", "x"]
            } == ["2"])
    }

    @Test func idsWithoutInputIDsOrOfAnotherLengthAreInvalid() {
        let store = Self.store(count: 2)
        let without = store.list(Fixture.list { $0.ids = ["a0"] }, auth: Fixture.auth)
        expectFailure(without.status, .connInvalidRequest, mentioning: ["input_ids"])
        let unequal = store.list(
            Fixture.list {
                $0.ids = ["a0", "a1"]
                $0.inputIDs = ["in0"]
            }, auth: Fixture.auth)
        expectFailure(unequal.status, .connInvalidRequest, mentioning: ["2 ids but 1 input_ids"])
    }

    @Test func byUserIDsStatusesAndTask() {
        let store = AnnotationStore()
        var pending = Fixture.annotation(input: "i", id: "p")
        pending.userID = "labeler"
        pending.status = Status(code: .annotationPending)
        var task = Fixture.annotation(input: "i", id: "t")
        task.annotationInfo = ["task_id": "task-1"]
        var taskField = Fixture.annotation(input: "i", id: "tf")
        taskField.taskID = "task-1"
        store.mustPost([Fixture.annotation(input: "i", id: "o"), pending, task, taskField])
        #expect(store.listIDs { $0.userIDs = ["labeler"] } == ["p"])
        #expect(store.listIDs { $0.userIDs = ["owner", "labeler"] } == ["o", "p", "t", "tf"])
        #expect(store.listIDs { $0.userIDs = ["nobody"] } == [])
        #expect(store.listIDs { $0.statuses = [Status(code: .annotationPending)] } == ["p"])
        #expect(store.listIDs { $0.statuses = [Status(code: .annotationSuccess)] } == ["o", "t", "tf"])
        #expect(store.listIDs { $0.taskID = "task-1" } == ["t", "tf"])
        #expect(
            store.listIDs {
                $0.taskID = "task-1"
                $0.userIDs = ["labeler"]
            } == [], "filters combine with AND")
    }

    /// Model-created annotations (with a model_version_id) only with list_all_annotations,
    /// model_version_ids or ids; embed_model_version_id does not make one model-created;
    /// input-level annotations are listed.
    @Test func modelCreatedAnnotationsAndListAll() {
        let store = AnnotationStore()
        var model = Fixture.annotation(input: "i", id: "model")
        model.modelVersionID = "mv1"
        var other = Fixture.annotation(input: "i", id: "model2")
        other.modelVersionID = "mv2"
        var embedded = Fixture.annotation(input: "i", id: "user-embed")
        embedded.embedModelVersionID = "emb"
        var inputLevel = Fixture.annotation(input: "i", id: "input-level")
        inputLevel.inputLevel = true
        store.load([Fixture.annotation(input: "i", id: "user"), model, embedded, inputLevel, other], app: Fixture.app)
        #expect(store.listIDs() == ["user", "user-embed", "input-level"])
        #expect(store.listIDs { $0.inputIDs = ["i"] } == ["user", "user-embed", "input-level"])
        #expect(
            store.listIDs { $0.listAllAnnotations = true } == ["user", "model", "user-embed", "input-level", "model2"])
        #expect(store.listIDs { $0.modelVersionIDs = ["mv1"] } == ["model"])
        #expect(
            store.listIDs {
                $0.modelVersionIDs = ["mv2", "mv1"]
                $0.listAllAnnotations = true
            } == ["model", "model2"])
        #expect(
            store.listIDs {
                $0.ids = ["model"]
                $0.inputIDs = ["i"]
            } == ["model"], "ids match model-created ones too")
    }
}
