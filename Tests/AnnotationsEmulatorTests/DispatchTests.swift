import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct GRPCDispatchTests {
    static let key = "Key test-key"

    @Test func postThenListThroughTheWire() throws {
        let store = AnnotationStore()
        let post = store.handle(
            method: "PostAnnotations",
            requestBytes: Fixture.post([Fixture.annotation(input: "in", id: "a")]).serializedBytes(),
            authorization: Self.key
        )
        #expect(post.grpcStatus == GRPCStatusCode.ok)
        let posted = try MultiAnnotationResponse(serializedBytes: post.responseBytes)
        #expect(posted.status?.code == .success)
        #expect(posted.annotations.map(\.id) == ["a"])
        let list = store.handle(
            method: "/clarifai.api.V2/ListAnnotations", requestBytes: Fixture.list().serializedBytes(),
            authorization: Self.key)
        #expect(try MultiAnnotationResponse(serializedBytes: list.responseBytes).annotations.map(\.id) == ["a"])
    }

    @Test func everyMethodAnswersItsResponseType() throws {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in", id: "a")])
        var get = GetAnnotationRequest()
        get.userAppID = Fixture.app
        get.inputID = "in"
        get.annotationID = "a"
        let single = try SingleAnnotationResponse(
            serializedBytes: store.handle(
                method: "GetAnnotation", requestBytes: get.serializedBytes(), authorization: Self.key
            ).responseBytes)
        #expect(single.annotation?.id == "a")
        let patched = try MultiAnnotationResponse(
            serializedBytes: store.handle(
                method: "PatchAnnotations",
                requestBytes: Fixture.patch("merge", [Fixture.annotation(input: "in", id: "a", concepts: [("x", 1)])])
                    .serializedBytes(),
                authorization: Self.key
            ).responseBytes)
        #expect(patched.status?.code == .success)
        var deleteOne = DeleteAnnotationRequest()
        deleteOne.userAppID = Fixture.app
        deleteOne.inputID = "in"
        deleteOne.annotationID = "a"
        let deleted = try BaseResponse(
            serializedBytes: store.handle(
                method: "DeleteAnnotation", requestBytes: deleteOne.serializedBytes(), authorization: Self.key
            ).responseBytes)
        #expect(deleted.status?.code == .success)
        var deleteMany = DeleteAnnotationsRequest()
        deleteMany.inputIDs = ["in"]
        let bulk = try BaseResponse(
            serializedBytes: store.handle(
                method: "DeleteAnnotations", requestBytes: deleteMany.serializedBytes(), authorization: Self.key
            ).responseBytes)
        #expect(bulk.status?.code == .success)
    }

    @Test func anUnknownMethodIsUnimplemented() {
        let reply = AnnotationStore().handle(method: "PostInputs", requestBytes: [], authorization: Self.key)
        #expect(reply.grpcStatus == GRPCStatusCode.unimplemented)
        #expect(reply.grpcMessage.contains("PostInputs"))
        #expect(
            AnnotationStore().handle(
                method: "/other.Service/PostAnnotations", requestBytes: [], authorization: Self.key
            ).grpcStatus == 12)
    }

    /// The choice: an undecodable request is a Clarifai status CONN_BAD_REQUEST_FORMAT in a
    /// gRPC-OK response, its description naming the type and the problem.
    @Test func anUndecodableRequestIsBadRequestFormat() throws {
        let store = AnnotationStore()
        let reply = store.handle(method: "PostAnnotations", requestBytes: [0x12, 0x05, 0x0A], authorization: Self.key)
        #expect(reply.grpcStatus == GRPCStatusCode.ok)
        let response = try MultiAnnotationResponse(serializedBytes: reply.responseBytes)
        expectFailure(response.status, .connBadRequestFormat, mentioning: ["clarifai.api.PostAnnotationsRequest"])
        #expect(store.count(app: AnnotationStore.standardDefaultApp) == 0)
        let base = try BaseResponse(
            serializedBytes: store.handle(method: "DeleteAnnotation", requestBytes: [0xFF], authorization: Self.key)
                .responseBytes)
        expectFailure(base.status, .connBadRequestFormat)
    }

    @Test func authenticationComesFirst() throws {
        let reply = AnnotationStore().handle(method: "ListAnnotations", requestBytes: [0xFF], authorization: nil)
        #expect(reply.grpcStatus == GRPCStatusCode.ok)
        expectFailure(try MultiAnnotationResponse(serializedBytes: reply.responseBytes).status, .connKeyInvalid)
    }

    @Test func theTypedEntryRefusesAMismatchedRequest() {
        let store = AnnotationStore()
        let response = store.handle(method: "GetAnnotation", request: ListAnnotationsRequest(), authorization: Self.key)
        expectFailure(
            (response as? SingleAnnotationResponse)?.status, .connBadRequestFormat, mentioning: ["GetAnnotationRequest"]
        )
        #expect(store.handle(method: "Nope", request: ListAnnotationsRequest(), authorization: Self.key) == nil)
    }
}

