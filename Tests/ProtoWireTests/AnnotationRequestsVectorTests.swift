import Testing

@testable import ProtoWire

// The requests and responses of the annotation calls
// (Sources/ProtoWire/Messages/AnnotationRequests.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct AnnotationRequestsVectorTests {
    @Test func postAnnotationsRequest() {
        // official: s.PostAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotations=[r.Annotation(input_id='i1'), r.Annotation(input_id='i2', data=r.Data(concepts=[r.Concept(id='tree', value=1.0)]))])
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 04 12 02 69 31 12 13 12 02 69 32 1a 0d 1a 0b 0a 04 74 72 65 65 1d 00 00 80 3f
                """)
        ) { (m: inout PostAnnotationsRequest) in
            m.userAppID = sampleApp
            var second = annotationWith(inputID: "i2")
            second.data = dataWith(Concept(id: "tree", value: 1))
            m.annotations = [annotationWith(inputID: "i1"), second]
        }
    }

    @Test func listAnnotationsRequest() {
        // official: s.ListAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), ids=['a1', 'a2'], input_ids=['i1', 'i2'],
        //     statuses=[st.Status(code=sc.ANNOTATION_SUCCESS), st.Status(code=sc.ANNOTATION_PENDING)], list_all_annotations=True, page=2, per_page=50,
        //     user_ids=['u1'], model_version_ids=['mv1'], task_id='task-1', return_model_output=True, workflow_version_ids=['wv1'])
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 12 02 61 32 1a 02 69 31 1a 02 69 32 2a 04 08 d6 bc 01 2a 04 08 d7 bc 01 30 01 38
                02 40 32 4a 02 75 31 52 03 6d 76 31 5a 06 74 61 73 6b 2d 31 60 01 6a 03 77 76 31
                """)
        ) { (m: inout ListAnnotationsRequest) in
            m.userAppID = sampleApp
            m.ids = ["a1", "a2"]
            m.inputIDs = ["i1", "i2"]
            m.statuses = [Status(code: .annotationSuccess), Status(code: .annotationPending)]
            m.listAllAnnotations = true
            m.page = 2
            m.perPage = 50
            m.userIDs = ["u1"]
            m.modelVersionIDs = ["mv1"]
            m.taskID = "task-1"
            m.returnModelOutput = true
            m.workflowVersionIDs = ["wv1"]
        }
    }

    @Test func patchAnnotationsRequest() {
        // official: s.PatchAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotations=[r.Annotation(id='a1', input_id='i1')], action='merge', delete_if_empty_data=True)
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 08 0a 02 61 31 12 02 69 31 1a 05 6d 65 72 67 65 20 01
                """)
        ) { (m: inout PatchAnnotationsRequest) in
            m.userAppID = sampleApp
            m.annotations = [annotationWith(id: "a1", inputID: "i1")]
            m.action = "merge"
            m.deleteIfEmptyData = true
        }
    }

    @Test func deleteAnnotationRequest() {
        // official: s.DeleteAnnotationRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), input_id='i1', annotation_id='a1')
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 69 31 1a 02 61 31
                """)
        ) { (m: inout DeleteAnnotationRequest) in
            m.userAppID = sampleApp
            m.inputID = "i1"
            m.annotationID = "a1"
        }
    }

    @Test func deleteAnnotationsRequest() {
        // official: s.DeleteAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), ids=['a1', 'a2'], input_ids=['i1', 'i2'])
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 12 02 61 32 1a 02 69 31 1a 02 69 32
                """)
        ) { (m: inout DeleteAnnotationsRequest) in
            m.userAppID = sampleApp
            m.ids = ["a1", "a2"]
            m.inputIDs = ["i1", "i2"]
        }
    }

    @Test func getAnnotationRequest() {
        // official: s.GetAnnotationRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotation_id='a1', input_id='i1')
        expectEncode(
            hex(
                """
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 1a 02 69 31
                """)
        ) { (m: inout GetAnnotationRequest) in
            m.userAppID = sampleApp
            m.annotationID = "a1"
            m.inputID = "i1"
        }
    }

    @Test func multiAnnotationResponse() {
        // official: s.MultiAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok', req_id='req-1'), annotations=[r.Annotation(id='a1'), r.Annotation(id='a2')])
        expectEncode(
            hex(
                """
                0a 0e 08 90 4e 12 02 4f 6b 3a 05 72 65 71 2d 31 12 04 0a 02 61 31 12 04 0a 02 61 32
                """)
        ) { (m: inout MultiAnnotationResponse) in
            m.status = sampleStatus
            m.annotations = [annotationWith(id: "a1"), annotationWith(id: "a2")]
        }
    }

    @Test func singleAnnotationResponse() {
        // official: s.SingleAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok', req_id='req-1'), annotation=r.Annotation(id='a1', input_id='i1'))
        expectEncode(
            hex(
                """
                0a 0e 08 90 4e 12 02 4f 6b 3a 05 72 65 71 2d 31 12 08 0a 02 61 31 12 02 69 31
                """)
        ) { (m: inout SingleAnnotationResponse) in
            m.status = sampleStatus
            m.annotation = annotationWith(id: "a1", inputID: "i1")
        }
    }
}
