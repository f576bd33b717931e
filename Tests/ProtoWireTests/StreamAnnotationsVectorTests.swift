import Testing

@testable import ProtoWire

// StreamAnnotationsRequest and SingleStreamAnnotationResponse (Sources/ProtoWire/Messages/
// StreamAnnotations.swift). Expected bytes and JSON come from the official implementation
// (clarifai-grpc 12.6.0's Python classes on upb); the comment above each vector is the Python
// expression (`r` = resources_pb2, `s` = service_pb2, `st` = status_pb2, `sc` =
// status_code_pb2). JSON is `json_format.MessageToDict(m, preserving_proto_field_name=True,
// use_integers_for_enums=True)` with the `cl_show_if_empty` fields added at their default.

@Suite struct StreamAnnotationsVectorTests {
    static let request = make { (m: inout StreamAnnotationsRequest) in
        m.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
        m.inputID = "{YOUR_INPUT_ID}"
        m.trackIDs = ["t1", "t2"]
        m.frameNumberStart = 5
        m.frameTimeStart = .max
        m.annotationType = .boundingBox
        m.maxFrames = 3
        m.maxDuration = 3_600_000
        m.worker = Worker(.user(User(id: "labeler")))
        m.minPredictionScore = 0.5
    }

    @Test func requestBytes() {
        // official: s.StreamAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), input_id='{YOUR_INPUT_ID}', track_ids=['t1', 't2'], frame_number_start=5, frame_time_start=2**64-1, annotation_type=r.BOUNDING_BOX, max_frames=3, max_duration=3600000, worker=r.Worker(user=r.User(id='labeler')), min_prediction_score=0.5)
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 0f 7b 59 4f 55 52 5f 49 4e 50 55 54 5f 49 44 7d 1a 02 74 31 1a 02 74 32 20 05 28 ff ff ff
                ff ff ff ff ff ff 01 30 02 38 03 40 80 dd db 01 4a 0b 0a 09 0a 07 6c 61 62 65 6c 65 72 55 00 00
                00 3f
                """)
        ) { (m: inout StreamAnnotationsRequest) in m = StreamAnnotationsVectorTests.request }
    }

    @Test func unknownAnnotationTypeAndNegativeZeroScore() {
        // official: s.StreamAnnotationsRequest(annotation_type=48, min_prediction_score=-0.0)
        expectEncode([0x30, 0x30, 0x55, 0x00, 0x00, 0x00, 0x80]) { (m: inout StreamAnnotationsRequest) in
            m.annotationType = AnnotationDataType(rawValue: 48)  // MASK | SPAN: open enum, kept
            m.minPredictionScore = -0.0
        }
        expectJSON(#"{"annotation_type":48,"min_prediction_score":-0.0}"#) { (m: inout StreamAnnotationsRequest) in
            m.annotationType = AnnotationDataType(rawValue: 48)
            m.minPredictionScore = -0.0
        }
    }

    @Test func requestJSON() {
        // official: the request of requestBytes
        expectJSON(
            #"""
            {"user_app_id":{"user_id":"{YOUR_USER_ID}","app_id":"{YOUR_APP_ID}"},"input_id":"{YOUR_INPUT_ID}",
             "track_ids":["t1","t2"],"frame_number_start":5,"frame_time_start":"18446744073709551615",
             "annotation_type":2,"max_frames":3,"max_duration":"3600000","worker":{"user":{"id":"labeler"}},
             "min_prediction_score":0.5}
            """#
        ) { (m: inout StreamAnnotationsRequest) in m = StreamAnnotationsVectorTests.request }
    }

    @Test func requestJSONWithEnumNamesAndCamelCase() {
        // official: json_format.Parse of this text gives the request of requestBytes
        expectJSONDecode(
            #"""
            {"userAppId":{"userId":"{YOUR_USER_ID}","appId":"{YOUR_APP_ID}"},"inputId":"{YOUR_INPUT_ID}",
             "trackIds":["t1","t2"],"frameNumberStart":5,"frameTimeStart":"18446744073709551615",
             "annotationType":"BOUNDING_BOX","maxFrames":3,"maxDuration":3600000,"worker":{"user":{"id":"labeler"}},
             "minPredictionScore":0.5}
            """#
        ) { (m: inout StreamAnnotationsRequest) in m = StreamAnnotationsVectorTests.request }
    }

    @Test func annotationTypeNames() throws {
        let names: [(String, AnnotationDataType)] = [
            ("ANNOTATION_DATA_TYPE_NOT_SET", .notSet), ("TAG", .tag), ("BOUNDING_BOX", .boundingBox),
            ("POLYGON", .polygon), ("POINT", .point), ("SPAN", .span), ("MASK", .mask),
        ]
        // official: r.AnnotationDataType.items()
        #expect(names.map(\.1.rawValue) == [0, 1, 2, 4, 8, 16, 32])
        for (name, value) in names {
            let request = try StreamAnnotationsRequest(jsonString: #"{"annotation_type":"\#(name)"}"#)
            #expect(request.annotationType == value, "\(name)")
        }
        expectJSONFails(
            StreamAnnotationsRequest.self, #"{"annotation_type":"CIRCLE"}"#,
            #"StreamAnnotationsRequest.annotation_type: unknown enum value name "CIRCLE""#)
    }

    @Test func responseBytesAndJSON() {
        // official: s.SingleStreamAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok'), annotation=r.Annotation(id='a1', input_id='in1'), frame_fully_processed=True)
        let build = { (m: inout SingleStreamAnnotationResponse) in
            m.status = Status(code: .success, description: "Ok")
            m.annotation = make { (a: inout Annotation) in
                a.id = "a1"
                a.inputID = "in1"
            }
            m.frameFullyProcessed = true
        }
        expectEncode(hex("0a 07 08 90 4e 12 02 4f 6b 12 09 0a 02 61 31 12 03 69 6e 31 18 01"), build)
        expectJSON(
            #"{"status":{"code":10000,"description":"Ok"},"annotation":{"id":"a1","input_id":"in1"},"frame_fully_processed":true}"#,
            build)
    }

    @Test func frameFullyProcessedIsAlwaysInJSON() {
        // official: s.SingleStreamAnnotationResponse() (cl_show_if_empty on frame_fully_processed)
        expectEncode([]) { (_: inout SingleStreamAnnotationResponse) in }
        expectJSONText(#"{"frame_fully_processed":false}"#) { (_: inout SingleStreamAnnotationResponse) in }
    }

    @Test func decodeFailuresNameTheField() {
        // official: rejected (the worker's user id claims 9 bytes, none follow)
        expectDecodeFails(
            StreamAnnotationsRequest.self, [0x4a, 0x04, 0x0a, 0x02, 0x0a, 0x09],
            "StreamAnnotationsRequest.worker.user.id: truncated length")
        expectDecodeFails(
            SingleStreamAnnotationResponse.self, [0x18],
            "SingleStreamAnnotationResponse.frame_fully_processed: truncated varint")
    }
}