@Suite struct JSONDispatchTests {
    static let key = "Key test-key"

    /// The status of any of the three response shapes.
    static func status(_ body: [UInt8]) throws -> Status? {
        if let multi = try? MultiAnnotationResponse(jsonUTF8: body) { return multi.status }
        if let single = try? SingleAnnotationResponse(jsonUTF8: body) { return single.status }
        return try BaseResponse(jsonUTF8: body).status
    }

    @Test func postWithACurlBody() throws {
        let store = AnnotationStore()
        let body = """
            {"annotations":[{"input_id":"{YOUR_INPUT_ID}","data":{"concepts":[{"id":"tree","value":1},{"id":"water","value":0}]},
              "embed_model_version_id":"{EMBED_MODEL_VERSION_ID}"}]}
            """
        let reply = store.handleJSON(method: "PostAnnotations", body: Array(body.utf8), authorization: Self.key)
        #expect(reply.httpStatus == 200)
        #expect(reply.statusCode == .success)
        let response = try MultiAnnotationResponse(jsonUTF8: reply.body)
        #expect(response.annotations.first?.data?.concepts.map(\.value) == [1, 0])
        #expect(String(decoding: reply.body, as: UTF8.self).contains("\"req_id\""))
    }

    @Test func listWithQueryParameters() throws {
        let store = AnnotationStore()
        for index in 0..<5 { store.mustPost([Fixture.annotation(input: "in\(index % 2)", id: "a\(index)")], app: nil) }
        var model = Fixture.annotation(input: "in0", id: "m")
        model.modelVersionID = "mv"
        store.load([model], app: AnnotationStore.standardDefaultApp)
        func ids(_ query: [(name: String, value: String)]) throws -> [String] {
            let reply = store.handleJSON(method: "ListAnnotations", body: [], query: query, authorization: Self.key)
            #expect(reply.httpStatus == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            return try MultiAnnotationResponse(jsonUTF8: reply.body).annotations.map(\.id)
        }
        #expect(try ids([("page", "1"), ("per_page", "2")]) == ["a0", "a1"])
        #expect(try ids([("page", "2"), ("perPage", "2")]) == ["a2", "a3"])
        #expect(try ids([("input_ids", "in1")]) == ["a1", "a3"])
        #expect(try ids([("input_ids", "in1"), ("input_ids", "in0"), ("ids", "a1"), ("ids", "a4")]) == ["a1", "a4"])
        #expect(try ids([("list_all_annotations", "true")]).contains("m"))
        #expect(try ids([("model_version_ids", "mv")]) == ["m"])
        #expect(try ids([("statuses.code", "ANNOTATION_SUCCESS"), ("per_page", "1")]) == ["a0"])
        #expect(try ids([("user_ids", "emulator-user"), ("per_page", "1")]) == ["a0"])
        #expect(try ids([("unrelated", "x")]).count == 5, "unknown parameters are ignored")
    }

    @Test func badQueryValuesAndBodiesAreBadRequestFormat() throws {
        let store = AnnotationStore()
        let page = store.handleJSON(
            method: "ListAnnotations", body: [], query: [("page", "two")], authorization: Self.key)
        #expect(page.httpStatus == 400)
        expectFailure(try Self.status(page.body), .connBadRequestFormat, mentioning: ["page", "two"])
        let flag = store.handleJSON(
            method: "ListAnnotations", body: [], query: [("list_all_annotations", "maybe")], authorization: Self.key)
        expectFailure(try Self.status(flag.body), .connBadRequestFormat, mentioning: ["list_all_annotations"])
        let broken = store.handleJSON(
            method: "PostAnnotations", body: Array("{\"annotations\": [".utf8), authorization: Self.key)
        #expect(broken.httpStatus == 400)
        expectFailure(try Self.status(broken.body), .connBadRequestFormat, mentioning: ["PostAnnotationsRequest"])
        let unknown = store.handleJSON(
            method: "PostAnnotations", body: Array("{\"annotationz\": []}".utf8), authorization: Self.key)
        expectFailure(try Self.status(unknown.body), .connBadRequestFormat, mentioning: ["annotationz"])
    }

