import Testing

@testable import ProtoWire

// Worker (Sources/ProtoWire/Messages/Worker.swift) and the partial messages it names, User,
// Model and Workflow (User.swift, Model.swift, Workflow.swift, PartialMessage.swift). Vectors
// from the official implementation, as in StreamAnnotationsVectorTests.

@Suite struct WorkerVectorTests {
    // MARK: - Worker

    @Test func eachMemberIsWrittenEvenWhenEmpty() {
        // official: r.Worker(user=r.User()), r.Worker(model=r.Model()), r.Worker(workflow=r.Workflow()), r.Worker()
        expectEncode([0x0a, 0x00]) { (m: inout Worker) in m.worker = .user(User()) }
        expectEncode([0x12, 0x00]) { (m: inout Worker) in m.worker = .model(Model()) }
        expectEncode([0x1a, 0x00]) { (m: inout Worker) in m.worker = .workflow(Workflow()) }
        expectEncode([]) { (_: inout Worker) in }
        expectJSON(#"{"user":{}}"#) { (m: inout Worker) in m.worker = .user(User()) }
        expectJSON(#"{"model":{"app_id":""}}"#) { (m: inout Worker) in m.worker = .model(Model()) }
        // official JSON also has "use_cases":[],"check_consents":[]: fields not modelled here
        expectJSON(#"{"workflow":{}}"#) { (m: inout Worker) in m.worker = .workflow(Workflow()) }
        expectJSONText("{}") { (_: inout Worker) in }
    }

    @Test func anotherMemberReplacesTheFirstAndTheSameOneMerges() {
        // official: r.Worker.FromString(bytes.fromhex('0a040a0275311204 0a026d31')) is Worker(model=Model(id='m1'))
        expectDecode(hex("0a 04 0a 02 75 31 12 04 0a 02 6d 31"), reencodesTo: hex("12 04 0a 02 6d 31")) {
            (m: inout Worker) in m.worker = .model(Model(id: "m1"))
        }
        // official: user twice: Worker(user=User(id='u1', first_name='Ada'))
        expectDecode(
            hex("0a 04 0a 02 75 31 0a 05 1a 03 41 64 61"), reencodesTo: hex("0a 09 0a 02 75 31 1a 03 41 64 61")
        ) {
            (m: inout Worker) in
            var user = User(id: "u1")
            user.firstName = "Ada"
            m.user = user
        }
        // official: an unknown field 100 after the member stays after it
        expectReencode(Worker.self, hex("12 04 0a 02 6d 31 a0 06 01"), hex("12 04 0a 02 6d 31 a0 06 01"))
    }

    @Test func memberAccessors() {
        var worker = Worker(.user(User(id: "u")))
        #expect(worker.user?.id == "u")
        #expect(worker.model == nil && worker.workflow == nil)
        worker.model = nil  // not the member: no change
        #expect(worker.user?.id == "u")
        worker.workflow = Workflow(id: "w")
        #expect(worker.worker == .workflow(Workflow(id: "w")) && worker.user == nil)
        worker.workflow = nil
        #expect(worker.worker == nil)
    }

    @Test func jsonTakesOneMember() {
        expectJSONDecode(#"{"model":{"id":"m1","appId":"main"}}"#) { (m: inout Worker) in
            var model = Model(id: "m1")
            model.appID = "main"
            m.worker = .model(model)
        }
        // official: json_format.Parse rejects it ('should not have multiple "worker" oneof fields')
        expectJSONFails(
            Worker.self, #"{"workflow":{"id":"w"},"user":{"id":"u"}}"#,
            "Worker.user: expected only one of user, model and workflow (oneof worker)")
        // A null member is no member (proto3 JSON).
        expectJSONDecode(#"{"user":null,"workflow":{"id":"w"}}"#) { (m: inout Worker) in m.workflow = Workflow(id: "w")
        }
    }

    // MARK: - The partial messages' modelled fields

    @Test func user() {
        // official: r.User(id='u1', first_name='Ada', last_name='Lovelace', company_name='Analytical', job_title='Engineer', job_role='dev', created_at=Timestamp(seconds=1700000000, nanos=123000000), is_starred=True, star_count=-2)
        let build = { (m: inout User) in
            m.id = "u1"
            m.firstName = "Ada"
            m.lastName = "Lovelace"
            m.companyName = "Analytical"
            m.jobTitle = "Engineer"
            m.jobRole = "dev"
            m.createdAt = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
            m.isStarred = true
            m.starCount = -2
        }
        expectEncode(
            hex(
                """
                0a 02 75 31 1a 03 41 64 61 22 08 4c 6f 76 65 6c 61 63 65 2a 0a 41 6e 61 6c 79 74 69 63 61 6c 32
                0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a 9a 01 08 45 6e 67 69 6e 65 65 72 a2 01 03 64 65 76 a8 01 01
                b0 01 fe ff ff ff ff ff ff ff ff 01
                """), build)
        expectJSON(
            #"""
            {"id":"u1","first_name":"Ada","last_name":"Lovelace","company_name":"Analytical",
             "created_at":"2023-11-14T22:13:20.123Z","job_title":"Engineer","job_role":"dev","is_starred":true,
             "star_count":-2}
            """#, build)
    }

    @Test func model() {
        // official: r.Model(id='general', name='General', created_at=Timestamp(seconds=1700000000), modified_at=Timestamp(seconds=1700000100), app_id='main', display_name='General', user_id='clarifai', model_type_id='visual-classifier', task='classification', description='d')
        let build = { (m: inout Model) in
            m.id = "general"
            m.name = "General"
            m.createdAt = Timestamp(seconds: 1_700_000_000)
            m.modifiedAt = Timestamp(seconds: 1_700_000_100)
            m.appID = "main"
            m.displayName = "General"
            m.userID = "clarifai"
            m.modelTypeID = "visual-classifier"
            m.task = "classification"
            m.description = "d"
        }
        expectEncode(
            hex(
                """
                0a 07 67 65 6e 65 72 61 6c 12 07 47 65 6e 65 72 61 6c 1a 06 08 80 e2 cf aa 06 22 04 6d 61 69 6e
                3a 07 47 65 6e 65 72 61 6c 4a 08 63 6c 61 72 69 66 61 69 72 11 76 69 73 75 61 6c 2d 63 6c 61 73
                73 69 66 69 65 72 82 01 01 64 9a 01 06 08 e4 e2 cf aa 06 d2 01 0e 63 6c 61 73 73 69 66 69 63 61
                74 69 6f 6e
                """), build)
        expectJSON(
            #"""
            {"id":"general","name":"General","created_at":"2023-11-14T22:13:20Z","app_id":"main",
             "display_name":"General","user_id":"clarifai","model_type_id":"visual-classifier","description":"d",
             "modified_at":"2023-11-14T22:15:00Z","task":"classification"}
            """#, build)
        // official: r.Model() (app_id is cl_show_if_empty)
        expectJSONText(#"{"app_id":""}"#) { (_: inout Model) in }
    }

    @Test func workflow() {
        // official: r.Workflow(id='wf', app_id='main', created_at=Timestamp(seconds=1700000000), user_id='clarifai', modified_at=Timestamp(seconds=1700000100), description='General')
        let build = { (m: inout Workflow) in
            m.id = "wf"
            m.appID = "main"
            m.createdAt = Timestamp(seconds: 1_700_000_000)
            m.userID = "clarifai"
            m.modifiedAt = Timestamp(seconds: 1_700_000_100)
            m.description = "General"
        }
        expectEncode(
            hex(
                """
                0a 02 77 66 12 04 6d 61 69 6e 1a 06 08 80 e2 cf aa 06 3a 08 63 6c 61 72 69 66 61 69 42 06 08 e4
                e2 cf aa 06 62 07 47 65 6e 65 72 61 6c
                """), build)
        // official JSON also has "use_cases":[],"check_consents":[]: fields not modelled here
        expectJSON(
            #"""
            {"id":"wf","app_id":"main","created_at":"2023-11-14T22:13:20Z","user_id":"clarifai",
             "modified_at":"2023-11-14T22:15:00Z","description":"General"}
            """#, build)
    }

    // MARK: - The official fields they do not model

    @Test func unmodelledOfficialFieldsGoBackInFieldOrder() {
        // official: r.User(id='u1', primary_email='ada@example.com', first_name='Ada', created_at=Timestamp(seconds=1), metadata=struct_pb2.Struct(fields={'k': struct_pb2.Value(string_value='v')}), email_addresses=[r.EmailAddress(email='a@x'), r.EmailAddress(email='b@x')], job_title='Eng', is_starred=True, star_count=7, referral_source='web', image=r.Image(url='u'))
        // primary_email (2), metadata (11), email_addresses (12), referral_source (25) and image
        // (26) are kept as bytes and written back between the modelled fields, as upb does.
        let official = hex(
            """
            0a 02 75 31 12 0f 61 64 61 40 65 78 61 6d 70 6c 65 2e 63 6f 6d 1a 03 41 64 61 32 02 08 01 5a 0a
            0a 08 0a 01 6b 12 03 1a 01 76 62 05 0a 03 61 40 78 62 05 0a 03 62 40 78 9a 01 03 45 6e 67 a8 01
            01 b0 01 07 ca 01 03 77 65 62 d2 01 03 0a 01 75
            """)
        expectEncode(official) { (m: inout User) in
            m.id = "u1"
            m.firstName = "Ada"
            m.createdAt = Timestamp(seconds: 1)
            m.jobTitle = "Eng"
            m.isStarred = true
            m.starCount = 7
            // As decoding keeps them: in arrival order.
            m.unknownFields = hex(
                """
                12 0f 61 64 61 40 65 78 61 6d 70 6c 65 2e 63 6f 6d 5a 0a 0a 08 0a 01 6b 12 03 1a 01 76 62 05 0a
                03 61 40 78 62 05 0a 03 62 40 78 ca 01 03 77 65 62 d2 01 03 0a 01 75
                """)
        }
        // JSON has no room for them (official: the same without primary_email, metadata,
        // email_addresses, referral_source and image).
        expectJSONText(
            #"{"id":"u1","first_name":"Ada","job_title":"Eng","created_at":"1970-01-01T00:00:01Z","is_starred":true,"star_count":7}"#
        ) {
            (m: inout User) in m = (try? User(serializedBytes: official)) ?? User()
        }
    }

    @Test func fieldsUnknownOfficiallyTooGoLast() {
        // official: r.User.FromString(bytes.fromhex('b83e01 120161 0a0178')).SerializeToString(): field 999 last
        expectReencode(User.self, hex("b8 3e 01 12 01 61 0a 01 78"), hex("0a 01 78 12 01 61 b8 3e 01"))
        // official: the same for 13 (reserved in User): after two_factor_auth_enabled (15), is_starred and star_count
        expectReencode(
            User.self, hex("68 05 b0 01 02 12 01 61 a8 01 01 0a 01 78 78 01"),
            hex("0a 01 78 12 01 61 78 01 a8 01 01 b0 01 02 68 05"))
        // official: r.Model.FromString(bytes.fromhex('d80202 220161 2a00 0a016d')).SerializeToString()
        expectReencode(Model.self, hex("d8 02 02 22 01 61 2a 00 0a 01 6d"), hex("0a 01 6d 22 01 61 2a 00 d8 02 02"))
        // official: r.Workflow with image (17), nodes (4) twice, id and app_id, out of order
        expectReencode(
            Workflow.self, hex("8a 01 00 0a 01 77 22 00 22 00 12 01 61"), hex("0a 01 77 12 01 61 22 00 22 00 8a 01 00"))
    }

    @Test func keptBytesThatAreNotFieldsGoLastUnchanged() {
        // Only possible when set by hand: decoding keeps whole fields.
        let user = make { (m: inout User) in
            m.id = "a"
            m.unknownFields = [0x12, 0x05, 0x61]  // primary_email claiming 5 bytes, 1 follows
        }
        #expect(user.serializedBytes() == [0x0a, 0x01, 0x61, 0x12, 0x05, 0x61])
    }

    @Test func unmodelledFieldsInJSONAreRejectedOrSkipped() throws {
        expectJSONFails(
            User.self, #"{"id":"u","primary_email":"a@x"}"#,
            "User.primary_email: field type not modelled by this package (binary only)")
        expectJSONFails(
            Model.self, #"{"outputInfo":{}}"#,
            "Model.output_info: field type not modelled by this package (binary only)")
        expectJSONFails(
            Workflow.self, #"{"use_cases":[]}"#,
            "Workflow.use_cases: field type not modelled by this package (binary only)")
        expectJSONFails(User.self, #"{"nickname":"x"}"#, "User.nickname: unknown field")
        let user = try JSONDecoding.$ignoresUnknownFields.withValue(true) {
            try User(jsonString: #"{"id":"u","primary_email":"a@x","nickname":"x"}"#)
        }
        #expect(user == User(id: "u"))
    }

    @Test func decodeFailuresNameTheFieldEvenWhenNotModelled() {
        // official: rejected (primary_email claims 5 bytes, 1 follows)
        expectDecodeFails(User.self, [0x12, 0x05, 0x61], "User.primary_email: truncated length")
        expectDecodeFails(Model.self, [0x22, 0x01, 0xc3], "Model.app_id: invalid UTF-8 in string")
    }
}
