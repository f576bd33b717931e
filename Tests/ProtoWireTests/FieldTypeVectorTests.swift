import Testing

@testable import ProtoWire

// One vector per field type (Sources/ProtoWire/Wire/WireWriter.swift and WireReader.swift), each
// through a message that has a field of that type. Vectors from the official implementation, as
// described in Fixtures.swift.

@Suite struct FieldTypeVectorTests {
    @Test func string() {
        // official: r.Concept(id='tree')
        expectEncode([0x0a, 0x04, 0x74, 0x72, 0x65, 0x65]) { (m: inout Concept) in m.id = "tree" }
        // official: r.Concept(name='Baum 🌳 café 日本語')
        expectEncode(
            hex(
                """
                12 19 42 61 75 6d 20 f0 9f 8c b3 20 63 61 66 c3 a9 20 e6 97 a5 e6 9c ac e8 aa 9e
                """)
        ) { (m: inout Concept) in m.name = "Baum 🌳 café 日本語" }
        // official: r.Concept(id='')
        expectEncode([]) { (m: inout Concept) in m.id = "" }
        // official: r.Concept(id='x' * 200)  # 2-byte length prefix
        expectEncode(
            hex(
                """
                0a c8 01 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78
                """)
        ) { (m: inout Concept) in m.id = String(repeating: "x", count: 200) }
    }

    @Test func bytes() {
        // official: r.Image(base64=b'\x00\x01\xfe\xff')
        expectEncode([0x12, 0x04, 0x00, 0x01, 0xfe, 0xff]) { (m: inout Image) in m.base64 = [0x00, 0x01, 0xfe, 0xff] }
        // official: r.Image(base64=b'')  # empty bytes == absent in proto3
        expectEncode([]) { (m: inout Image) in m.base64 = [] }
        // official: r.Data(bytes_value=b'\x00')
        expectEncode([0xba, 0x01, 0x01, 0x00]) { (m: inout ClarifaiData) in m.bytesValue = [0x00] }
    }

    @Test func bool() {
        // official: r.Annotation(trusted=True)
        expectEncode([0x50, 0x01]) { (m: inout Annotation) in m.trusted = true }
        // official: r.Annotation(trusted=False)
        expectEncode([]) { (m: inout Annotation) in m.trusted = false }
        // official: r.Annotation(input_level=True)
        expectEncode([0x88, 0x01, 0x01]) { (m: inout Annotation) in m.inputLevel = true }
    }

