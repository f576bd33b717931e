import Testing

@testable import ProtoWire

// GetTaskCountRequest, SingleTaskCountResponse and TaskStatusCountPerUser (Sources/ProtoWire/
// Messages/TaskAnnotationCount.swift). Vectors from the official implementation, as in
// StreamAnnotationsVectorTests.

@Suite struct TaskAnnotationCountVectorTests {
    @Test func request() {
        // official: s.GetTaskCountRequest(user_app_id=r.UserAppIDSet(user_id='me', app_id='app'), task_id='task-1', user_ids=['u1'], model_version_ids=['mv1', 'mv2'], workflow_version_ids=['wv1'])
        let build = { (m: inout GetTaskCountRequest) in
            m.userAppID = UserAppIDSet(userID: "me", appID: "app")
            m.taskID = "task-1"
            m.userIDs = ["u1"]
            m.modelVersionIDs = ["mv1", "mv2"]
            m.workflowVersionIDs = ["wv1"]
        }
        expectEncode(
            hex(
                """
                0a 09 0a 02 6d 65 12 03 61 70 70 12 06 74 61 73 6b 2d 31 1a 02 75 31 22 03 6d 76 31 22 03 6d 76
                32 2a 03 77 76 31
                """), build)
        expectJSON(
            #"""
            {"user_app_id":{"user_id":"me","app_id":"app"},"task_id":"task-1","user_ids":["u1"],
             "model_version_ids":["mv1","mv2"],"workflow_version_ids":["wv1"]}
            """#, build)
        expectJSONDecode(
            #"{"taskId":"task-1","userIds":["u1"],"modelVersionIds":["mv1","mv2"],"workflowVersionIds":["wv1"],"userAppId":{"userId":"me","appId":"app"}}"#,
            build)
    }

    static let response = make { (m: inout SingleTaskCountResponse) in
        m.status = Status(code: .success)
        m.appID = "app"
        m.taskID = "task-1"
        m.counts = [
            make { (c: inout TaskStatusCountPerUser) in
                c.userID = "u1"
                c.pending = 1
                c.awaitingReview = 2
                c.success = 3
                c.reviewDenied = 4
                c.awaitingConsensusReview = 5
                c.worker = Worker(.user(User(id: "u1")))
            },
            TaskStatusCountPerUser(),
        ]
    }

    @Test func responseBytes() {
        // official: s.SingleTaskCountResponse(status=st.Status(code=sc.SUCCESS), app_id='app', task_id='task-1', counts=[r.TaskStatusCountPerUser(user_id='u1', pending=1, awaiting_review=2, success=3, review_denied=4, awaiting_consensus_review=5, worker=r.Worker(user=r.User(id='u1'))), r.TaskStatusCountPerUser()])
        expectEncode(
            hex(
                """
                0a 03 08 90 4e 12 03 61 70 70 1a 06 74 61 73 6b 2d 31 22 16 0a 02 75 31 10 01 18 02 20 03 28 04
                30 05 3a 06 0a 04 0a 02 75 31 22 00
                """)
        ) { (m: inout SingleTaskCountResponse) in m = TaskAnnotationCountVectorTests.response }
    }

    @Test func responseJSON() {
        // official: the response of responseBytes; every count is cl_show_if_empty
        expectJSON(
            #"""
            {"status":{"code":10000},"app_id":"app","task_id":"task-1","counts":[
             {"user_id":"u1","pending":1,"awaiting_review":2,"success":3,"review_denied":4,
              "awaiting_consensus_review":5,"worker":{"user":{"id":"u1"}}},
             {"pending":0,"awaiting_review":0,"success":0,"review_denied":0,"awaiting_consensus_review":0}]}
            """#
        ) { (m: inout SingleTaskCountResponse) in m = TaskAnnotationCountVectorTests.response }
        // official: s.SingleTaskCountResponse() (counts is not cl_show_if_empty)
        expectJSONText("{}") { (_: inout SingleTaskCountResponse) in }
    }

    @Test func countsOfAModel() {
        // official: r.TaskStatusCountPerUser(worker=r.Worker(model=r.Model(id='m', app_id='main', user_id='clarifai')))
        let build = { (m: inout TaskStatusCountPerUser) in
            var model = Model(id: "m")
            model.appID = "main"
            model.userID = "clarifai"
            m.worker = Worker(.model(model))
        }
        expectEncode(hex("3a 15 12 13 0a 01 6d 22 04 6d 61 69 6e 4a 08 63 6c 61 72 69 66 61 69"), build)
        expectJSON(
            #"""
            {"worker":{"model":{"id":"m","app_id":"main","user_id":"clarifai"}},"pending":0,"awaiting_review":0,
             "success":0,"review_denied":0,"awaiting_consensus_review":0}
            """#, build)
    }

    @Test func emptyCountsAreAllInJSON() {
        // official: r.TaskStatusCountPerUser()
        expectEncode([]) { (_: inout TaskStatusCountPerUser) in }
        expectJSONText(
            #"{"pending":0,"awaiting_review":0,"success":0,"review_denied":0,"awaiting_consensus_review":0}"#
        ) {
            (_: inout TaskStatusCountPerUser) in
        }
    }

    @Test func decodeFailuresNameTheField() {
        // official: rejected (the second count's pending varint never ends)
        expectDecodeFails(
            SingleTaskCountResponse.self, hex("22 00 22 02 10 ff"),
            "SingleTaskCountResponse.counts[1].pending: truncated varint")
        expectJSONFails(
            SingleTaskCountResponse.self, #"{"counts":[{"pending":-1}]}"#,
            "SingleTaskCountResponse.counts[0].pending: number out of range for uint32")
    }
}
