import ProtoWire
import Testing

@testable import AnnotationsEmulator

@Suite struct AuthTests {
    /// One call of every RPC with the given credentials; the status of each.
    static func statuses(_ store: AnnotationStore, _ auth: Authorization) -> [String: Status?] {
        var get = GetAnnotationRequest()
        get.inputID = "i"
        get.annotationID = "a"
        var deleteOne = DeleteAnnotationRequest()
        deleteOne.inputID = "i"
        deleteOne.annotationID = "a"
        var deleteMany = DeleteAnnotationsRequest()
        deleteMany.inputIDs = ["i"]
        return [
            "PostAnnotations": store.post(Fixture.post([Fixture.annotation(input: "i")]), auth: auth).status,
            "ListAnnotations": store.list(Fixture.list(), auth: auth).status,
            "GetAnnotation": store.get(get, auth: auth).status,
            "PatchAnnotations": store.patch(
                Fixture.patch("merge", [Fixture.annotation(input: "i", id: "a")]), auth: auth
            ).status,
            "DeleteAnnotation": store.delete(deleteOne, auth: auth).status,
            "DeleteAnnotations": store.delete(deleteMany, auth: auth).status,
        ]
    }

    @Test(
        arguments: [
            (nil, "no authorization header"),
            ("", "no authorization header"),
            ("Bearer abc", "Bearer"),
            ("Key", "no key"),
            ("Key    ", "no key"),
            ("abc", "not of the form"),
        ] as [(String?, String)])
    func malformedCredentialsAreRefusedOnEveryCall(header: String?, mention: String) {
        let store = AnnotationStore()
        for (method, status) in Self.statuses(store, Authorization(headerValue: header)) {
            expectFailure(status, .connKeyInvalid, mentioning: [mention])
            #expect(status?.code == .connKeyInvalid, "\(method)")
        }
        #expect(store.count(app: Fixture.app) == 0, "a refused post stores nothing")
    }

    @Test func anyNonEmptyKeyIsAcceptedWithoutAConfiguredKey() {
        let store = AnnotationStore()
        for header in ["Key abc", "key abc", "KEY  abc  ", "Key 0123456789abcdef"] {
            let response = store.list(Fixture.list(), auth: Authorization(headerValue: header))
            #expect(response.status?.code == .success, "\(header)")
        }
    }

    @Test func onlyTheConfiguredKeyIsAccepted() {
        let store = AnnotationStore(apiKey: "secret")
        let wrong = Self.statuses(store, .key("other"))
        for (_, status) in wrong {
            expectFailure(status, .connKeyInvalid, mentioning: ["--api-key"])
            #expect(status?.description.contains("other") == false, "the key is never echoed")
        }
        let right = store.post(Fixture.post([Fixture.annotation(input: "i")]), auth: .key("secret"))
        #expect(right.status?.code == .success)
        #expect(store.list(Fixture.list(), auth: Authorization(headerValue: "Key secret")).annotations.count == 1)
    }

    @Test func anEmptyConfiguredKeyMeansAnyKey() {
        let store = AnnotationStore(apiKey: "")
        #expect(store.apiKey == nil)
        #expect(store.list(Fixture.list(), auth: .key("x")).status?.code == .success)
    }

    @Test func authenticationComesBeforeValidation() {
        let store = AnnotationStore()
        let response = store.post(Fixture.post([]), auth: .none)
        expectFailure(response.status, .connKeyInvalid)
    }
}