    @Test func pathParametersNameTheAppAndTheAnnotation() throws {
        let store = AnnotationStore()
        let app = ["user_id": "u", "app_id": "a"]
        let body = Array(#"{"annotations":[{"id":"x","input_id":"in"}]}"#.utf8)
        #expect(
            store.handleJSON(method: "PostAnnotations", body: body, pathParameters: app, authorization: Self.key)
                .httpStatus == 200)
        #expect(store.count(app: UserAppIDSet(userID: "u", appID: "a")) == 1)
        var path = app
        path["input_id"] = "in"
        path["annotation_id"] = "x"
        let got = store.handleJSON(method: "GetAnnotation", body: [], pathParameters: path, authorization: Self.key)
        #expect(try SingleAnnotationResponse(jsonUTF8: got.body).annotation?.id == "x")
        let missing = store.handleJSON(
            method: "GetAnnotation", body: [], pathParameters: ["input_id": "in", "annotation_id": "x"],
            authorization: Self.key)
        #expect(missing.httpStatus == 404, "the default app has no such annotation")
        #expect(missing.statusCode == .connDoesNotExist)
        let deleted = store.handleJSON(
            method: "DeleteAnnotation", body: [], pathParameters: path, authorization: Self.key)
        #expect(deleted.httpStatus == 200)
        #expect(store.count(app: UserAppIDSet(userID: "u", appID: "a")) == 0)
    }

    @Test func bulkDeleteWithABody() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "x", id: "1"), Fixture.annotation(input: "y", id: "2")], app: nil)
        let body = Array(#"{"input_ids":["x","y"],"ids":["1","2"]}"#.utf8)
        let reply = store.handleJSON(method: "DeleteAnnotations", body: body, authorization: Self.key)
        #expect(reply.httpStatus == 200)
        #expect(store.count(app: AnnotationStore.standardDefaultApp) == 0)
        let unequal = store.handleJSON(
            method: "DeleteAnnotations", body: Array(#"{"input_ids":["x"],"ids":["1","2"]}"#.utf8),
            authorization: Self.key)
        #expect(unequal.httpStatus == 400)
        #expect(unequal.statusCode == .connInvalidRequest)
    }

    @Test func patchStatusByName() throws {
        let store = AnnotationStore()
        var pending = Fixture.annotation(input: "in", id: "a")
        pending.status = Status(code: .annotationPending)
        store.mustPost([pending], app: nil)
        let body =
            #"{"annotations":[{"input_id":"in","id":"a","status":{"code":"ANNOTATION_SUCCESS"}}],"action":"merge"}"#
        let reply = store.handleJSON(method: "PatchAnnotations", body: Array(body.utf8), authorization: Self.key)
        #expect(reply.statusCode == .success)
        #expect(try MultiAnnotationResponse(jsonUTF8: reply.body).annotations.first?.status?.code == .annotationSuccess)
    }

    @Test func httpStatusesOfFailures() {
        let store = AnnotationStore()
        #expect(store.handleJSON(method: "ListAnnotations", body: [], authorization: nil).httpStatus == 401)
        #expect(
            store.handleJSON(method: "ListAnnotations", body: [], query: [("ids", "a")], authorization: Self.key)
                .httpStatus == 400)
        #expect(store.handleJSON(method: "NoSuchMethod", body: [], authorization: Self.key).httpStatus == 404)
        #expect(
            store.handleJSON(method: "ListAnnotations", body: [], authorization: Self.key, fault: .throttle).httpStatus
                == 429)
        #expect(
            store.handleJSON(method: "ListAnnotations", body: [], authorization: Self.key, fault: .tryAgain).httpStatus
                == 503)
        #expect(AnnotationStore.httpStatus(for: .mixedStatus) == 200)
    }
}

@Suite struct FaultTests {
    @Test(arguments: [
        ("try-again", InjectedFault.tryAgain), ("TRY-AGAIN", .tryAgain), (" throttle ", .throttle),
        ("unavailable", .unavailable), ("sleep-ms=250", .sleep(milliseconds: 250)),
        ("sleep-ms=0", .sleep(milliseconds: 0)),
        ("goaway", .goAway), ("sleep-ms=600000", .sleep(milliseconds: InjectedFault.maxSleepMilliseconds)),
        ("sleep-ms=0000007", .sleep(milliseconds: 7)), ("sleep-ms=00000000001", .sleep(milliseconds: 1)),
    ])
    func parsesHeaderValues(value: String, fault: InjectedFault) {
        #expect(InjectedFault(headerValue: value) == fault)
        #expect(InjectedFault(headerValue: fault.headerValue) == fault)
    }

