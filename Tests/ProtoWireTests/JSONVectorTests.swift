import Testing

@testable import ProtoWire

// JSON vectors in the shape of Clarifai's REST API: proto3 JSON with `.proto` field names,
// enums as numbers, 64-bit integers as strings and bytes as base64, plus Clarifai's
// `cl_show_if_empty` fields (Concept.value, BoundingBox edges, Point row/col, FrameInfo
// index/time/number, Span/Token char_start/char_end, MultiAnnotationResponse.annotations)
// written even at their default.
//
// Expected JSON comes from the official implementation: `json_format.MessageToDict(m,
// preserving_proto_field_name=True, use_integers_for_enums=True)` from protobuf 7.36 on
// clarifai-grpc 12.6.0's classes, with every field whose descriptor carries
// `cl_show_if_empty` added at its default. The comparison ignores member order and number
// spelling (`1.0` vs `1`); a few tests pin the exact text. Binary vectors for the read side
// are what `json_format.Parse` makes of the same JSON, serialized.

@Suite struct JSONVectorTests {

    // MARK: - Writing

    @Suite struct Writing {
        @Test func concept() {
            // official: r.Concept(id='tree', name='Tree', value=0.75, created_at=Timestamp(seconds=1700000000, nanos=123000000), language='en', app_id='main', definition='d', vocab_id='v', user_id='u', metadata=struct_of({'k': 'v'}), image=r.Image(url='https://x/t.jpg'))
            expectJSON(
                #"{"id":"tree","name":"Tree","value":0.75,"created_at":"2023-11-14T22:13:20.123Z","language":"en","app_id":"main","definition":"d","vocab_id":"v","user_id":"u","metadata":{"k":"v"},"image":{"url":"https://x/t.jpg"}}"#
            ) { (m: inout Concept) in
                m.id = "tree"
                m.name = "Tree"
                m.value = 0.75
                m.createdAt = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
                m.language = "en"
                m.appID = "main"
                m.definition = "d"
                m.vocabID = "v"
                m.userID = "u"
                m.metadata = ["k": "v"]
                m.image = Image(url: "https://x/t.jpg")
            }
        }