    @Test func int32() {
        // official: r.ImageInfo(width=-1)
        expectEncode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ImageInfo) in
            m.width = -1
        }
        // official: r.ImageInfo(width=-2147483648)
        expectEncode([0x08, 0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ImageInfo) in
            m.width = .min
        }
        // official: r.ImageInfo(height=2147483647)
        expectEncode([0x10, 0xff, 0xff, 0xff, 0xff, 0x07]) { (m: inout ImageInfo) in m.height = .max }
        // official: r.ImageInfo(width=300)
        expectEncode([0x08, 0xac, 0x02]) { (m: inout ImageInfo) in m.width = 300 }
    }

    @Test func uint32() {
        // official: s.ListAnnotationsRequest(page=4294967295)
        expectEncode([0x38, 0xff, 0xff, 0xff, 0xff, 0x0f]) { (m: inout ListAnnotationsRequest) in m.page = .max }
        // official: s.ListAnnotationsRequest(per_page=128)
        expectEncode([0x40, 0x80, 0x01]) { (m: inout ListAnnotationsRequest) in m.perPage = 128 }
    }

    @Test func int64() {
        // official: r.Data(int_value=-9223372036854775808)
        expectEncode([0xa8, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) {
            (m: inout ClarifaiData) in m.intValue = .min
        }
        // official: r.Data(int_value=9223372036854775807)
        expectEncode([0xa8, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) { (m: inout ClarifaiData) in
            m.intValue = .max
        }
        // official: r.Data(int_value=-1)
        expectEncode([0xa8, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) {
            (m: inout ClarifaiData) in m.intValue = -1
        }
        // official: Timestamp(seconds=-62135596800, nanos=999)
        expectEncode([0x08, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x01, 0x10, 0xe7, 0x07]) {
            (m: inout Timestamp) in
            m = Timestamp(seconds: -62_135_596_800, nanos: 999)
        }
    }

    @Test func uint64() {
        // official: r.FrameInfo(time=18446744073709551615)
        expectEncode([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout FrameInfo) in
            m.time = .max
        }
        // official: r.FrameInfo(time=4294967296)
        expectEncode([0x10, 0x80, 0x80, 0x80, 0x80, 0x10]) { (m: inout FrameInfo) in m.time = 1 << 32 }
    }

    @Test func float() throws {
        // official: r.Concept(value=1.0)
        expectEncode([0x1d, 0x00, 0x00, 0x80, 0x3f]) { (m: inout Concept) in m.value = 1 }
        // official: r.Region(value=0.1)
        expectEncode([0x25, 0xcd, 0xcc, 0xcc, 0x3d]) { (m: inout Region) in m.value = 0.1 }
        // official: r.BoundingBox(top_row=float('inf'), left_col=float('-inf'))
        expectEncode([0x0d, 0x00, 0x00, 0x80, 0x7f, 0x15, 0x00, 0x00, 0x80, 0xff]) { (m: inout BoundingBox) in
            m.topRow = .infinity
            m.leftCol = -.infinity
        }
        // official: r.Point(row=3.4028234663852886e38, col=1.401298464324817e-45, z=1.1754943508222875e-38)  # FLT_MAX, min subnormal, FLT_MIN
        expectEncode([0x0d, 0xff, 0xff, 0x7f, 0x7f, 0x15, 0x01, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x80, 0x00]) {
            (m: inout Point) in
            m.row = .greatestFiniteMagnitude
            m.col = .leastNonzeroMagnitude
            m.z = .leastNormalMagnitude
        }
    }

    /// -0.0 == 0.0 in Swift, so the sign is checked on the bits.
    @Test func floatNegativeZero() throws {
        // official: r.Concept(value=-0.0)  # bit pattern 0x80000000 is not the default, so it is written
        expectEncode([0x1d, 0x00, 0x00, 0x00, 0x80]) { (m: inout Concept) in m.value = -0.0 }
        #expect(try Concept(serializedBytes: [0x1d, 0x00, 0x00, 0x00, 0x80]).value.bitPattern == 0x8000_0000)
    }

    @Test func floatNaN() throws {
        // official: r.Concept(value=float('nan'))  # 0x7fc00000
        expectEncode([0x1d, 0x00, 0x00, 0xc0, 0x7f], checkEquality: false) { (m: inout Concept) in m.value = .nan }
        #expect(try Concept(serializedBytes: [0x1d, 0x00, 0x00, 0xc0, 0x7f]).value.bitPattern == 0x7fc0_0000)
    }

    @Test func double() throws {
        // official: r.Data(float_value=0.1)
        expectEncode([0xb1, 0x01, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f]) { (m: inout ClarifaiData) in
            m.floatValue = 0.1
        }
        // official: r.Data(float_value=-0.0)
        expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]) { (m: inout ClarifaiData) in
            m.floatValue = -0.0
        }
        #expect(
            try ClarifaiData(serializedBytes: [0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]).floatValue
                .sign == .minus)
        // official: r.Data(float_value=float('nan'))  # 0x7ff8000000000000
        expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f], checkEquality: false) {
            (m: inout ClarifaiData) in m.floatValue = .nan
        }
        #expect(
            try ClarifaiData(serializedBytes: [0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f]).floatValue
                .bitPattern == 0x7ff8_0000_0000_0000)
        // official: r.Data(float_value=float('-inf'))
        expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff]) { (m: inout ClarifaiData) in
            m.floatValue = -.infinity
        }
        // official: r.Data(float_value=5e-324)
        expectEncode([0xb1, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]) { (m: inout ClarifaiData) in
            m.floatValue = .leastNonzeroMagnitude
        }
    }

    @Test func enumValues() throws {
        // official: st.Status(code=sc.SUCCESS)
        expectEncode([0x08, 0x90, 0x4e]) { (m: inout Status) in m.code = .success }
        // official: st.Status(code=-1)  # open enum: negative values take 10 bytes
        expectEncode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout Status) in
            m.code = StatusCode(rawValue: -1)
        }
        // official: st.Status(code=99999)  # open enum: a value with no name is kept
        expectEncode([0x08, 0x9f, 0x8d, 0x06]) { (m: inout Status) in m.code = StatusCode(rawValue: 99_999) }
        #expect(try Status(serializedBytes: [0x08, 0x9f, 0x8d, 0x06]).code.name == nil)
        // official: r.Point(visibility=r.Point.NOT_PRESENT)
        expectEncode([0x20, 0x03]) { (m: inout Point) in m.visibility = .notPresent }
        // official: r.Point(visibility=7)
        expectEncode([0x20, 0x07]) { (m: inout Point) in m.visibility = Point.Visibility(rawValue: 7) }
    }

    @Test func packedFloats() {
        // official: r.Embedding(vector=[0.5, -1.0, 0.0, float('inf')])
        expectEncode(
            hex(
                """
                0a 10 00 00 00 3f 00 00 80 bf 00 00 00 00 00 00 80 7f
                """)
        ) { (m: inout Embedding) in m.vector = [0.5, -1, 0, .infinity] }
        // official: r.Embedding(vector=[0.0])  # a zero element is still written
        expectEncode([0x0a, 0x04, 0x00, 0x00, 0x00, 0x00]) { (m: inout Embedding) in m.vector = [0] }
        // official: r.Embedding(vector=[], num_dimensions=0)
        expectEncode([]) { (m: inout Embedding) in m.vector = [] }
    }

    @Test func repeatedStrings() {
        // official: r.HostedURL(sizes=['orig', '', '大'])  # empty elements are written
        expectEncode([0x1a, 0x04, 0x6f, 0x72, 0x69, 0x67, 0x1a, 0x00, 0x1a, 0x03, 0xe5, 0xa4, 0xa7]) {
            (m: inout HostedURL) in m.sizes = ["orig", "", "大"]
        }
        // official: s.DeleteAnnotationsRequest(ids=['a1', 'a2', 'a3'], input_ids=['i1'])
        expectEncode([0x12, 0x02, 0x61, 0x31, 0x12, 0x02, 0x61, 0x32, 0x12, 0x02, 0x61, 0x33, 0x1a, 0x02, 0x69, 0x31]) {
            (m: inout DeleteAnnotationsRequest) in
            m.ids = ["a1", "a2", "a3"]
            m.inputIDs = ["i1"]
        }
    }

    @Test func repeatedMessages() {
        // official: r.Polygon(points=[r.Point(row=0.25, col=0.5), r.Point()])  # an all-default element is written
        expectEncode([0x0a, 0x0a, 0x0d, 0x00, 0x00, 0x80, 0x3e, 0x15, 0x00, 0x00, 0x00, 0x3f, 0x0a, 0x00]) {
            (m: inout Polygon) in
            m.points = [Point(row: 0.25, col: 0.5), Point()]
        }
        // official: s.ListAnnotationsRequest(statuses=[st.Status(code=sc.ANNOTATION_SUCCESS), st.Status()])
        expectEncode([0x2a, 0x04, 0x08, 0xd6, 0xbc, 0x01, 0x2a, 0x00]) { (m: inout ListAnnotationsRequest) in
            m.statuses = [Status(code: .annotationSuccess), Status()]
        }
    }

    @Test func presentEmptyMessages() {
        // official: r.Annotation(data=r.Data(), status=st.Status(), created_at=Timestamp())  # presence, all-default
        expectEncode([0x1a, 0x00, 0x3a, 0x00, 0x42, 0x00]) { (m: inout Annotation) in
            m.data = ClarifaiData()
            m.status = Status()
            m.createdAt = Timestamp()
        }
    }

    @Test func mapEntries() {
        // official: r.Image(hosted_image_info={'small': r.ImageInfo(width=64, height=48), 'large': r.ImageInfo(width=1024, height=768)})  # deterministic: keys sorted
        expectEncode(
            hex(
                """
                3a 0f 0a 05 6c 61 72 67 65 12 06 08 80 08 10 80 06 3a 0d 0a 05 73 6d 61 6c 6c 12 04 08 40 10 30
                """)
        ) { (m: inout Image) in
            m.hostedImageInfo["large"] = ImageInfo(width: 1024, height: 768)
            m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 48)
        }
        // official: r.Image(hosted_image_info={'': r.ImageInfo()})  # key and value are written even at their defaults
        expectEncode([0x3a, 0x04, 0x0a, 0x00, 0x12, 0x00]) { (m: inout Image) in
            m.hostedImageInfo[""] = ImageInfo()
        }
        // official: struct_of({'a': 1})
        expectEncode([0x0a, 0x0e, 0x0a, 0x01, 0x61, 0x12, 0x09, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f]) {
            (m: inout ProtoStruct) in m = ["a": 1]
        }
        // official: Struct(fields={'a': Value()})
        expectEncode([0x0a, 0x05, 0x0a, 0x01, 0x61, 0x12, 0x00]) { (m: inout ProtoStruct) in m["a"] = ProtoValue() }
    }

    @Test func rawUnmodelledMessages() {
        // official: r.Annotation(worker=r.Worker(user=r.User(id='annotator-1')))
        expectEncode(
            hex(
                """
                aa 01 0f 0a 0d 0a 0b 61 6e 6e 6f 74 61 74 6f 72 2d 31
                """)
        ) { (m: inout Annotation) in
            m.worker = Worker(.user(User(id: "annotator-1")))
        }
        // official: r.Data(geo=r.Geo())  # present, all-default
        expectEncode([0x32, 0x00]) { (m: inout ClarifaiData) in m.geo = RawMessage(bytes: []) }
        // official: r.Data(colors=[r.Color(raw_hex='#000000'), r.Color()], parts=[r.Part(id='p')])
        expectEncode(
            hex(
                """
                3a 09 0a 07 23 30 30 30 30 30 30 3a 00 9a 01 03 12 01 70
                """)
        ) { (m: inout ClarifaiData) in
            // official: r.Color(raw_hex='#000000')
            let black: [UInt8] = [0x0a, 0x07, 0x23, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30]
            // official: r.Color()
            let empty: [UInt8] = []
            // official: r.Part(id='p')
            let part: [UInt8] = [0x12, 0x01, 0x70]
            m.colors = [RawMessage(bytes: black), RawMessage(bytes: empty)]
            m.parts = [RawMessage(bytes: part)]
        }
        // official: st.Status(redirect_info=st.RedirectInfo(url='https://api.clarifai.com/v2/x', resource_type='app'))
        expectEncode(
            hex(
                """
                4a 24 0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f
                78 12 03 61 70 70
                """)
        ) { (m: inout Status) in
            m.redirectInfo = RawMessage(
                bytes: hex(
                    """
                    0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f 78 12
                    03 61 70 70
                    """))
        }
    }
}