    /// Sleeps past the maximum (3000000000 ms used to trap the emulator converting it for
    /// poll), signs and digits other than ASCII are refused.
    @Test(
        arguments: [
            nil, "", "sleep-ms=", "sleep-ms=-1", "sleep-ms=x", "explode", "sleep-ms=600001", "sleep-ms=3000000000",
            "sleep-ms=+5", "sleep-ms= 5", "sleep-ms=1e3", "sleep-ms=\u{0661}", "sleep-ms=99999999999999999999999",
        ] as [String?])
    func refusesOtherValues(value: String?) {
        #expect(InjectedFault(headerValue: value) == nil)
    }

    @Test func tryAgainAndThrottleComeFromTheStoreAndChangeNothing() throws {
        let store = AnnotationStore()
        let request = Fixture.post([Fixture.annotation(input: "in", id: "a")])
        expectFailure(
            store.post(request, auth: Fixture.auth, fault: .tryAgain).status, .tryAgain, mentioning: ["try-again"])
        expectFailure(
            store.post(request, auth: Fixture.auth, fault: .throttle).status, .connThrottled, mentioning: ["throttle"])
        #expect(store.count(app: Fixture.app) == 0)
        let reply = store.handle(
            method: "PostAnnotations", requestBytes: request.serializedBytes(), authorization: "Key k", fault: .tryAgain
        )
        #expect(reply.grpcStatus == 0)
        #expect(try MultiAnnotationResponse(serializedBytes: reply.responseBytes).status?.code == .tryAgain)
        #expect(store.count(app: Fixture.app) == 0)
    }

    @Test func transportFaultsAreHandledNormallyByTheStore() {
        let store = AnnotationStore()
        for fault in [InjectedFault.unavailable, .sleep(milliseconds: 5), .goAway] {
            #expect(fault.storeStatus == nil)
            #expect(store.list(Fixture.list(), auth: Fixture.auth, fault: fault).status?.code == .success)
        }
    }

    @Test func authenticationComesBeforeAFault() {
        expectFailure(AnnotationStore().list(Fixture.list(), auth: .none, fault: .throttle).status, .connKeyInvalid)
    }
}

@Suite struct FixtureTests {
    @Test func loadStoresVerbatimInOrder() throws {
        let store = AnnotationStore()
        var model = Fixture.annotation(input: "in", id: "m", concepts: [("dog", 0.93)])
        model.modelVersionID = "mv"
        model.userID = "someone"
        model.status = Status(code: .annotationAwaitingReview)
        model.createdAt = Timestamp(seconds: 1_600_000_000)
        var level = Fixture.annotation(input: "in", id: "l")
        level.inputLevel = true
        let noID = Fixture.annotation(input: "in2")
        store.load([model, level, noID], app: Fixture.app)
        let all = store.annotations(app: Fixture.app)
        #expect(all.count == 3)
        #expect(all[0] == model, "nothing defaulted or changed")
        #expect(all[1] == level)
        #expect(Fixture.isHex32(all[2].id))
        #expect(all[2].createdAt == nil)
        // Posting after loading comes after the fixtures; loading an id again replaces it in place.
        store.mustPost([Fixture.annotation(input: "in", id: "p")])
        var replacement = level
        replacement.inputID = "in3"
        store.load([replacement], app: Fixture.app)
        #expect(store.annotations(app: Fixture.app).map(\.id) == ["m", "l", all[2].id, "p"])
        #expect(store.listIDs { $0.inputIDs = ["in3"] } == ["l"])
        #expect(store.listIDs { $0.inputIDs = ["in"] } == ["p"], "model-created m hidden; l moved to in3")
    }

    @Test func fixturesRefuseADuplicatePost() {
        let store = AnnotationStore()
        store.load([Fixture.annotation(input: "in", id: "f")], app: Fixture.app)
        expectFailure(
            store.post(Fixture.post([Fixture.annotation(input: "in", id: "f")]), auth: Fixture.auth).status,
            .annotationInvalidArgument, mentioning: ["already exists"])
    }

    @Test func removeAllEmptiesEveryApp() {
        let store = AnnotationStore()
        store.mustPost([Fixture.annotation(input: "in")])
        store.mustPost([Fixture.annotation(input: "in")], app: nil)
        store.removeAll()
        #expect(store.count(app: Fixture.app) == 0)
        #expect(store.count(app: AnnotationStore.standardDefaultApp) == 0)
    }
}
