import Testing

@testable import ProtoWire

// Annotation and UserAppIDSet (Sources/ProtoWire/Messages/Annotation.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct AnnotationVectorTests {
    @Test func userAppIDSet() {
        // official: r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}')
        expectEncode(
            hex(
                """
                0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44 7d
                """)
        ) { (m: inout UserAppIDSet) in
            m = sampleApp
        }
    }

    @Test func annotation() {
        // official: r.Annotation(id='ann-1', input_id='input-1', data=r.Data(concepts=[r.Concept(id='tree', value=1.0), r.Concept(id='water', value=0.0)]),
        //     status=st.Status(code=sc.ANNOTATION_SUCCESS), created_at=Timestamp(seconds=1700000000, nanos=123000000), modified_at=Timestamp(seconds=1700000100),
        //     trusted=True, annotation_info=struct_of({'task_id': 'task-1'}), embed_model_version_id='emv-1', user_id='user-1',
        //     model_version_id='mv-1', input_level=True, consensus_info=struct_of({'agreed': True}), task_id='task-1', worker=r.Worker(user=r.User(id='annotator-1')))
        expectEncode(
            hex(
                """
                0a 05 61 6e 6e 2d 31 12 07 69 6e 70 75 74 2d 31 1a 16 1a 0b 0a 04 74 72 65 65 1d 00 00 80 3f 1a
                07 0a 05 77 61 74 65 72 3a 04 08 d6 bc 01 42 0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a 4a 06 08 e4 e2
                cf aa 06 50 01 6a 15 0a 13 0a 07 74 61 73 6b 5f 69 64 12 08 1a 06 74 61 73 6b 2d 31 72 05 65 6d
                76 2d 31 7a 06 75 73 65 72 2d 31 82 01 04 6d 76 2d 31 88 01 01 92 01 0e 0a 0c 0a 06 61 67 72 65
                65 64 12 02 20 01 9a 01 06 74 61 73 6b 2d 31 aa 01 0f 0a 0d 0a 0b 61 6e 6e 6f 74 61 74 6f 72 2d
                31
                """)
        ) { (m: inout Annotation) in
            m.id = "ann-1"
            m.inputID = "input-1"
            m.data = dataWith(Concept(id: "tree", value: 1), Concept(id: "water", value: 0))
            m.status = Status(code: .annotationSuccess)
            m.createdAt = sampleTimestamp
            m.modifiedAt = Timestamp(seconds: 1_700_000_100)
            m.trusted = true
            m.annotationInfo = ["task_id": "task-1"]
            m.embedModelVersionID = "emv-1"
            m.userID = "user-1"
            m.modelVersionID = "mv-1"
            m.inputLevel = true
            m.consensusInfo = ["agreed": true]
            m.taskID = "task-1"
            m.worker = Worker(.user(User(id: "annotator-1")))
        }
    }
}
