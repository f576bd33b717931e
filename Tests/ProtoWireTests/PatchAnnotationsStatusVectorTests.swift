import Testing

@testable import ProtoWire

// PatchAnnotationsStatusRequest and PatchAnnotationsStatusResponse (Sources/ProtoWire/Messages/
// PatchAnnotationsStatus.swift), and the packed repeated enum they need
// (PackedEnums.swift). Vectors from the official implementation, as in
// StreamAnnotationsVectorTests.

@Suite struct PatchAnnotationsStatusVectorTests {
    static let request = make { (m: inout PatchAnnotationsStatusRequest) in
        m.userAppID = UserAppIDSet(userID: "me", appID: "app")
        m.userIDs = ["u1", "u2"]
        m.taskID = "task-1"
        m.statusCodes = [.annotationAwaitingReview, .annotationPending, StatusCode(rawValue: -1)]
        m.action = "overwrite"
        m.statusCode = .annotationSuccess
    }

    @Test func requestBytes() {
        // official: s.PatchAnnotationsStatusRequest(user_app_id=r.UserAppIDSet(user_id='me', app_id='app'), user_ids=['u1', 'u2'], task_id='task-1', status_codes=[sc.ANNOTATION_AWAITING_REVIEW, sc.ANNOTATION_PENDING, -1], action='overwrite', status_code=sc.ANNOTATION_SUCCESS)
        // status_codes is packed (proto3's default), and -1 takes 10 bytes.
        expectEncode(
            hex(
                """
                0a 09 0a 02 6d 65 12 03 61 70 70 10 d6 bc 01 1a 02 75 31 1a 02 75 32 22 06 74 61 73 6b 2d 31 2a
                09 6f 76 65 72 77 72 69 74 65 32 10 dd bc 01 d7 bc 01 ff ff ff ff ff ff ff ff ff 01
                """)
        ) { (m: inout PatchAnnotationsStatusRequest) in m = PatchAnnotationsStatusVectorTests.request }
    }

    @Test func unpackedAndSplitStatusCodesAreAccepted() {
        // official: s.PatchAnnotationsStatusRequest.FromString(bytes.fromhex('30d6bc0130d7bc01')).SerializeToString()
        expectDecode(hex("30 d6 bc 01 30 d7 bc 01"), reencodesTo: hex("32 06 d6 bc 01 d7 bc 01")) {
            (m: inout PatchAnnotationsStatusRequest) in m.statusCodes = [.annotationSuccess, .annotationPending]
        }
        // official: packed [ANNOTATION_SUCCESS], unpacked ANNOTATION_PENDING, an empty packed run, packed [-1]
        expectDecode(
            hex("32 03 d6 bc 01 30 d7 bc 01 32 00 32 0a ff ff ff ff ff ff ff ff ff 01"),
            reencodesTo: hex("32 10 d6 bc 01 d7 bc 01 ff ff ff ff ff ff ff ff ff 01")
        ) { (m: inout PatchAnnotationsStatusRequest) in
            m.statusCodes = [.annotationSuccess, .annotationPending, StatusCode(rawValue: -1)]
        }
    }

    @Test(
        arguments: [
            // official: rejected ("Wire format was corrupt"): the run ends inside a varint
            ([UInt8]([0x32, 0x02, 0xd6, 0xbc, 0x01]), "PatchAnnotationsStatusRequest.status_codes: truncated varint"),
            // official: rejected: the run claims more bytes than the message has
            ([0x32, 0x05, 0xd6, 0xbc], "PatchAnnotationsStatusRequest.status_codes: truncated length"),
            // A wire type that fits no encoding of the field: an error here, as for every field of
            // this package (upb keeps it as an unknown field).
            (
                [0x35, 0x00, 0x00, 0x00, 0x00],
                "PatchAnnotationsStatusRequest.status_codes: wire type 5 where 2 was expected"
            ),
        ] as [([UInt8], String)])
    func malformedStatusCodes(bytes: [UInt8], description: String) {
        expectDecodeFails(PatchAnnotationsStatusRequest.self, bytes, description)
    }

    @Test func requestJSON() {
        // official: the request of requestBytes
        expectJSON(
            #"""
            {"user_app_id":{"user_id":"me","app_id":"app"},"status_code":24150,"user_ids":["u1","u2"],
             "task_id":"task-1","action":"overwrite","status_codes":[24157,24151,-1]}
            """#
        ) { (m: inout PatchAnnotationsStatusRequest) in m = PatchAnnotationsStatusVectorTests.request }
        // official: json_format.Parse of this text gives the same request
        expectJSONDecode(
            #"""
            {"userAppId":{"userId":"me","appId":"app"},"statusCode":"ANNOTATION_SUCCESS","userIds":["u1","u2"],
             "taskId":"task-1","action":"overwrite","statusCodes":["ANNOTATION_AWAITING_REVIEW","24151",-1]}
            """#
        ) { (m: inout PatchAnnotationsStatusRequest) in m = PatchAnnotationsStatusVectorTests.request }
        expectJSONFails(
            PatchAnnotationsStatusRequest.self, #"{"status_codes":[24150,"NOPE"]}"#,
            #"PatchAnnotationsStatusRequest.status_codes[1]: unknown enum value name "NOPE""#)
    }

    @Test func response() {
        // official: s.PatchAnnotationsStatusResponse(status=st.Status(code=sc.SUCCESS), user_ids=['u1'], updated_count=4294967295)
        let build = { (m: inout PatchAnnotationsStatusResponse) in
            m.status = Status(code: .success)
            m.userIDs = ["u1"]
            m.updatedCount = .max
        }
        expectEncode(hex("0a 03 08 90 4e 12 02 75 31 18 ff ff ff ff 0f"), build)
        expectJSON(#"{"status":{"code":10000},"user_ids":["u1"],"updated_count":4294967295}"#, build)
        // official: s.PatchAnnotationsStatusResponse()
        expectJSONText("{}") { (_: inout PatchAnnotationsStatusResponse) in }
    }
}
