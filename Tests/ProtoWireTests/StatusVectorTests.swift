import Testing

@testable import ProtoWire

// Status and BaseResponse (Sources/ProtoWire/Messages/Status.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct StatusVectorTests {
    @Test func status() {
        // official: st.RedirectInfo(url='https://api.clarifai.com/v2/x', resource_type='app')
        let redirect: [UInt8] = hex(
            """
            0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f 78 12
            03 61 70 70
            """)
        // official: st.Status(code=sc.ANNOTATION_PENDING, description='Annotation pending', details='waiting',
        //     stack_trace=['frame 1', 'frame 2'], percent_completed=50, time_remaining=120, req_id='req-1',
        //     internal_details='internal', redirect_info=st.RedirectInfo(url='https://api.clarifai.com/v2/x', resource_type='app'), developer_notes='notes', http_status_code=200)
        expectEncode(
            hex(
                """
                08 d7 bc 01 12 12 41 6e 6e 6f 74 61 74 69 6f 6e 20 70 65 6e 64 69 6e 67 1a 07 77 61 69 74 69 6e
                67 22 07 66 72 61 6d 65 20 31 22 07 66 72 61 6d 65 20 32 28 32 30 78 3a 05 72 65 71 2d 31 42 08
                69 6e 74 65 72 6e 61 6c 4a 24 0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69
                2e 63 6f 6d 2f 76 32 2f 78 12 03 61 70 70 52 05 6e 6f 74 65 73 58 c8 01
                """)
        ) { (m: inout Status) in
            m.code = .annotationPending
            m.description = "Annotation pending"
            m.details = "waiting"
            m.stackTrace = ["frame 1", "frame 2"]
            m.percentCompleted = 50
            m.timeRemaining = 120
            m.reqID = "req-1"
            m.internalDetails = "internal"
            m.redirectInfo = RawMessage(bytes: redirect)
            m.developerNotes = "notes"
            m.httpStatusCode = 200
        }
    }

    @Test func baseResponse() {
        // official: st.BaseResponse(status=st.Status(code=sc.SUCCESS, description='Ok', req_id='req-1'))
        expectEncode([0x0a, 0x0e, 0x08, 0x90, 0x4e, 0x12, 0x02, 0x4f, 0x6b, 0x3a, 0x05, 0x72, 0x65, 0x71, 0x2d, 0x31]) {
            (m: inout BaseResponse) in
            m.status = sampleStatus
        }
    }
}
