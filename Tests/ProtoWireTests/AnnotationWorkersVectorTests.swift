import Testing

@testable import ProtoWire

// ListAnnotationWorkersRequest and MultiWorkerResponse (Sources/ProtoWire/Messages/
// AnnotationWorkers.swift). Vectors from the official implementation, as in
// StreamAnnotationsVectorTests.

@Suite struct AnnotationWorkersVectorTests {
    @Test func request() {
        // official: s.ListAnnotationWorkersRequest(user_app_id=r.UserAppIDSet(user_id='me', app_id='app'), page=2, per_page=50, additional_fields=['stars', 'counts'], trusted_only=True)
        let build = { (m: inout ListAnnotationWorkersRequest) in
            m.userAppID = UserAppIDSet(userID: "me", appID: "app")
            m.page = 2
            m.perPage = 50
            m.additionalFields = ["stars", "counts"]
            m.trustedOnly = true
        }
        expectEncode(
            hex(
                """
                0a 09 0a 02 6d 65 12 03 61 70 70 10 02 18 32 22 05 73 74 61 72 73 22 06 63 6f 75 6e 74 73 28 01
                """), build)
        expectJSON(
            #"""
            {"user_app_id":{"user_id":"me","app_id":"app"},"page":2,"per_page":50,
             "additional_fields":["stars","counts"],"trusted_only":true}
            """#, build)
        expectJSONDecode(
            #"{"userAppId":{"userId":"me","appId":"app"},"page":"2","perPage":50,"additionalFields":["stars","counts"],"trustedOnly":true}"#,
            build)
    }

    static let response = make { (m: inout MultiWorkerResponse) in
        m.status = Status(code: .success, description: "Ok")
        var user = User(id: "u1")
        user.firstName = "Ada"
        m.workers = [
            Worker(.user(user)), Worker(.model(Model(id: "m1"))), Worker(.workflow(Workflow(id: "w1"))), Worker(),
        ]
    }

    @Test func responseBytes() {
        // official: s.MultiWorkerResponse(status=st.Status(code=sc.SUCCESS, description='Ok'), workers=[r.Worker(user=r.User(id='u1', first_name='Ada')), r.Worker(model=r.Model(id='m1')), r.Worker(workflow=r.Workflow(id='w1')), r.Worker()])
        expectEncode(
            hex(
                """
                0a 07 08 90 4e 12 02 4f 6b 12 0b 0a 09 0a 02 75 31 1a 03 41 64 61 12 06 12 04 0a 02 6d 31 12 06
                1a 04 0a 02 77 31 12 00
                """)
        ) { (m: inout MultiWorkerResponse) in m = AnnotationWorkersVectorTests.response }
    }

    @Test func responseJSON() {
        // official: the response of responseBytes, without the Workflow fields this package does
        // not model (use_cases and check_consents, which are cl_show_if_empty); Model.app_id is
        // cl_show_if_empty.
        expectJSON(
            #"""
            {"status":{"code":10000,"description":"Ok"},"workers":[{"user":{"id":"u1","first_name":"Ada"}},
             {"model":{"id":"m1","app_id":""}},{"workflow":{"id":"w1"}},{}]}
            """#
        ) { (m: inout MultiWorkerResponse) in m = AnnotationWorkersVectorTests.response }
        // official: s.MultiWorkerResponse() (workers is cl_show_if_empty)
        expectJSONText(#"{"workers":[]}"#) { (_: inout MultiWorkerResponse) in }
    }

    @Test func failuresNameTheWorker() {
        // official: rejected (the third worker's model id claims 5 bytes, 1 follows)
        expectDecodeFails(
            MultiWorkerResponse.self, hex("12 00 12 00 12 04 12 02 0a 05"),
            "MultiWorkerResponse.workers[2].model.id: truncated length")
        expectJSONFails(
            MultiWorkerResponse.self, #"{"workers":[{},{"user":{"id":"u"},"model":{"id":"m"}}]}"#,
            "MultiWorkerResponse.workers[1].model: expected only one of user, model and workflow (oneof worker)")
    }
}