        @Test func showIfEmptyFields() {
            // official: r.Concept(id='water', value=0.0)
            expectJSON(#"{"id":"water","value":0}"#) { (m: inout Concept) in
                m.id = "water"
                m.value = 0
            }
            // official: r.BoundingBox(top_row=0.25)
            expectJSON(#"{"top_row":0.25,"left_col":0,"bottom_row":0,"right_col":0}"#) { (m: inout BoundingBox) in
                m.topRow = 0.25
            }
            // official: r.Point()
            expectJSON(#"{"row":0,"col":0}"#) { (_: inout Point) in }
            // official: r.FrameInfo()
            expectJSON(#"{"index":0,"time":"0","number":0}"#) { (_: inout FrameInfo) in }
            // official: r.Span()
            expectJSON(#"{"char_start":0,"char_end":0}"#) { (_: inout Span) in }
            // official: r.Token(char_start=1, char_end=5, raw_text='hello')
            expectJSON(#"{"char_start":1,"char_end":5,"raw_text":"hello"}"#) { (m: inout Token) in
                m.charStart = 1
                m.charEnd = 5
                m.rawText = "hello"
            }
            // official: s.MultiAnnotationResponse()
            expectJSON(#"{"annotations":[]}"#) { (_: inout MultiAnnotationResponse) in }
            // official: s.MultiAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok'))
            expectJSON(#"{"status":{"code":10000,"description":"Ok"},"annotations":[]}"#) {
                (m: inout MultiAnnotationResponse) in
                m.status = Status(code: .success, description: "Ok")
            }
        }

        @Test func showIfEmptyExactText() {
            expectJSONText(#"{"annotations":[]}"#) { (_: inout MultiAnnotationResponse) in }
            expectJSONText(#"{"index":0,"time":"0","number":0}"#) { (_: inout FrameInfo) in }
            expectJSONText(#"{"char_start":0,"char_end":0}"#) { (_: inout Span) in }
            expectJSONText(#"{"char_start":0,"char_end":0}"#) { (_: inout Token) in }
        }

        @Test func point() {
            // official: r.Point(row=0.5, col=0.25, z=1.5, visibility=r.Point.NOT_PRESENT)
            expectJSON(#"{"row":0.5,"col":0.25,"z":1.5,"visibility":3}"#) { (m: inout Point) in
                m.row = 0.5
                m.col = 0.25
                m.z = 1.5
                m.visibility = .notPresent
            }
        }

        @Test func sixtyFourBitIntegersAreStrings() {
            // official: r.FrameInfo(index=4294967295, time=18446744073709551615, number=1)
            expectJSON(#"{"index":4294967295,"time":"18446744073709551615","number":1}"#) { (m: inout FrameInfo) in
                m.index = .max
                m.time = .max
                m.number = 1
            }
            expectJSONText(#"{"int_value":"-9223372036854775808"}"#) { (m: inout ClarifaiData) in m.intValue = .min }
            expectJSONText(#"{"index":0,"time":"18446744073709551615","number":0}"#) { (m: inout FrameInfo) in
                m.time = .max
            }
        }

        @Test func dataScalars() {
            // official: r.Data(int_value=-9223372036854775808, float_value=0.1, bytes_value=b'\x00\xff\xfe\x01', bool_value=True, string_value='s')
            expectJSON(
                #"{"int_value":"-9223372036854775808","float_value":0.1,"bytes_value":"AP/+AQ==","bool_value":true,"string_value":"s"}"#
            ) { (m: inout ClarifaiData) in
                m.intValue = .min
                m.floatValue = 0.1
                m.bytesValue = [0x00, 0xff, 0xfe, 0x01]
                m.boolValue = true
                m.stringValue = "s"
            }
        }

        @Test func bytesAreStandardPaddedBase64() {
            expectJSONText(#"{"base64":"AP/+"}"#) { (m: inout Image) in m.base64 = [0x00, 0xff, 0xfe] }
            expectJSONText(#"{"base64":"AQ=="}"#) { (m: inout Image) in m.base64 = [0x01] }
            expectJSONText(#"{"base64":"AQI="}"#) { (m: inout Image) in m.base64 = [0x01, 0x02] }
            expectJSONText(#"{}"#) { (m: inout Image) in m.base64 = [] }
        }

        @Test func enumsAreNumbers() {
            // official: st.Status(code=sc.ANNOTATION_PENDING, stack_trace=['a'], percent_completed=5, http_status_code=202)
            expectJSON(#"{"code":24151,"stack_trace":["a"],"percent_completed":5,"http_status_code":202}"#) {
                (m: inout Status) in
                m.code = .annotationPending
                m.stackTrace = ["a"]
                m.percentCompleted = 5
                m.httpStatusCode = 202
            }
            // official: st.Status(code=99999)
            expectJSON(#"{"code":99999}"#) { (m: inout Status) in m.code = StatusCode(rawValue: 99_999) }
            expectJSONText(#"{"code":24151}"#) { (m: inout Status) in m.code = .annotationPending }
        }

        @Test func image() {
            // official: r.Image(url='https://x/i.jpg', base64=b'\xff\xd8\xff', allow_duplicate_url=True, hosted=r.HostedURL(prefix='https://s3.amazonaws.com/clarifai-api/img3/prod', suffix='abc/123', sizes=['orig', 'tiny', 'small', 'large'], crossorigin='use-credentials'), image_info=r.ImageInfo(width=640, height=480, format='JPEG', color_mode='RGB', mode='RGB'), hosted_image_info={'small': r.ImageInfo(width=64, height=48)}, decoded_bytes=b'ab')
            expectJSON(
                #"{"url":"https://x/i.jpg","base64":"/9j/","allow_duplicate_url":true,"hosted":{"prefix":"https://s3.amazonaws.com/clarifai-api/img3/prod","suffix":"abc/123","sizes":["orig","tiny","small","large"],"crossorigin":"use-credentials"},"image_info":{"width":640,"height":480,"format":"JPEG","color_mode":"RGB","mode":"RGB"},"hosted_image_info":{"small":{"width":64,"height":48}},"decoded_bytes":"YWI="}"#
            ) { (m: inout Image) in
                m.url = "https://x/i.jpg"
                m.base64 = [0xff, 0xd8, 0xff]
                m.allowDuplicateURL = true
                m.hosted = make { (h: inout HostedURL) in
                    h.prefix = "https://s3.amazonaws.com/clarifai-api/img3/prod"
                    h.suffix = "abc/123"
                    h.sizes = ["orig", "tiny", "small", "large"]
                    h.crossorigin = "use-credentials"
                }
                m.imageInfo = make { (i: inout ImageInfo) in
                    i.width = 640
                    i.height = 480
                    i.format = "JPEG"
                    i.colorMode = "RGB"
                    i.mode = "RGB"
                }
                m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 48)
                m.decodedBytes = Array("ab".utf8)
            }
        }

        @Test func annotation() {
            // official: r.Annotation(id='ann-1', input_id='input-1',
            //     data=r.Data(concepts=[r.Concept(id='tree', value=1.0), r.Concept(id='water', value=0.0)],
            //     regions=[r.Region(id='r1', region_info=r.RegionInfo(bounding_box=r.BoundingBox(top_row=0.1, left_col=0.0, bottom_row=0.5, right_col=1.0)),
            //     data=r.Data(concepts=[r.Concept(id='dog', value=0.5)]))],
            //     frames=[r.Frame(frame_info=r.FrameInfo(index=0, time=0), data=r.Data(concepts=[r.Concept(id='x', value=1.0)]))]),
            //     status=st.Status(code=sc.ANNOTATION_SUCCESS), created_at=Timestamp(seconds=1700000000, nanos=123000000), modified_at=Timestamp(seconds=1700000100),
            //     trusted=True, annotation_info=struct_of({'task_id': 'task-1'}), embed_model_version_id='emv', user_id='u',
            //     model_version_id='mv', input_level=True, consensus_info=struct_of({}), task_id='task-1')
            expectJSON(
                #"{"id":"ann-1","input_id":"input-1","data":{"concepts":[{"id":"tree","value":1.0},{"id":"water","value":0}],"regions":[{"id":"r1","region_info":{"bounding_box":{"top_row":0.1,"bottom_row":0.5,"right_col":1.0,"left_col":0}},"data":{"concepts":[{"id":"dog","value":0.5}]}}],"frames":[{"frame_info":{"index":0,"time":"0","number":0},"data":{"concepts":[{"id":"x","value":1.0}]}}]},"status":{"code":24150},"created_at":"2023-11-14T22:13:20.123Z","modified_at":"2023-11-14T22:15:00Z","trusted":true,"annotation_info":{"task_id":"task-1"},"embed_model_version_id":"emv","user_id":"u","model_version_id":"mv","input_level":true,"consensus_info":{},"task_id":"task-1"}"#
            ) { (m: inout Annotation) in
                m.id = "ann-1"
                m.inputID = "input-1"
                var data = ClarifaiData()
                data.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                var region = Region()
                region.id = "r1"
                region.regionInfo = make { (i: inout RegionInfo) in
                    i.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0, bottomRow: 0.5, rightCol: 1)
                }
                region.data = make { (d: inout ClarifaiData) in d.concepts = [Concept(id: "dog", value: 0.5)] }
                data.regions = [region]
                var frame = Frame()
                frame.frameInfo = FrameInfo()
                frame.data = make { (d: inout ClarifaiData) in d.concepts = [Concept(id: "x", value: 1)] }
                data.frames = [frame]
                m.data = data
                m.status = Status(code: .annotationSuccess)
                m.createdAt = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
                m.modifiedAt = Timestamp(seconds: 1_700_000_100)
                m.trusted = true
                m.annotationInfo = ["task_id": "task-1"]
                m.embedModelVersionID = "emv"
                m.userID = "u"
                m.modelVersionID = "mv"
                m.inputLevel = true
                m.consensusInfo = ProtoStruct()
                m.taskID = "task-1"
            }
        }

        /// The documented post call, exactly as written (declaration order, as Clarifai's
        /// gateway writes it; Swift spells 1 as 1.0).
        @Test func postAnnotationsRequest() {
            // official: s.PostAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotations=[r.Annotation(input_id='{YOUR_INPUT_ID}', data=r.Data(concepts=[r.Concept(id='tree', value=1.0), r.Concept(id='water', value=0.0)]))])
            expectJSON(
                #"{"user_app_id":{"user_id":"{YOUR_USER_ID}","app_id":"{YOUR_APP_ID}"},"annotations":[{"input_id":"{YOUR_INPUT_ID}","data":{"concepts":[{"id":"tree","value":1.0},{"id":"water","value":0}]}}]}"#
            ) { (m: inout PostAnnotationsRequest) in
                m.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
                var annotation = Annotation()
                annotation.inputID = "{YOUR_INPUT_ID}"
                annotation.data = make { (d: inout ClarifaiData) in
                    d.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                }
                m.annotations = [annotation]
            }
            expectJSONText(
                #"{"user_app_id":{"user_id":"u","app_id":"a"},"annotations":[{"input_id":"i","data":{"concepts":[{"id":"tree","value":1.0},{"id":"water","value":0.0}]}}]}"#
            ) { (m: inout PostAnnotationsRequest) in
                m.userAppID = UserAppIDSet(userID: "u", appID: "a")
                var annotation = Annotation()
                annotation.inputID = "i"
                annotation.data = make { (d: inout ClarifaiData) in
                    d.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                }
                m.annotations = [annotation]
            }
        }

        @Test func listAnnotationsRequest() {
            // official: s.ListAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), ids=['a1'], input_ids=['i1'], user_ids=['u1'], model_version_ids=['m1'],
            //     workflow_version_ids=['w1'], statuses=[st.Status(code=sc.ANNOTATION_SUCCESS)], list_all_annotations=True, return_model_output=True,
            //     page=1, per_page=20, task_id='t')
            expectJSON(
                #"{"user_app_id":{"user_id":"{YOUR_USER_ID}","app_id":"{YOUR_APP_ID}"},"ids":["a1"],"input_ids":["i1"],"statuses":[{"code":24150}],"list_all_annotations":true,"page":1,"per_page":20,"user_ids":["u1"],"model_version_ids":["m1"],"task_id":"t","return_model_output":true,"workflow_version_ids":["w1"]}"#
            ) { (m: inout ListAnnotationsRequest) in
                m.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
                m.ids = ["a1"]
                m.inputIDs = ["i1"]
                m.userIDs = ["u1"]
                m.modelVersionIDs = ["m1"]
                m.workflowVersionIDs = ["w1"]
                m.statuses = [Status(code: .annotationSuccess)]
                m.listAllAnnotations = true
                m.returnModelOutput = true
                m.page = 1
                m.perPage = 20
                m.taskID = "t"
            }
        }

        @Test func otherRequestsAndResponses() {
            // official: s.DeleteAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), ids=['a'], input_ids=['i'])
            expectJSON(
                #"{"user_app_id":{"user_id":"{YOUR_USER_ID}","app_id":"{YOUR_APP_ID}"},"ids":["a"],"input_ids":["i"]}"#
            ) { (m: inout DeleteAnnotationsRequest) in
                m.userAppID = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")
                m.ids = ["a"]
                m.inputIDs = ["i"]
            }
            // official: s.SingleAnnotationResponse(status=st.Status(code=sc.SUCCESS), annotation=r.Annotation(id='a', data=r.Data(regions=[r.Region(region_info=r.RegionInfo(point=r.Point()))])))
            expectJSON(
                #"{"status":{"code":10000},"annotation":{"id":"a","data":{"regions":[{"region_info":{"point":{"row":0,"col":0}}}]}}}"#
            ) { (m: inout SingleAnnotationResponse) in
                m.status = Status(code: .success)
                var annotation = Annotation()
                annotation.id = "a"
                var region = Region()
                region.regionInfo = make { (i: inout RegionInfo) in i.point = Point() }
                annotation.data = make { (d: inout ClarifaiData) in d.regions = [region] }
                m.annotation = annotation
            }
        }

        @Test func regionInfo() {
            // official: r.RegionInfo(bounding_box=r.BoundingBox(), mask=r.Mask(image=r.Image(base64=b'png')), polygon=r.Polygon(points=[r.Point()]),
            //     point=r.Point(row=0.5), span=r.Span(), token=r.Token(char_end=3), keypoint_locations=[r.Point(col=0.5)])
            expectJSON(
                #"{"bounding_box":{"top_row":0,"left_col":0,"bottom_row":0,"right_col":0},"mask":{"image":{"base64":"cG5n"}},"polygon":{"points":[{"row":0,"col":0}]},"point":{"row":0.5,"col":0},"span":{"char_start":0,"char_end":0},"token":{"char_end":3,"char_start":0},"keypoint_locations":[{"col":0.5,"row":0}]}"#
            ) { (m: inout RegionInfo) in
                m.boundingBox = BoundingBox()
                m.mask = Mask(image: Image(bytes: Array("png".utf8)))
                m.polygon = Polygon(points: [Point()])
                m.point = Point(row: 0.5, col: 0)
                m.span = Span()
                m.token = make { (t: inout Token) in t.charEnd = 3 }
                m.keypointLocations = [Point(row: 0, col: 0.5)]
            }
        }

        @Test func mediaAndTracks() {
            // official: r.Data(video=r.Video(url='https://x/v.mp4', thumbnail_url='t'), tracks=[r.Track(id='t1', time_info=r.TimeInfo(num_frames=3, begin_time=0.5), quality=0.25)], audio=r.Audio(base64=b'\x01'))
            expectJSON(
                #"{"video":{"url":"https://x/v.mp4","thumbnail_url":"t"},"audio":{"base64":"AQ=="},"tracks":[{"id":"t1","time_info":{"num_frames":3,"begin_time":0.5},"quality":0.25}]}"#
            ) { (m: inout ClarifaiData) in
                m.video = make { (v: inout Video) in
                    v.url = "https://x/v.mp4"
                    v.thumbnailURL = "t"
                }
                m.tracks = [
                    make { (t: inout Track) in
                        t.id = "t1"
                        t.timeInfo = make { (i: inout TimeInfo) in
                            i.numFrames = 3
                            i.beginTime = 0.5
                        }
                        t.quality = 0.25
                    }
                ]
                m.audio = make { (a: inout Audio) in a.base64 = [0x01] }
            }
        }

        @Test func embedding() {
            // official: r.Embedding(vector=[0.5, -1.0, 0.0], num_dimensions=3)
            expectJSON(#"{"vector":[0.5,-1.0,0.0],"num_dimensions":3}"#) { (m: inout Embedding) in
                m.vector = [0.5, -1, 0]
                m.numDimensions = 3
            }
        }

        @Test func nonFiniteFloats() {
            // official: r.BoundingBox(top_row=float('nan'), left_col=float('inf'), bottom_row=float('-inf'), right_col=-0.0)
            expectJSON(
                #"{"top_row":"NaN","left_col":"Infinity","bottom_row":"-Infinity","right_col":-0.0}"#, roundTrip: false
            ) { (m: inout BoundingBox) in
                m.topRow = .nan
                m.leftCol = .infinity
                m.bottomRow = -.infinity
                m.rightCol = -0.0
            }
            // official: r.Data(float_value=float('-inf'))
            expectJSON(#"{"float_value":"-Infinity"}"#) { (m: inout ClarifaiData) in m.floatValue = -.infinity }
        }

        @Test func stringEscapes() {
            // official: r.Text(raw='line\n"quoted" \\ tab\t bell\x07 é 🌳', url='https://x/t')
            expectJSON(#"{"raw":"line\n\"quoted\" \\ tab\t bell\u0007 é 🌳","url":"https://x/t"}"#) { (m: inout Text) in
                m.raw = "line\n\"quoted\" \\ tab\t bell\u{07} é 🌳"
                m.url = "https://x/t"
            }
            expectJSONText(#"{"raw":"line\n\"quoted\" \\ tab\t bell\u0007 é 🌳"}"#) { (m: inout Text) in
                m.raw = "line\n\"quoted\" \\ tab\t bell\u{07} é 🌳"
            }
        }

        @Test func structValueAndListArePlainJSON() {
            // official: struct_of({'s': 'x', 'n': 1.5, 'b': False, 'z': None, 'l': [1, 'a', [], {}], 'o': {'k': True}})
            expectJSON(#"{"z":null,"s":"x","n":1.5,"o":{"k":true},"l":[1.0,"a",[],{}],"b":false}"#) {
                (m: inout ProtoStruct) in
                m = ["s": "x", "n": 1.5, "b": false, "z": nil, "l": [1, "a", [], [:]], "o": ["k": true]]
            }
            expectJSONText(#"{"a":[true,null,"x",{}]}"#) { (m: inout ProtoStruct) in m = ["a": [true, nil, "x", [:]]] }
            expectJSONText(#"[1.5,false]"#) { (m: inout ProtoListValue) in m = [1.5, false] }
            expectJSONText(#""s""#) { (m: inout ProtoValue) in m = "s" }
            expectJSONText(#"null"#) { (m: inout ProtoValue) in m = nil }
        }

        /// JSON has no room for fields this package does not model; they are left out.
        @Test func unmodelledFieldsAreLeftOut() {
            expectJSONText(#"{"id":"a","data":{}}"#) { (m: inout Annotation) in
                m.id = "a"
                m.data = ClarifaiData()
                m.data?.geo = RawMessage(bytes: [0x0a, 0x00])
            }
        }

        /// Whatever the writer produces must read back: Float.greatestFiniteMagnitude prints as
        /// 3.4028235e+38, a decimal just above FLT_MAX that still rounds to it (Go's protojson
        /// reads it; Python's json_format does not).
        @Test func writtenFloatMaxReadsBack() {
            // official: json_format.MessageToJson(r.BoundingBox(top_row=3.4028234663852886e38)) writes 3.4028235e+38
            expectJSON(#"{"top_row":3.4028235e+38,"left_col":-3.4028235e+38,"bottom_row":0,"right_col":0}"#) {
                (m: inout BoundingBox) in
                m.topRow = .greatestFiniteMagnitude
                m.leftCol = -.greatestFiniteMagnitude
            }
        }
    }

    // MARK: - Timestamps: RFC 3339, UTC, 0/3/6/9 fractional digits

    @Test(
        arguments: [
            // official: Timestamp(seconds=<row[0]>, nanos=<row[1]>).ToJsonString() for each row
            (Int64(1_700_000_000), Int32(0), #"2023-11-14T22:13:20Z"#),
            (1_700_000_000, 123_000_000, #"2023-11-14T22:13:20.123Z"#),
            (1_700_000_000, 123_456_000, #"2023-11-14T22:13:20.123456Z"#),
            (1_700_000_000, 123_456_789, #"2023-11-14T22:13:20.123456789Z"#),
            (0, 0, #"1970-01-01T00:00:00Z"#),
            (-62_135_596_800, 0, #"0001-01-01T00:00:00Z"#),
            (253_402_300_799, 999_999_999, #"9999-12-31T23:59:59.999999999Z"#),
            (-1, 0, #"1969-12-31T23:59:59Z"#),
            (-1, 500_000_000, #"1969-12-31T23:59:59.500Z"#),
            (1, 1, #"1970-01-01T00:00:01.000000001Z"#),
            (951_782_400, 10_000_000, #"2000-02-29T00:00:00.010Z"#),
        ] as [(Int64, Int32, String)])
    func timestamp(seconds: Int64, nanos: Int32, text: String) throws {
        let timestamp = Timestamp(seconds: seconds, nanos: nanos)
        #expect(timestamp.rfc3339 == text)
        #expect(timestamp.jsonString() == "\"" + text + "\"")
        #expect(try Timestamp(jsonString: "\"" + text + "\"") == timestamp)
    }

    // MARK: - Reading (checked against json_format.Parse)

    @Suite struct Reading {
        @Test func lowerCamelCaseNames() {
            // official: json_format.Parse(<json>, r.Annotation())
            expectJSONDecode(
                Annotation.self,
                #"{"id": "a", "inputId": "i1", "data": {"concepts": [{"id": "tree", "value": 0.5}], "intValue": "7", "boolValue": true}, "annotationInfo": {"taskId": "keeps its key"}, "userId": "u", "modelVersionId": "m", "embedModelVersionId": "e", "createdAt": "2024-01-31T12:00:00Z", "modifiedAt": "2024-01-31T12:00:00.5Z", "inputLevel": true, "consensusInfo": {}, "taskId": "t", "status": {"code": 24150, "reqId": "r", "stackTrace": ["x"], "httpStatusCode": 200}}"#,
                official: hex(
                    """
                    0a 01 61 12 02 69 31 1a 13 1a 0b 0a 04 74 72 65 65 1d 00 00 00 3f a8 01 07 c0 01 01 3a 0d 08 d6
                    bc 01 22 01 78 3a 01 72 58 c8 01 42 06 08 c0 ec e8 ad 06 4a 0c 08 c0 ec e8 ad 06 10 80 ca b5 ee
                    01 6a 1b 0a 19 0a 06 74 61 73 6b 49 64 12 0f 1a 0d 6b 65 65 70 73 20 69 74 73 20 6b 65 79 72 01
                    65 7a 01 75 82 01 01 6d 88 01 01 92 01 00 9a 01 01 74
                    """))
        }

        @Test func protoNames() {
            // official: json_format.Parse(<json>, r.Annotation())
            expectJSONDecode(
                Annotation.self,
                #"{"id": "a", "input_id": "i1", "annotation_info": {"k": [1, null, "s", false]}, "created_at": "2024-01-31T12:00:00.123456Z"}"#,
                official: hex(
                    """
                    0a 01 61 12 02 69 31 42 0b 08 c0 ec e8 ad 06 10 80 94 ef 3a 6a 21 0a 1f 0a 01 6b 12 1a 32 18 0a
                    09 11 00 00 00 00 00 00 f0 3f 0a 02 08 00 0a 03 1a 01 73 0a 02 20 00
                    """))
        }

        @Test func enumsByNameOrNumber() {
            // official: json_format.Parse(<json>, st.Status())
            expectJSONDecode(Status.self, #"{"code": "ANNOTATION_PENDING"}"#, official: [0x08, 0xd7, 0xbc, 0x01])
            expectJSONDecode(Status.self, #"{"code": 24151}"#, official: [0x08, 0xd7, 0xbc, 0x01])
            expectJSONDecode(Status.self, #"{"code": "24151"}"#, official: [0x08, 0xd7, 0xbc, 0x01])
            expectJSONDecode(Status.self, #"{"code": 99999}"#, official: [0x08, 0x9f, 0x8d, 0x06])
            expectJSONDecode(
                Point.self, #"{"row": 0.5, "visibility": "NOT_VISIBLE"}"#,
                official: [0x0d, 0x00, 0x00, 0x00, 0x3f, 0x20, 0x02])
            expectJSONDecode(#"{"code":"ANNOTATION_PENDING"}"#) { (m: inout Status) in m.code = .annotationPending }
        }

        @Test func integersAsStringsOrWholeNumbers() {
            // official: json_format.Parse(<json>, r.ImageInfo())
            expectJSONDecode(
                ImageInfo.self, #"{"width": "640", "height": 480.0}"#, official: [0x08, 0x80, 0x05, 0x10, 0xe0, 0x03])
            expectJSONDecode(
                ListAnnotationsRequest.self, #"{"page": "4294967295", "perPage": 1e1}"#,
                official: [0x38, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x40, 0x0a])
            expectJSONDecode(
                ClarifaiData.self, #"{"int_value": "-9223372036854775808"}"#,
                official: [0xa8, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
            expectJSONDecode(
                ClarifaiData.self, #"{"int_value": 9223372036854775807}"#,
                official: [0xa8, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
            expectJSONDecode(
                FrameInfo.self, #"{"time": "18446744073709551615", "index": 0, "number": "3"}"#,
                official: [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x18, 0x03])
        }

        @Test func floatsAsStringsNaNAndInfinity() throws {
            // official: json_format.Parse(<json>, r.BoundingBox())
            expectJSONDecode(
                BoundingBox.self,
                #"{"top_row": "1e-3", "left_col": "Infinity", "bottom_row": "-Infinity", "right_col": "0.5"}"#,
                official: hex(
                    """
                    0d 6f 12 83 3a 15 00 00 80 7f 1d 00 00 80 ff 25 00 00 00 3f
                    """))
            expectJSONDecode(
                Concept.self, #"{"id": "a", "value": "NaN"}"#,
                official: [0x0a, 0x01, 0x61, 0x1d, 0x00, 0x00, 0xc0, 0x7f])
            expectJSONDecode(
                ClarifaiData.self, #"{"float_value": "-Infinity"}"#,
                official: [0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff])
            #expect(try Concept(jsonString: #"{"value":"NaN"}"#).value.isNaN)
        }

        @Test func base64Variants() {
            // official: json_format.Parse(<json>, r.Image())
            expectJSONDecode(Image.self, #"{"base64": "AP_-"}"#, official: [0x12, 0x03, 0x00, 0xff, 0xfe])
            expectJSONDecode(Image.self, #"{"base64": "AP/+"}"#, official: [0x12, 0x03, 0x00, 0xff, 0xfe])
            expectJSONDecode(
                Image.self, #"{"base64": "AQ", "decodedBytes": "AQI"}"#,
                official: [0x12, 0x01, 0x01, 0x42, 0x02, 0x01, 0x02])
            expectJSONDecode(
                Image.self, #"{"base64": "AQ==", "decoded_bytes": "AQI="}"#,
                official: [0x12, 0x01, 0x01, 0x42, 0x02, 0x01, 0x02])
        }

        @Test func nullMeansDefault() {
            // official: json_format.Parse(<json>, r.Annotation())
            expectJSONDecode(
                Annotation.self,
                #"{"id": null, "data": null, "status": null, "trusted": null, "created_at": null, "annotation_info": null, "task_id": null}"#,
                official: [])
            expectJSONDecode(
                ListAnnotationsRequest.self, #"{"ids": null, "statuses": null, "page": null}"#, official: [])
            expectJSONDecode(#"{"id":null,"data":null,"trusted":null}"#) { (_: inout Annotation) in }
        }

        @Test func nullInsideStructIsNullValue() {
            // official: json_format.Parse(<json>, r.Annotation())
            expectJSONDecode(
                Annotation.self, #"{"annotation_info": {"a": null, "b": {"c": null}}}"#,
                official: hex(
                    """
                    6a 1b 0a 07 0a 01 61 12 02 08 00 0a 10 0a 01 62 12 0b 2a 09 0a 07 0a 01 63 12 02 08 00
                    """))
            expectJSONDecode(#"{"annotation_info":{"a":null}}"#) { (m: inout Annotation) in
                m.annotationInfo = ["a": nil]
            }
        }

        @Test func timestamps() {
            // official: json_format.Parse(<json>, r.Annotation())
            expectJSONDecode(
                Annotation.self, #"{"created_at": "2024-01-31T12:00:00.250+01:00"}"#,
                official: [0x42, 0x0b, 0x08, 0xb0, 0xd0, 0xe8, 0xad, 0x06, 0x10, 0x80, 0xe5, 0x9a, 0x77])
            expectJSONDecode(
                Annotation.self,
                #"{"created_at": "0001-01-01T00:00:00Z", "modified_at": "9999-12-31T23:59:59.999999999Z"}"#,
                official: hex(
                    """
                    42 0b 08 80 92 b8 c3 98 fe ff ff ff 01 4a 0d 08 ff 82 d1 ff af 07 10 ff 93 eb dc 03
                    """))
        }

        @Test func mapsWhitespaceAndEscapes() {
            // official: json_format.Parse(<json>, r.Image())
            // Maps are unordered and upb's deterministic order puts "" last: compared as messages.
            expectJSONDecode(
                Image.self, #"{"hostedImageInfo": {"": {}, "small": {"width": 64}}}"#,
                official: hex(
                    """
                    3a 0b 0a 05 73 6d 61 6c 6c 12 02 08 40 3a 04 0a 00 12 00
                    """), sameBytes: false)
            expectJSONDecode(
                Concept.self, " \n\t{ \"id\" : \"a\" ,\r\n \"value\" : 1 } \n",
                official: [0x0a, 0x01, 0x61, 0x1d, 0x00, 0x00, 0x80, 0x3f])
            // official: json_format.Parse(<json>, r.Text())
            expectJSONDecode(
                Text.self, #"{"raw": "\u00e9\ud83c\udf33\n\"\\\/\u0001"}"#,
                official: [0x0a, 0x0b, 0xc3, 0xa9, 0xf0, 0x9f, 0x8c, 0xb3, 0x0a, 0x22, 0x5c, 0x2f, 0x01])
        }

        /// Clarifai's `cl_default_float: 1`: a concept without `value` is present (1.0);
        /// an explicit 0 stays 0 (json_format knows nothing of the option and reads 0 for both).
        @Test func conceptValueDefaultsToOne() {
            expectJSONDecode(#"{"id":"tree"}"#) { (m: inout Concept) in m = Concept(id: "tree", value: 1) }
            expectJSONDecode(#"{"id":"tree","value":null}"#) { (m: inout Concept) in m = Concept(id: "tree", value: 1) }
            expectJSONDecode(#"{"data":{"concepts":[{"id":"tree"},{"id":"water","value":0}]}}"#) {
                (m: inout Annotation) in
                m.data = make { (d: inout ClarifaiData) in
                    d.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
                }
            }
            // official: json_format.Parse(<json>, r.Concept())
            expectJSONDecode(
                Concept.self, #"{"id": "water", "value": 0}"#, official: [0x0a, 0x05, 0x77, 0x61, 0x74, 0x65, 0x72])
        }
    }

    // MARK: - Reading failures: exact descriptions with the field path

    @Test(
        arguments: [
            (
                "clarifai.api.Annotation", #"{"data":{"concepts":[{"id":"a"},{"id":"b","value":"high"}]}}"#,
                "Annotation.data.concepts[1].value: expected a number"
            ),
            (
                "clarifai.api.Annotation", #"{"data":{"concepts":[{"id":"a","colour":"red"}]}}"#,
                "Annotation.data.concepts[0].colour: unknown field"
            ),
            ("clarifai.api.Annotation", #"{"bogus":1}"#, "Annotation.bogus: unknown field"),
            ("clarifai.api.Annotation", #"{"id":"a"} x"#, "invalid JSON at byte 11: trailing characters"),
            ("clarifai.api.Annotation", #"{"id":"a",}"#, "invalid JSON at byte 10: expected a key"),
            ("clarifai.api.Annotation", #"{"id":"\ud800"}"#, "invalid JSON at byte 13: unpaired surrogate"),
            ("clarifai.api.Annotation", #"[]"#, "Annotation: expected an object"),
            (
                "clarifai.api.Annotation", #"{"data":{"geo":{}}}"#,
                "Annotation.data.geo: field type not modelled by this package (binary only)"
            ),
            (
                "clarifai.api.status.Status", #"{"redirect_info":{}}"#,
                "Status.redirect_info: field type not modelled by this package (binary only)"
            ),
            (
                "clarifai.api.Concept", #"{"visibility":{}}"#,
                "Concept.visibility: field type not modelled by this package (binary only)"
            ),
            (
                "clarifai.api.Video", #"{"videoInfo":{}}"#,
                "Video.video_info: field type not modelled by this package (binary only)"
            ),
            (
                "clarifai.api.Annotation", #"{"created_at":"2024-02-30T00:00:00Z"}"#,
                "Annotation.created_at: invalid RFC 3339 timestamp"
            ),
            (
                "clarifai.api.Annotation", #"{"created_at":"2024-01-31T12:00:00"}"#,
                "Annotation.created_at: invalid RFC 3339 timestamp"
            ),
            (
                "clarifai.api.Annotation", #"{"created_at":"2024-01-31T12:00:00.1234567891Z"}"#,
                "Annotation.created_at: invalid RFC 3339 timestamp"
            ),
            ("clarifai.api.Annotation", #"{"created_at":5}"#, "Annotation.created_at: expected a string"),
            ("google.protobuf.Timestamp", #""bad""#, "Timestamp: invalid RFC 3339 timestamp"),
            ("clarifai.api.ImageInfo", #"{"width":2147483648}"#, "ImageInfo.width: number out of range for int32"),
            ("clarifai.api.ImageInfo", #"{"width":1.5}"#, "ImageInfo.width: expected an integer"),
            ("clarifai.api.ImageInfo", #"{"width":"x"}"#, "ImageInfo.width: expected an integer"),
            (
                "clarifai.api.ListAnnotationsRequest", #"{"page":-1}"#,
                "ListAnnotationsRequest.page: number out of range for uint32"
            ),
            (
                "clarifai.api.Data", #"{"int_value":"9223372036854775808"}"#,
                "Data.int_value: number out of range for int64"
            ),
            ("clarifai.api.FrameInfo", #"{"time":"-1"}"#, "FrameInfo.time: number out of range for uint64"),
            ("clarifai.api.BoundingBox", #"{"top_row":3.5e38}"#, "BoundingBox.top_row: number out of range for float"),
            ("clarifai.api.Embedding", #"{"vector":[1,"x"]}"#, "Embedding.vector[1]: expected a number"),
            (
                "clarifai.api.status.Status", #"{"code":"NOT_A_CODE"}"#,
                #"Status.code: unknown enum value name "NOT_A_CODE""#
            ),
            (
                "clarifai.api.Point", #"{"visibility":"SOMETIMES"}"#,
                #"Point.visibility: unknown enum value name "SOMETIMES""#
            ),
            ("clarifai.api.Image", #"{"base64":"A"}"#, "Image.base64: invalid base64"),
            ("clarifai.api.Image", #"{"base64":5}"#, "Image.base64: expected a base64 string"),
            (
                "clarifai.api.Image", #"{"hosted_image_info":{"small":{"width":"x"}}}"#,
                "Image.hosted_image_info.small.width: expected an integer"
            ),
            ("clarifai.api.Annotation", #"{"trusted":"true"}"#, "Annotation.trusted: expected true or false"),
            ("clarifai.api.ListAnnotationsRequest", #"{"ids":"a"}"#, "ListAnnotationsRequest.ids: expected an array"),
            (
                "clarifai.api.ListAnnotationsRequest", #"{"ids":["a",1]}"#,
                "ListAnnotationsRequest.ids[1]: expected a string"
            ),
            (
                "clarifai.api.Annotation", #"{"data":{"concepts":[null]}}"#,
                "Annotation.data.concepts[0]: expected an object"
            ),
            (
                "clarifai.api.Annotation", #"{"annotation_info":{"a":{"b":[1,1e999]}}}"#,
                "Annotation.annotation_info.a.b[1]: number out of range for double"
            ),
            ("google.protobuf.Struct", #"[1]"#, "Struct: expected an object"),
            ("google.protobuf.ListValue", #"{}"#, "ListValue: expected an array"),
        ] as [(String, String, String)])
    func readingFails(typeName: String, json: String, description: String) throws {
        let type = try #require(MessageTypes.named(typeName))
        expectJSONFails(type, json, description)
    }

    /// 100 levels of nesting read; 101 do not, wherever the extra level is.
    @Test func nestingLimit() throws {
        let deepest = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        _ = try ProtoValue(jsonString: deepest)
        expectJSONFails(ProtoValue.self, "[" + deepest + "]", "nesting deeper than 100")
        // Annotation {, annotation_info {, then arrays: 2 + 98 = 100 levels.
        let inner = String(repeating: "[", count: 98) + String(repeating: "]", count: 98)
        _ = try Annotation(jsonString: #"{"annotation_info":{"a":"# + inner + "}}")
        expectJSONFails(Annotation.self, #"{"annotation_info":{"a":["# + inner + "]}}", "nesting deeper than 100")
    }
}
