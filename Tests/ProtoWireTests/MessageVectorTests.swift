import Testing
@testable import ProtoWire

// Binary vectors in the style of swift-protobuf's tests. Every expected byte string was
// produced by the official implementation — clarifai-grpc 12.6.0's Python classes on
// protobuf 7.36 (upb) — never by this package's encoder; the comment above each vector is
// the Python expression that built it (`r` = resources_pb2, `s` = service_pb2,
// `st` = status_pb2, `sc` = status_code_pb2; maps serialized with deterministic=True, which
// sorts keys, so the Swift builders insert keys in sorted order).

private let sampleTimestamp = Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)

private let sampleHosted = make { (h: inout HostedURL) in
    h.prefix = "https://s3.amazonaws.com/clarifai-api/img3/prod"
    h.suffix = "abc/123"
    h.sizes = ["orig", "tiny", "small", "large"]
    h.crossorigin = "use-credentials"
}

private let sampleImageInfo = make { (i: inout ImageInfo) in
    i.width = 640
    i.height = 480
    i.format = "JPEG"
    i.colorMode = "RGB"
    i.mode = "RGB"
}

private let sampleApp = UserAppIDSet(userID: "{YOUR_USER_ID}", appID: "{YOUR_APP_ID}")

private let sampleStatus = make { (s: inout Status) in
    s.code = .success
    s.description = "Ok"
    s.reqID = "req-1"
}

private func dataWith(_ concepts: Concept...) -> ClarifaiData {
    make { (d: inout ClarifaiData) in d.concepts = concepts }
}

private func pointWith(_ row: Float, _ col: Float, _ visibility: Point.Visibility = .notSet) -> Point {
    var p = Point(row: row, col: col)
    p.visibility = visibility
    return p
}

private func hostedWith(prefix: String = "", suffix: String = "", sizes: [String] = []) -> HostedURL {
    make { (h: inout HostedURL) in
        h.prefix = prefix
        h.suffix = suffix
        h.sizes = sizes
    }
}

private func rangeWith<R: TextRange>(_ start: UInt32, _ end: UInt32, _ text: String) -> R {
    make { (r: inout R) in
        r.charStart = start
        r.charEnd = end
        r.rawText = text
    }
}

private func annotationWith(id: String = "", inputID: String = "") -> Annotation {
    make { (a: inout Annotation) in
        a.id = id
        a.inputID = inputID
    }
}

/// `depth` nested messages, ListValue{values: Value{list_value: ListValue{…}}} from the inside
/// out, exactly as vectors.py builds them to find the official limit (100 decodes, 101 fails).
private func nestedLists(_ depth: Int) -> [UInt8] {
    var inner: [UInt8] = []
    for level in 0..<depth {
        let tag: UInt8 = level % 2 == 0 ? 0x32 : 0x0a  // Value.list_value : ListValue.values
        var length = inner.count
        var prefix: [UInt8] = [tag]
        while length >= 0x80 {
            prefix.append(UInt8(length & 0x7f) | 0x80)
            length >>= 7
        }
        prefix.append(UInt8(length))
        inner = prefix + inner
    }
    return inner
}

@Suite struct MessageVectorTests {

    // MARK: - Every field of every message

    @Suite struct EveryField {
        @Test func userAppIDSet() {
            // official: r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}')
            expectEncode(hex("""
                0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44 7d
                """)) { (m: inout UserAppIDSet) in
                m = sampleApp
            }
        }

        @Test func hostedURL() {
            // official: r.HostedURL(prefix='https://s3.amazonaws.com/clarifai-api/img3/prod', suffix='abc/123', sizes=['orig', 'tiny', 'small', 'large'], crossorigin='use-credentials')
            expectEncode(hex("""
                0a 2f 68 74 74 70 73 3a 2f 2f 73 33 2e 61 6d 61 7a 6f 6e 61 77 73 2e 63 6f 6d 2f 63 6c 61 72 69
                66 61 69 2d 61 70 69 2f 69 6d 67 33 2f 70 72 6f 64 12 07 61 62 63 2f 31 32 33 1a 04 6f 72 69 67
                1a 04 74 69 6e 79 1a 05 73 6d 61 6c 6c 1a 05 6c 61 72 67 65 22 0f 75 73 65 2d 63 72 65 64 65 6e
                74 69 61 6c 73
                """)) { (m: inout HostedURL) in
                m = sampleHosted
            }
        }

        @Test func imageInfo() {
            // official: r.ImageInfo(width=640, height=480, format='JPEG', color_mode='RGB', mode='RGB')
            expectEncode(hex("""
                08 80 05 10 e0 03 1a 04 4a 50 45 47 22 03 52 47 42 2a 03 52 47 42
                """)) { (m: inout ImageInfo) in
                m = sampleImageInfo
            }
        }

        @Test func image() {
            // official: r.Image(url='https://samples.clarifai.com/metro-north.jpg', base64=b'\xff\xd8\xff\xe0',
            //     allow_duplicate_url=True, hosted=r.HostedURL(prefix='https://s3.amazonaws.com/clarifai-api/img3/prod', suffix='abc/123', sizes=['orig', 'tiny', 'small', 'large'], crossorigin='use-credentials'), image_info=r.ImageInfo(width=640, height=480, format='JPEG', color_mode='RGB', mode='RGB'),
            //     hosted_image_info={'small': r.ImageInfo(width=64, height=48)}, decoded_bytes=b'\x00\x01')
            expectEncode(hex("""
                0a 2c 68 74 74 70 73 3a 2f 2f 73 61 6d 70 6c 65 73 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 6d
                65 74 72 6f 2d 6e 6f 72 74 68 2e 6a 70 67 12 04 ff d8 ff e0 20 01 2a 65 0a 2f 68 74 74 70 73 3a
                2f 2f 73 33 2e 61 6d 61 7a 6f 6e 61 77 73 2e 63 6f 6d 2f 63 6c 61 72 69 66 61 69 2d 61 70 69 2f
                69 6d 67 33 2f 70 72 6f 64 12 07 61 62 63 2f 31 32 33 1a 04 6f 72 69 67 1a 04 74 69 6e 79 1a 05
                73 6d 61 6c 6c 1a 05 6c 61 72 67 65 22 0f 75 73 65 2d 63 72 65 64 65 6e 74 69 61 6c 73 32 16 08
                80 05 10 e0 03 1a 04 4a 50 45 47 22 03 52 47 42 2a 03 52 47 42 3a 0d 0a 05 73 6d 61 6c 6c 12 04
                08 40 10 30 42 02 00 01
                """)) { (m: inout Image) in
                m.url = "https://samples.clarifai.com/metro-north.jpg"
                m.base64 = [0xff, 0xd8, 0xff, 0xe0]
                m.allowDuplicateURL = true
                m.hosted = sampleHosted
                m.imageInfo = sampleImageInfo
                m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 48)
                m.decodedBytes = [0x00, 0x01]
            }
        }

        @Test func video() {
            // official: r.Video(url='https://samples.clarifai.com/beer.mp4', base64=b'\x00\x00\x00\x18',
            //     allow_duplicate_url=True, thumbnail_url='https://x/thumb.jpg', hosted=r.HostedURL(prefix='p', suffix='s'),
            //     video_info=r.VideoInfo(width=1920, height=1080, fps=29.97), hosted_thumbnail=r.HostedURL(prefix='t', sizes=['small']))
            expectEncode(hex("""
                0a 25 68 74 74 70 73 3a 2f 2f 73 61 6d 70 6c 65 73 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 62
                65 65 72 2e 6d 70 34 12 04 00 00 00 18 20 01 2a 13 68 74 74 70 73 3a 2f 2f 78 2f 74 68 75 6d 62
                2e 6a 70 67 32 06 0a 01 70 12 01 73 3a 0b 08 80 0f 10 b8 08 1d 8f c2 ef 41 42 0a 0a 01 74 1a 05
                73 6d 61 6c 6c
                """)) { (m: inout Video) in
                m.url = "https://samples.clarifai.com/beer.mp4"
                m.base64 = [0x00, 0x00, 0x00, 0x18]
                m.allowDuplicateURL = true
                m.thumbnailURL = "https://x/thumb.jpg"
                m.hosted = hostedWith(prefix: "p", suffix: "s")
                // official: r.VideoInfo(width=1920, height=1080, fps=29.97)
                m.videoInfo = RawMessage(bytes: [0x08, 0x80, 0x0f, 0x10, 0xb8, 0x08, 0x1d, 0x8f, 0xc2, 0xef, 0x41])
                m.hostedThumbnail = hostedWith(prefix: "t", sizes: ["small"])
            }
        }

        @Test func text() {
            // official: r.Text(raw='Hello, wörld', url='https://x/t.txt', allow_duplicate_url=True, hosted=r.HostedURL(prefix='p'), text_info=r.TextInfo(char_count=5, encoding='UTF-8'))
            expectEncode(hex("""
                0a 0d 48 65 6c 6c 6f 2c 20 77 c3 b6 72 6c 64 12 0f 68 74 74 70 73 3a 2f 2f 78 2f 74 2e 74 78 74
                18 01 22 03 0a 01 70 2a 09 08 05 12 05 55 54 46 2d 38
                """)) { (m: inout Text) in
                m.raw = "Hello, wörld"
                m.url = "https://x/t.txt"
                m.allowDuplicateURL = true
                m.hosted = hostedWith(prefix: "p")
                // official: r.TextInfo(char_count=5, encoding='UTF-8')
                m.textInfo = RawMessage(bytes: [0x08, 0x05, 0x12, 0x05, 0x55, 0x54, 0x46, 0x2d, 0x38])
            }
        }

        @Test func audio() {
            // official: r.Audio(url='https://x/a.mp3', base64=b'ID3', allow_duplicate_url=True, hosted=r.HostedURL(suffix='a'), audio_info=r.AudioInfo(audio_format='mp3', sample_rate=44100))
            expectEncode(hex("""
                0a 0f 68 74 74 70 73 3a 2f 2f 78 2f 61 2e 6d 70 33 12 03 49 44 33 20 01 2a 03 12 01 61 32 09 0a
                03 6d 70 33 10 c4 d8 02
                """)) { (m: inout Audio) in
                m.url = "https://x/a.mp3"
                m.base64 = Array("ID3".utf8)
                m.allowDuplicateURL = true
                m.hosted = hostedWith(suffix: "a")
                // official: r.AudioInfo(audio_format='mp3', sample_rate=44100)
                m.audioInfo = RawMessage(bytes: [0x0a, 0x03, 0x6d, 0x70, 0x33, 0x10, 0xc4, 0xd8, 0x02])
            }
        }

        @Test func concept() {
            // official: r.Concept(id='tree', name='Tree', value=0.75, created_at=Timestamp(seconds=1700000000, nanos=123000000), language='en', app_id='main',
            //     definition='A woody plant', vocab_id='vocab-1', visibility=r.Visibility(gettable=r.Visibility.PUBLIC), user_id='clarifai',
            //     keypoint_info=r.KeypointInfo(keypoint_names=['nose', 'left_eye']), extra_info=r.ConceptExtraInfo(is_rankable=True), metadata=struct_of({'source': 'wordnet'}),
            //     image=r.Image(url='https://x/tree.jpg'))
            expectEncode(hex("""
                0a 04 74 72 65 65 12 04 54 72 65 65 1d 00 00 40 3f 22 0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a 2a 02
                65 6e 32 04 6d 61 69 6e 3a 0d 41 20 77 6f 6f 64 79 20 70 6c 61 6e 74 42 07 76 6f 63 61 62 2d 31
                4a 02 08 32 52 08 63 6c 61 72 69 66 61 69 5a 10 0a 04 6e 6f 73 65 0a 08 6c 65 66 74 5f 65 79 65
                62 02 08 01 6a 15 0a 13 0a 06 73 6f 75 72 63 65 12 09 1a 07 77 6f 72 64 6e 65 74 b2 01 14 0a 12
                68 74 74 70 73 3a 2f 2f 78 2f 74 72 65 65 2e 6a 70 67
                """)) { (m: inout Concept) in
                m.id = "tree"
                m.name = "Tree"
                m.value = 0.75
                m.createdAt = sampleTimestamp
                m.language = "en"
                m.appID = "main"
                m.definition = "A woody plant"
                m.vocabID = "vocab-1"
                // official: r.Visibility(gettable=r.Visibility.PUBLIC)
                m.visibility = RawMessage(bytes: [0x08, 0x32])
                m.userID = "clarifai"
                // official: r.KeypointInfo(keypoint_names=['nose', 'left_eye'])
                m.keypointInfo = RawMessage(bytes: [0x0a, 0x04, 0x6e, 0x6f, 0x73, 0x65, 0x0a, 0x08, 0x6c, 0x65, 0x66, 0x74, 0x5f, 0x65, 0x79, 0x65])
                // official: r.ConceptExtraInfo(is_rankable=True)
                m.extraInfo = RawMessage(bytes: [0x08, 0x01])
                m.metadata = ["source": "wordnet"]
                m.image = Image(url: "https://x/tree.jpg")
            }
        }

        @Test func boundingBox() {
            // official: r.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.8, right_col=0.9)
            expectEncode(hex("""
                0d cd cc cc 3d 15 cd cc 4c 3e 1d cd cc 4c 3f 25 66 66 66 3f
                """)) { (m: inout BoundingBox) in
                m = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.8, rightCol: 0.9)
            }
        }

        @Test func point() {
            // official: r.Point(row=0.25, col=0.5, z=-1.5, visibility=r.Point.VISIBLE)
            expectEncode(hex("""
                0d 00 00 80 3e 15 00 00 00 3f 1d 00 00 c0 bf 20 01
                """)) { (m: inout Point) in
                m.row = 0.25
                m.col = 0.5
                m.z = -1.5
                m.visibility = .visible
            }
        }

        @Test func polygon() {
            // official: r.Polygon(points=[r.Point(row=0.1, col=0.1), r.Point(row=0.1, col=0.9), r.Point(row=0.9, col=0.5)])
            expectEncode(hex("""
                0a 0a 0d cd cc cc 3d 15 cd cc cc 3d 0a 0a 0d cd cc cc 3d 15 66 66 66 3f 0a 0a 0d 66 66 66 3f 15
                00 00 00 3f
                """)) { (m: inout Polygon) in
                m.points = [Point(row: 0.1, col: 0.1), Point(row: 0.1, col: 0.9), Point(row: 0.9, col: 0.5)]
            }
        }

        @Test func mask() {
            // official: r.Mask(image=r.Image(base64=b'\x89PNG'))
            expectEncode([0x12, 0x06, 0x12, 0x04, 0x89, 0x50, 0x4e, 0x47]) { (m: inout Mask) in
                m.image = Image(bytes: [0x89, 0x50, 0x4e, 0x47])
            }
        }

        @Test func span() {
            // official: r.Span(char_start=3, char_end=8, raw_text='hello')
            expectEncode([0x08, 0x03, 0x10, 0x08, 0x1a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]) { (m: inout Span) in
                m.charStart = 3
                m.charEnd = 8
                m.rawText = "hello"
            }
        }

        @Test func token() {
            // official: r.Token(char_start=10, char_end=300, raw_text='wörld')
            expectEncode([0x08, 0x0a, 0x10, 0xac, 0x02, 0x1a, 0x06, 0x77, 0xc3, 0xb6, 0x72, 0x6c, 0x64]) { (m: inout Token) in
                m.charStart = 10
                m.charEnd = 300
                m.rawText = "wörld"
            }
        }

        @Test func regionInfo() {
            // official: r.RegionInfo(bounding_box=r.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.3, right_col=0.4),
            //     mask=r.Mask(image=r.Image(url='https://x/mask.png')), polygon=r.Polygon(points=[r.Point(row=0.5, col=0.5)]),
            //     point=r.Point(row=0.6, col=0.7), span=r.Span(char_start=1, char_end=2, raw_text='a'),
            //     token=r.Token(char_start=3, char_end=4, raw_text='b'),
            //     keypoint_locations=[r.Point(row=0.1, col=0.2, visibility=r.Point.NOT_VISIBLE), r.Point(row=0.3, col=0.4)])
            expectEncode(hex("""
                0a 14 0d cd cc cc 3d 15 cd cc 4c 3e 1d 9a 99 99 3e 25 cd cc cc 3e 22 16 12 14 0a 12 68 74 74 70
                73 3a 2f 2f 78 2f 6d 61 73 6b 2e 70 6e 67 2a 0c 0a 0a 0d 00 00 00 3f 15 00 00 00 3f 32 0a 0d 9a
                99 19 3f 15 33 33 33 3f 3a 07 08 01 10 02 1a 01 61 42 07 08 03 10 04 1a 01 62 4a 0c 0d cd cc cc
                3d 15 cd cc 4c 3e 20 02 4a 0a 0d 9a 99 99 3e 15 cd cc cc 3e
                """)) { (m: inout RegionInfo) in
                m.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.3, rightCol: 0.4)
                m.mask = Mask(image: Image(url: "https://x/mask.png"))
                m.polygon = Polygon(points: [Point(row: 0.5, col: 0.5)])
                m.point = Point(row: 0.6, col: 0.7)
                m.span = rangeWith(1, 2, "a")
                m.token = rangeWith(3, 4, "b")
                m.keypointLocations = [pointWith(0.1, 0.2, .notVisible), pointWith(0.3, 0.4)]
            }
        }

        @Test func region() {
            // official: r.Region(id='region-1', region_info=r.RegionInfo(bounding_box=r.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.3, right_col=0.4)),
            //     data=r.Data(concepts=[r.Concept(id='dog', value=0.9)]), value=0.95, track_id='track-1')
            expectEncode(hex("""
                0a 08 72 65 67 69 6f 6e 2d 31 12 16 0a 14 0d cd cc cc 3d 15 cd cc 4c 3e 1d 9a 99 99 3e 25 cd cc
                cc 3e 1a 0c 1a 0a 0a 03 64 6f 67 1d 66 66 66 3f 25 33 33 73 3f 2a 07 74 72 61 63 6b 2d 31
                """)) { (m: inout Region) in
                m.id = "region-1"
                m.regionInfo = make { (i: inout RegionInfo) in
                    i.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.3, rightCol: 0.4)
                }
                m.data = dataWith(Concept(id: "dog", value: 0.9))
                m.value = 0.95
                m.trackID = "track-1"
            }
        }

        @Test func frameInfo() {
            // official: r.FrameInfo(index=7, time=233567, number=8)
            expectEncode([0x08, 0x07, 0x10, 0xdf, 0xa0, 0x0e, 0x18, 0x08]) { (m: inout FrameInfo) in
                m.index = 7
                m.time = 233_567
                m.number = 8
            }
        }

        @Test func frame() {
            // official: r.Frame(frame_info=r.FrameInfo(index=1, time=1000, number=1), data=r.Data(concepts=[r.Concept(id='car', value=1.0)]), id='frame-1')
            expectEncode(hex("""
                0a 07 08 01 10 e8 07 18 01 12 0c 1a 0a 0a 03 63 61 72 1d 00 00 80 3f 1a 07 66 72 61 6d 65 2d 31
                """)) { (m: inout Frame) in
                m.frameInfo = make { (f: inout FrameInfo) in
                    f.index = 1
                    f.time = 1000
                    f.number = 1
                }
                m.data = dataWith(Concept(id: "car", value: 1))
                m.id = "frame-1"
            }
        }

        @Test func timeInfo() {
            // official: r.TimeInfo(num_frames=30, begin_time=1.5, end_time=2.5)
            expectEncode([0x08, 0x1e, 0x25, 0x00, 0x00, 0xc0, 0x3f, 0x2d, 0x00, 0x00, 0x20, 0x40]) { (m: inout TimeInfo) in
                m.numFrames = 30
                m.beginTime = 1.5
                m.endTime = 2.5
            }
        }

        @Test func track() {
            // official: r.Track(id='track-1', data=r.Data(concepts=[r.Concept(id='person', value=1.0)]), time_info=r.TimeInfo(num_frames=2, begin_time=0.5, end_time=1.0), quality=0.875)
            expectEncode(hex("""
                0a 07 74 72 61 63 6b 2d 31 12 0f 1a 0d 0a 06 70 65 72 73 6f 6e 1d 00 00 80 3f 22 0c 08 02 25 00
                00 00 3f 2d 00 00 80 3f 2d 00 00 60 3f
                """)) { (m: inout Track) in
                m.id = "track-1"
                m.data = dataWith(Concept(id: "person", value: 1))
                m.timeInfo = make { (t: inout TimeInfo) in
                    t.numFrames = 2
                    t.beginTime = 0.5
                    t.endTime = 1
                }
                m.quality = 0.875
            }
        }

        @Test func embedding() {
            // official: r.Embedding(vector=[0.1, -0.2, 3.5], num_dimensions=3)
            expectEncode([0x0a, 0x0c, 0xcd, 0xcc, 0xcc, 0x3d, 0xcd, 0xcc, 0x4c, 0xbe, 0x00, 0x00, 0x60, 0x40, 0x10, 0x03]) { (m: inout Embedding) in
                m.vector = [0.1, -0.2, 3.5]
                m.numDimensions = 3
            }
        }

        @Test func clarifaiData() {
            // official: r.Geo(geo_point=r.GeoPoint(longitude=-122.4, latitude=37.8))
            let geo: [UInt8] = [0x0a, 0x0a, 0x0d, 0xcd, 0xcc, 0xf4, 0xc2, 0x15, 0x33, 0x33, 0x17, 0x42]
            // official: r.Color(raw_hex='#ff0000', w3c=r.W3C(hex='#ff0000', name='Red'), value=0.5)
            let color: [UInt8] = hex("""
                0a 07 23 66 66 30 30 30 30 12 0e 0a 07 23 66 66 30 30 30 30 12 03 52 65 64 1d 00 00 00 3f
                """)
            // official: r.Cluster(id='cluster-1', count=3)
            let cluster: [UInt8] = [0x0a, 0x09, 0x63, 0x6c, 0x75, 0x73, 0x74, 0x65, 0x72, 0x2d, 0x31, 0x10, 0x03]
            // official: r.TimeSegment(id='segment-1')
            let timeSegment: [UInt8] = [0x0a, 0x09, 0x73, 0x65, 0x67, 0x6d, 0x65, 0x6e, 0x74, 0x2d, 0x31]
            // official: r.Hit(score=0.5, user_id='u')
            let hit: [UInt8] = [0x0d, 0x00, 0x00, 0x00, 0x3f, 0x22, 0x01, 0x75]
            // official: r.Part(id='part-1')
            let part: [UInt8] = [0x12, 0x06, 0x70, 0x61, 0x72, 0x74, 0x2d, 0x31]
            // official: r.NDArray(buffer=b'\x01\x02', shape=[2], dtype='uint8')
            let ndarray: [UInt8] = [0x0a, 0x02, 0x01, 0x02, 0x12, 0x01, 0x02, 0x1a, 0x05, 0x75, 0x69, 0x6e, 0x74, 0x38]
            // official: r.Data(image=r.Image(url='https://x/i.jpg'), video=r.Video(url='https://x/v.mp4'),
            //     concepts=[r.Concept(id='a', value=1.0), r.Concept(id='b')], metadata=struct_of({'k': 'v'}),
            //     geo=r.Geo(geo_point=r.GeoPoint(longitude=-122.4, latitude=37.8)), colors=[r.Color(raw_hex='#ff0000', w3c=r.W3C(hex='#ff0000', name='Red'), value=0.5)], clusters=[r.Cluster(id='cluster-1', count=3)], embeddings=[r.Embedding(vector=[1.0, 2.0], num_dimensions=2)],
            //     regions=[r.Region(id='r1')], frames=[r.Frame(id='f1')], text=r.Text(raw='t'), audio=r.Audio(url='https://x/a.wav'),
            //     tracks=[r.Track(id='t1')], time_segments=[r.TimeSegment(id='segment-1')], hits=[r.Hit(score=0.5, user_id='u')], heatmaps=[r.Image(url='https://x/h.png')],
            //     parts=[r.Part(id='part-1')], ndarray=r.NDArray(buffer=b'\x01\x02', shape=[2], dtype='uint8'), int_value=-5, float_value=2.5, bytes_value=b'\x00\xff', bool_value=True,
            //     string_value='s', struct_value=struct_of({'n': 1}))
            expectEncode(hex("""
                0a 11 0a 0f 68 74 74 70 73 3a 2f 2f 78 2f 69 2e 6a 70 67 12 11 0a 0f 68 74 74 70 73 3a 2f 2f 78
                2f 76 2e 6d 70 34 1a 08 0a 01 61 1d 00 00 80 3f 1a 03 0a 01 62 2a 0a 0a 08 0a 01 6b 12 03 1a 01
                76 32 0c 0a 0a 0d cd cc f4 c2 15 33 33 17 42 3a 1e 0a 07 23 66 66 30 30 30 30 12 0e 0a 07 23 66
                66 30 30 30 30 12 03 52 65 64 1d 00 00 00 3f 42 0d 0a 09 63 6c 75 73 74 65 72 2d 31 10 03 4a 0c
                0a 08 00 00 80 3f 00 00 00 40 10 02 5a 04 0a 02 72 31 62 04 1a 02 66 31 6a 03 0a 01 74 72 11 0a
                0f 68 74 74 70 73 3a 2f 2f 78 2f 61 2e 77 61 76 7a 04 0a 02 74 31 82 01 0b 0a 09 73 65 67 6d 65
                6e 74 2d 31 8a 01 08 0d 00 00 00 3f 22 01 75 92 01 11 0a 0f 68 74 74 70 73 3a 2f 2f 78 2f 68 2e
                70 6e 67 9a 01 08 12 06 70 61 72 74 2d 31 a2 01 0e 0a 02 01 02 12 01 02 1a 05 75 69 6e 74 38 a8
                01 fb ff ff ff ff ff ff ff ff 01 b1 01 00 00 00 00 00 00 04 40 ba 01 02 00 ff c0 01 01 ca 01 01
                73 d2 01 10 0a 0e 0a 01 6e 12 09 11 00 00 00 00 00 00 f0 3f
                """)) { (m: inout ClarifaiData) in
                m.image = Image(url: "https://x/i.jpg")
                m.video = make { (v: inout Video) in v.url = "https://x/v.mp4" }
                m.concepts = [Concept(id: "a", value: 1), Concept(id: "b", value: 0)]
                m.metadata = ["k": "v"]
                m.geo = RawMessage(bytes: geo)
                m.colors = [RawMessage(bytes: color)]
                m.clusters = [RawMessage(bytes: cluster)]
                m.embeddings = [make { (e: inout Embedding) in
                    e.vector = [1, 2]
                    e.numDimensions = 2
                }]
                m.regions = [make { (r: inout Region) in r.id = "r1" }]
                m.frames = [make { (f: inout Frame) in f.id = "f1" }]
                m.text = Text(raw: "t")
                m.audio = make { (a: inout Audio) in a.url = "https://x/a.wav" }
                m.tracks = [make { (t: inout Track) in t.id = "t1" }]
                m.timeSegments = [RawMessage(bytes: timeSegment)]
                m.hits = [RawMessage(bytes: hit)]
                m.heatmaps = [Image(url: "https://x/h.png")]
                m.parts = [RawMessage(bytes: part)]
                m.ndarray = RawMessage(bytes: ndarray)
                m.intValue = -5
                m.floatValue = 2.5
                m.bytesValue = [0x00, 0xff]
                m.boolValue = true
                m.stringValue = "s"
                m.structValue = ["n": 1]
            }
        }

        @Test func status() {
            // official: st.RedirectInfo(url='https://api.clarifai.com/v2/x', resource_type='app')
            let redirect: [UInt8] = hex("""
                0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f 78 12
                03 61 70 70
                """)
            // official: st.Status(code=sc.ANNOTATION_PENDING, description='Annotation pending', details='waiting',
            //     stack_trace=['frame 1', 'frame 2'], percent_completed=50, time_remaining=120, req_id='req-1',
            //     internal_details='internal', redirect_info=st.RedirectInfo(url='https://api.clarifai.com/v2/x', resource_type='app'), developer_notes='notes', http_status_code=200)
            expectEncode(hex("""
                08 d7 bc 01 12 12 41 6e 6e 6f 74 61 74 69 6f 6e 20 70 65 6e 64 69 6e 67 1a 07 77 61 69 74 69 6e
                67 22 07 66 72 61 6d 65 20 31 22 07 66 72 61 6d 65 20 32 28 32 30 78 3a 05 72 65 71 2d 31 42 08
                69 6e 74 65 72 6e 61 6c 4a 24 0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69
                2e 63 6f 6d 2f 76 32 2f 78 12 03 61 70 70 52 05 6e 6f 74 65 73 58 c8 01
                """)) { (m: inout Status) in
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
            expectEncode([0x0a, 0x0e, 0x08, 0x90, 0x4e, 0x12, 0x02, 0x4f, 0x6b, 0x3a, 0x05, 0x72, 0x65, 0x71, 0x2d, 0x31]) { (m: inout BaseResponse) in
                m.status = sampleStatus
            }
        }

        @Test func annotation() {
            // official: r.Annotation(id='ann-1', input_id='input-1', data=r.Data(concepts=[r.Concept(id='tree', value=1.0), r.Concept(id='water', value=0.0)]),
            //     status=st.Status(code=sc.ANNOTATION_SUCCESS), created_at=Timestamp(seconds=1700000000, nanos=123000000), modified_at=Timestamp(seconds=1700000100),
            //     trusted=True, annotation_info=struct_of({'task_id': 'task-1'}), embed_model_version_id='emv-1', user_id='user-1',
            //     model_version_id='mv-1', input_level=True, consensus_info=struct_of({'agreed': True}), task_id='task-1', worker=r.Worker(user=r.User(id='annotator-1')))
            expectEncode(hex("""
                0a 05 61 6e 6e 2d 31 12 07 69 6e 70 75 74 2d 31 1a 16 1a 0b 0a 04 74 72 65 65 1d 00 00 80 3f 1a
                07 0a 05 77 61 74 65 72 3a 04 08 d6 bc 01 42 0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a 4a 06 08 e4 e2
                cf aa 06 50 01 6a 15 0a 13 0a 07 74 61 73 6b 5f 69 64 12 08 1a 06 74 61 73 6b 2d 31 72 05 65 6d
                76 2d 31 7a 06 75 73 65 72 2d 31 82 01 04 6d 76 2d 31 88 01 01 92 01 0e 0a 0c 0a 06 61 67 72 65
                65 64 12 02 20 01 9a 01 06 74 61 73 6b 2d 31 aa 01 0f 0a 0d 0a 0b 61 6e 6e 6f 74 61 74 6f 72 2d
                31
                """)) { (m: inout Annotation) in
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

        @Test func postAnnotationsRequest() {
            // official: s.PostAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotations=[r.Annotation(input_id='i1'), r.Annotation(input_id='i2', data=r.Data(concepts=[r.Concept(id='tree', value=1.0)]))])
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 04 12 02 69 31 12 13 12 02 69 32 1a 0d 1a 0b 0a 04 74 72 65 65 1d 00 00 80 3f
                """)) { (m: inout PostAnnotationsRequest) in
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
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 12 02 61 32 1a 02 69 31 1a 02 69 32 2a 04 08 d6 bc 01 2a 04 08 d7 bc 01 30 01 38
                02 40 32 4a 02 75 31 52 03 6d 76 31 5a 06 74 61 73 6b 2d 31 60 01 6a 03 77 76 31
                """)) { (m: inout ListAnnotationsRequest) in
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
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 08 0a 02 61 31 12 02 69 31 1a 05 6d 65 72 67 65 20 01
                """)) { (m: inout PatchAnnotationsRequest) in
                m.userAppID = sampleApp
                m.annotations = [annotationWith(id: "a1", inputID: "i1")]
                m.action = "merge"
                m.deleteIfEmptyData = true
            }
        }

        @Test func deleteAnnotationRequest() {
            // official: s.DeleteAnnotationRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), input_id='i1', annotation_id='a1')
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 69 31 1a 02 61 31
                """)) { (m: inout DeleteAnnotationRequest) in
                m.userAppID = sampleApp
                m.inputID = "i1"
                m.annotationID = "a1"
            }
        }

        @Test func deleteAnnotationsRequest() {
            // official: s.DeleteAnnotationsRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), ids=['a1', 'a2'], input_ids=['i1', 'i2'])
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 12 02 61 32 1a 02 69 31 1a 02 69 32
                """)) { (m: inout DeleteAnnotationsRequest) in
                m.userAppID = sampleApp
                m.ids = ["a1", "a2"]
                m.inputIDs = ["i1", "i2"]
            }
        }

        @Test func getAnnotationRequest() {
            // official: s.GetAnnotationRequest(user_app_id=r.UserAppIDSet(user_id='{YOUR_USER_ID}', app_id='{YOUR_APP_ID}'), annotation_id='a1', input_id='i1')
            expectEncode(hex("""
                0a 1f 0a 0e 7b 59 4f 55 52 5f 55 53 45 52 5f 49 44 7d 12 0d 7b 59 4f 55 52 5f 41 50 50 5f 49 44
                7d 12 02 61 31 1a 02 69 31
                """)) { (m: inout GetAnnotationRequest) in
                m.userAppID = sampleApp
                m.annotationID = "a1"
                m.inputID = "i1"
            }
        }

        @Test func multiAnnotationResponse() {
            // official: s.MultiAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok', req_id='req-1'), annotations=[r.Annotation(id='a1'), r.Annotation(id='a2')])
            expectEncode(hex("""
                0a 0e 08 90 4e 12 02 4f 6b 3a 05 72 65 71 2d 31 12 04 0a 02 61 31 12 04 0a 02 61 32
                """)) { (m: inout MultiAnnotationResponse) in
                m.status = sampleStatus
                m.annotations = [annotationWith(id: "a1"), annotationWith(id: "a2")]
            }
        }

        @Test func singleAnnotationResponse() {
            // official: s.SingleAnnotationResponse(status=st.Status(code=sc.SUCCESS, description='Ok', req_id='req-1'), annotation=r.Annotation(id='a1', input_id='i1'))
            expectEncode(hex("""
                0a 0e 08 90 4e 12 02 4f 6b 3a 05 72 65 71 2d 31 12 08 0a 02 61 31 12 02 69 31
                """)) { (m: inout SingleAnnotationResponse) in
                m.status = sampleStatus
                m.annotation = annotationWith(id: "a1", inputID: "i1")
            }
        }

        @Test func protoStruct() {
            // official: struct_of({'flag': True, 'list': [1, 'two', None], 'name': 'x', 'nested': {'n': 0}, 'nothing': None, 'number': 2.5})  # deterministic: keys sorted
            expectEncode(hex("""
                0a 0a 0a 04 66 6c 61 67 12 02 20 01 0a 20 0a 04 6c 69 73 74 12 18 32 16 0a 09 11 00 00 00 00 00
                00 f0 3f 0a 05 1a 03 74 77 6f 0a 02 08 00 0a 0b 0a 04 6e 61 6d 65 12 03 1a 01 78 0a 1c 0a 06 6e
                65 73 74 65 64 12 12 2a 10 0a 0e 0a 01 6e 12 09 11 00 00 00 00 00 00 00 00 0a 0d 0a 07 6e 6f 74
                68 69 6e 67 12 02 08 00 0a 13 0a 06 6e 75 6d 62 65 72 12 09 11 00 00 00 00 00 00 04 40
                """)) { (m: inout ProtoStruct) in
                m = ["flag": true, "list": [1, "two", nil], "name": "x", "nested": ["n": 0], "nothing": nil, "number": 2.5]
            }
        }

        @Test func protoListValue() {
            // official: ListValue(values=[Value(null_value=0), Value(number_value=-1.5), Value(string_value='s'), Value(bool_value=True), Value(struct_value=struct_of({'a': 1})), Value(list_value=ListValue(values=[Value(number_value=0)]))])
            expectEncode(hex("""
                0a 02 08 00 0a 09 11 00 00 00 00 00 00 f8 bf 0a 03 1a 01 73 0a 02 20 01 0a 12 2a 10 0a 0e 0a 01
                61 12 09 11 00 00 00 00 00 00 f0 3f 0a 0d 32 0b 0a 09 11 00 00 00 00 00 00 00 00
                """)) { (m: inout ProtoListValue) in
                m = [nil, -1.5, "s", true, ["a": 1], [0]]
            }
        }

        @Test func timestamp() {
            // official: Timestamp(seconds=1700000000, nanos=123456789)
            expectEncode([0x08, 0x80, 0xe2, 0xcf, 0xaa, 0x06, 0x10, 0x95, 0x9a, 0xef, 0x3a]) { (m: inout Timestamp) in
                m = Timestamp(seconds: 1_700_000_000, nanos: 123_456_789)
            }
        }

        /// Every kind of `Value`; as oneof members, number 0, false, "" and empty containers
        /// have presence and are written.
        @Test(arguments: [
            // official: Value(null_value=struct_pb2.NULL_VALUE)
            (ProtoValue(.null), [0x08, 0x00]),
            // official: Value(number_value=0.0)
            (ProtoValue(.number(0)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            // official: Value(number_value=-0.0)
            (ProtoValue(.number(-0.0)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]),
            // official: Value(number_value=1.5)
            (ProtoValue(.number(1.5)), [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f]),
            // official: Value(string_value='')
            (ProtoValue(.string("")), [0x1a, 0x00]),
            // official: Value(string_value='héllo')
            (ProtoValue(.string("héllo")), [0x1a, 0x06, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]),
            // official: Value(bool_value=False)
            (ProtoValue(.bool(false)), [0x20, 0x00]),
            // official: Value(bool_value=True)
            (ProtoValue(.bool(true)), [0x20, 0x01]),
            // official: Value(struct_value=Struct())
            (ProtoValue(.structValue(ProtoStruct())), [0x2a, 0x00]),
            // official: Value(struct_value=struct_of({'a': 'b'}))
            (ProtoValue(.structValue(["a": "b"])), [0x2a, 0x0a, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62]),
            // official: Value(list_value=ListValue())
            (ProtoValue(.list(ProtoListValue())), [0x32, 0x00]),
            // official: Value(list_value=ListValue(values=[Value(bool_value=False), Value(number_value=0)]))
            (ProtoValue(.list([false, 0])), hex("""
                32 0f 0a 02 20 00 0a 09 11 00 00 00 00 00 00 00 00
                """)),
            // official: Value()
            (ProtoValue(), []),
        ] as [(ProtoValue, [UInt8])])
        func protoValue(_ value: ProtoValue, _ bytes: [UInt8]) {
            expectEncode(bytes) { (m: inout ProtoValue) in m = value }
        }

        @Test func negativeZeroNumberValueKeepsItsSign() throws {
            let decoded = try ProtoValue(serializedBytes: [0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80])
            guard case .number(let number) = decoded.kind else {
                Issue.record("not a number: \(decoded)")
                return
            }
            #expect(number.bitPattern == (-0.0 as Double).bitPattern)
        }
    }

    // MARK: - One vector per field type

    @Suite struct FieldTypes {
        @Test func string() {
            // official: r.Concept(id='tree')
            expectEncode([0x0a, 0x04, 0x74, 0x72, 0x65, 0x65]) { (m: inout Concept) in m.id = "tree" }
            // official: r.Concept(name='Baum 🌳 café 日本語')
            expectEncode(hex("""
                12 19 42 61 75 6d 20 f0 9f 8c b3 20 63 61 66 c3 a9 20 e6 97 a5 e6 9c ac e8 aa 9e
                """)) { (m: inout Concept) in m.name = "Baum 🌳 café 日本語" }
            // official: r.Concept(id='')
            expectEncode([]) { (m: inout Concept) in m.id = "" }
            // official: r.Concept(id='x' * 200)  # 2-byte length prefix
            expectEncode(hex("""
                0a c8 01 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78
                78 78 78 78 78 78 78 78 78 78 78
                """)) { (m: inout Concept) in m.id = String(repeating: "x", count: 200) }
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
            expectEncode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ImageInfo) in m.width = -1 }
            // official: r.ImageInfo(width=-2147483648)
            expectEncode([0x08, 0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ImageInfo) in m.width = .min }
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
            expectEncode([0xa8, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { (m: inout ClarifaiData) in m.intValue = .min }
            // official: r.Data(int_value=9223372036854775807)
            expectEncode([0xa8, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) { (m: inout ClarifaiData) in m.intValue = .max }
            // official: r.Data(int_value=-1)
            expectEncode([0xa8, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ClarifaiData) in m.intValue = -1 }
            // official: Timestamp(seconds=-62135596800, nanos=999)
            expectEncode([0x08, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x01, 0x10, 0xe7, 0x07]) { (m: inout Timestamp) in
                m = Timestamp(seconds: -62_135_596_800, nanos: 999)
            }
        }

        @Test func uint64() {
            // official: r.FrameInfo(time=18446744073709551615)
            expectEncode([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout FrameInfo) in m.time = .max }
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
            expectEncode([0x0d, 0xff, 0xff, 0x7f, 0x7f, 0x15, 0x01, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x80, 0x00]) { (m: inout Point) in
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
            expectEncode([0xb1, 0x01, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f]) { (m: inout ClarifaiData) in m.floatValue = 0.1 }
            // official: r.Data(float_value=-0.0)
            expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]) { (m: inout ClarifaiData) in m.floatValue = -0.0 }
            #expect(try ClarifaiData(serializedBytes: [0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]).floatValue.sign == .minus)
            // official: r.Data(float_value=float('nan'))  # 0x7ff8000000000000
            expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f], checkEquality: false) { (m: inout ClarifaiData) in m.floatValue = .nan }
            #expect(try ClarifaiData(serializedBytes: [0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f]).floatValue.bitPattern == 0x7ff8_0000_0000_0000)
            // official: r.Data(float_value=float('-inf'))
            expectEncode([0xb1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff]) { (m: inout ClarifaiData) in m.floatValue = -.infinity }
            // official: r.Data(float_value=5e-324)
            expectEncode([0xb1, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]) { (m: inout ClarifaiData) in m.floatValue = .leastNonzeroMagnitude }
        }

        @Test func enumValues() throws {
            // official: st.Status(code=sc.SUCCESS)
            expectEncode([0x08, 0x90, 0x4e]) { (m: inout Status) in m.code = .success }
            // official: st.Status(code=-1)  # open enum: negative values take 10 bytes
            expectEncode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout Status) in m.code = StatusCode(rawValue: -1) }
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
            expectEncode(hex("""
                0a 10 00 00 00 3f 00 00 80 bf 00 00 00 00 00 00 80 7f
                """)) { (m: inout Embedding) in m.vector = [0.5, -1, 0, .infinity] }
            // official: r.Embedding(vector=[0.0])  # a zero element is still written
            expectEncode([0x0a, 0x04, 0x00, 0x00, 0x00, 0x00]) { (m: inout Embedding) in m.vector = [0] }
            // official: r.Embedding(vector=[], num_dimensions=0)
            expectEncode([]) { (m: inout Embedding) in m.vector = [] }
        }

        @Test func repeatedStrings() {
            // official: r.HostedURL(sizes=['orig', '', '大'])  # empty elements are written
            expectEncode([0x1a, 0x04, 0x6f, 0x72, 0x69, 0x67, 0x1a, 0x00, 0x1a, 0x03, 0xe5, 0xa4, 0xa7]) { (m: inout HostedURL) in m.sizes = ["orig", "", "大"] }
            // official: s.DeleteAnnotationsRequest(ids=['a1', 'a2', 'a3'], input_ids=['i1'])
            expectEncode([0x12, 0x02, 0x61, 0x31, 0x12, 0x02, 0x61, 0x32, 0x12, 0x02, 0x61, 0x33, 0x1a, 0x02, 0x69, 0x31]) { (m: inout DeleteAnnotationsRequest) in
                m.ids = ["a1", "a2", "a3"]
                m.inputIDs = ["i1"]
            }
        }

        @Test func repeatedMessages() {
            // official: r.Polygon(points=[r.Point(row=0.25, col=0.5), r.Point()])  # an all-default element is written
            expectEncode([0x0a, 0x0a, 0x0d, 0x00, 0x00, 0x80, 0x3e, 0x15, 0x00, 0x00, 0x00, 0x3f, 0x0a, 0x00]) { (m: inout Polygon) in
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
            expectEncode(hex("""
                3a 0f 0a 05 6c 61 72 67 65 12 06 08 80 08 10 80 06 3a 0d 0a 05 73 6d 61 6c 6c 12 04 08 40 10 30
                """)) { (m: inout Image) in
                m.hostedImageInfo["large"] = ImageInfo(width: 1024, height: 768)
                m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 48)
            }
            // official: r.Image(hosted_image_info={'': r.ImageInfo()})  # key and value are written even at their defaults
            expectEncode([0x3a, 0x04, 0x0a, 0x00, 0x12, 0x00]) { (m: inout Image) in
                m.hostedImageInfo[""] = ImageInfo()
            }
            // official: struct_of({'a': 1})
            expectEncode([0x0a, 0x0e, 0x0a, 0x01, 0x61, 0x12, 0x09, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f]) { (m: inout ProtoStruct) in m = ["a": 1] }
            // official: Struct(fields={'a': Value()})
            expectEncode([0x0a, 0x05, 0x0a, 0x01, 0x61, 0x12, 0x00]) { (m: inout ProtoStruct) in m["a"] = ProtoValue() }
        }

        @Test func rawUnmodelledMessages() {
            // official: r.Annotation(worker=r.Worker(user=r.User(id='annotator-1')))
            expectEncode(hex("""
                aa 01 0f 0a 0d 0a 0b 61 6e 6e 6f 74 61 74 6f 72 2d 31
                """)) { (m: inout Annotation) in
                m.worker = Worker(.user(User(id: "annotator-1")))
            }
            // official: r.Data(geo=r.Geo())  # present, all-default
            expectEncode([0x32, 0x00]) { (m: inout ClarifaiData) in m.geo = RawMessage(bytes: []) }
            // official: r.Data(colors=[r.Color(raw_hex='#000000'), r.Color()], parts=[r.Part(id='p')])
            expectEncode(hex("""
                3a 09 0a 07 23 30 30 30 30 30 30 3a 00 9a 01 03 12 01 70
                """)) { (m: inout ClarifaiData) in
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
            expectEncode(hex("""
                4a 24 0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f
                78 12 03 61 70 70
                """)) { (m: inout Status) in
                m.redirectInfo = RawMessage(bytes: hex("""
                    0a 1d 68 74 74 70 73 3a 2f 2f 61 70 69 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 76 32 2f 78 12
                    03 61 70 70
                    """))
            }
        }
    }

    // MARK: - Unknown fields: kept and re-emitted after the known fields

    @Suite struct UnknownFields {
        // official: field 100, wire type 0, value 150
        static let varint: [UInt8] = [0xa0, 0x06, 0x96, 0x01]
        // official: field 101, wire type 1, 0x0102030405060708
        static let fixed64: [UInt8] = [0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]
        // official: field 102, wire type 2, 'xyz'
        static let lengthDelimited: [UInt8] = [0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a]
        // official: field 103, wire type 5, 0xdeadbeef
        static let fixed32: [UInt8] = [0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde]
        // official: field 536870911 (the largest), wire type 0, value 1
        static let maxFieldNumber: [UInt8] = [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01]

        @Test func everyWireTypeMovesToTheEnd() {
            var unknown: [UInt8] = UnknownFields.varint
            unknown += UnknownFields.fixed64
            unknown += UnknownFields.lengthDelimited
            unknown += UnknownFields.fixed32
            unknown += UnknownFields.maxFieldNumber
            // official: unknown varint, Concept.id='tree', unknown fixed64, unknown length-delimited, Concept.value=0.5, unknown fixed32, unknown field 2^29-1
            let input: [UInt8] = hex("""
                a0 06 96 01 0a 04 74 72 65 65 a9 06 08 07 06 05 04 03 02 01 b2 06 03 78 79 7a 1d 00 00 00 3f bd
                06 ef be ad de f8 ff ff ff 0f 01
                """)
            // official: r.Concept.FromString(<input>).SerializeToString()
            let official: [UInt8] = hex("""
                0a 04 74 72 65 65 1d 00 00 00 3f a0 06 96 01 a9 06 08 07 06 05 04 03 02 01 b2 06 03 78 79 7a bd
                06 ef be ad de f8 ff ff ff 0f 01
                """)
            expectDecode(input, reencodesTo: official) { (m: inout Concept) in
                m.id = "tree"
                m.value = 0.5
                m.unknownFields = unknown
            }
            // Built by hand, a message with unknown fields encodes them last too.
            expectEncode(official) { (m: inout Concept) in
                m.id = "tree"
                m.value = 0.5
                m.unknownFields = unknown
            }
        }

        @Test(arguments: [
            // official: an unknown varint field, then Concept.id='tree'
            ([0xa0, 0x06, 0x96, 0x01, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65], [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xa0, 0x06, 0x96, 0x01]),
            // official: an unknown fixed64 field, then Concept.id='tree'
            ([0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65], [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xa9, 0x06, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]),
            // official: an unknown lengthDelimited field, then Concept.id='tree'
            ([0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65], [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a]),
            // official: an unknown fixed32 field, then Concept.id='tree'
            ([0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde, 0x0a, 0x04, 0x74, 0x72, 0x65, 0x65], [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde]),
        ] as [([UInt8], [UInt8])])
        func eachWireType(input: [UInt8], official: [UInt8]) {
            expectReencode(Concept.self, input, official)
        }

        @Test func nestedMessagesKeepTheirOwn() {
            // official: Annotation{unknown 300 fixed32, data=Data{concepts=[Concept{id='a', unknown 200 'keep'}], unknown 201 varint 1}, id='ann'}
            let input: [UInt8] = hex("""
                e5 12 01 02 03 04 1a 0f 1a 0a 0a 01 61 c2 0c 04 6b 65 65 70 c8 0c 01 0a 03 61 6e 6e
                """)
            // official: r.Annotation.FromString(<input>).SerializeToString()
            let official: [UInt8] = hex("""
                0a 03 61 6e 6e 1a 0f 1a 0a 0a 01 61 c2 0c 04 6b 65 65 70 c8 0c 01 e5 12 01 02 03 04
                """)
            expectDecode(input, reencodesTo: official) { (m: inout Annotation) in
                m.id = "ann"
                var concept = Concept(id: "a", value: 0)
                concept.unknownFields = [0xc2, 0x0c, 0x04, 0x6b, 0x65, 0x65, 0x70]
                var data = ClarifaiData()
                data.concepts = [concept]
                data.unknownFields = [0xc8, 0x0c, 0x01]
                m.data = data
                m.unknownFields = [0xe5, 0x12, 0x01, 0x02, 0x03, 0x04]
            }
        }

        @Test func wellKnownTypes() {
            // official: Struct{unknown 100, fields={'a': 'b'}}
            expectReencode(ProtoStruct.self, [0xa0, 0x06, 0x96, 0x01, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62], [0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62, 0xa0, 0x06, 0x96, 0x01])
            // official: Value{unknown 103, bool_value=True}
            expectReencode(ProtoValue.self, [0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde, 0x20, 0x01], [0x20, 0x01, 0xbd, 0x06, 0xef, 0xbe, 0xad, 0xde])
            // official: ListValue{unknown 102, values=[true]}
            expectReencode(ProtoListValue.self, [0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a, 0x0a, 0x02, 0x20, 0x01], [0x0a, 0x02, 0x20, 0x01, 0xb2, 0x06, 0x03, 0x78, 0x79, 0x7a])
            // official: Timestamp{unknown field 3 = 7, seconds=5}
            expectReencode(Timestamp.self, [0x18, 0x07, 0x08, 0x05], [0x08, 0x05, 0x18, 0x07])
            // official: Status{unknown 100, code=SUCCESS}
            expectReencode(Status.self, [0xa0, 0x06, 0x96, 0x01, 0x08, 0x90, 0x4e], [0x08, 0x90, 0x4e, 0xa0, 0x06, 0x96, 0x01])
        }

        /// Every official class re-serializes a message of only unknown fields unchanged.
        @Test(arguments: MessageTypes.all.map { $0.protoMessageName })
        func onlyUnknownFields(typeName: String) throws {
            // official: unknown fields 100 (varint), 102 (length-delimited), 101 (fixed64), 103 (fixed32)
            let input: [UInt8] = hex("""
                a0 06 96 01 b2 06 03 78 79 7a a9 06 08 07 06 05 04 03 02 01 bd 06 ef be ad de
                """)
            let type = try #require(MessageTypes.named(typeName))
            expectReencode(type, input, input)
        }
    }

    // MARK: - Input the encoder never produces but the decoder must accept

    @Suite struct Decoding {
        @Test func unpackedFloats() {
            // official: Embedding.vector as two unpacked fixed32 fields, num_dimensions=2
            expectDecode([0x0d, 0x00, 0x00, 0x80, 0x3f, 0x0d, 0x00, 0x00, 0x00, 0x40, 0x10, 0x02], reencodesTo: [0x0a, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, 0x10, 0x02]) { (m: inout Embedding) in
                m.vector = [1, 2]
                m.numDimensions = 2
            }
            // official: Embedding.vector: packed [1], unpacked 2, packed [3, 4]
            expectDecode(hex("""
                0a 04 00 00 80 3f 0d 00 00 00 40 0a 08 00 00 40 40 00 00 80 40
                """), reencodesTo: hex("""
                0a 10 00 00 80 3f 00 00 00 40 00 00 40 40 00 00 80 40
                """)) { (m: inout Embedding) in
                m.vector = [1, 2, 3, 4]
            }
        }

        @Test func singularMessageTwiceIsMerged() {
            // official: Region.region_info twice: {bounding_box{top_row=0.25}}, then id='r', then {bounding_box{left_col=0.5}, point{row=0.75}}
            expectDecode(hex("""
                12 07 0a 05 0d 00 00 80 3e 0a 01 72 12 0e 0a 05 15 00 00 00 3f 32 05 0d 00 00 40 3f
                """), reencodesTo: hex("""
                0a 01 72 12 13 0a 0a 0d 00 00 80 3e 15 00 00 00 3f 32 05 0d 00 00 40 3f
                """)) { (m: inout Region) in
                m.id = "r"
                var info = RegionInfo()
                info.boundingBox = BoundingBox(topRow: 0.25, leftCol: 0.5, bottomRow: 0, rightCol: 0)
                info.point = Point(row: 0.75, col: 0)
                m.regionInfo = info
            }
            // official: Annotation.data twice: {concepts=[a]}, then {concepts=[b], bool_value=true}
            expectDecode(hex("""
                1a 05 1a 03 0a 01 61 1a 08 1a 03 0a 01 62 c0 01 01
                """), reencodesTo: [0x1a, 0x0d, 0x1a, 0x03, 0x0a, 0x01, 0x61, 0x1a, 0x03, 0x0a, 0x01, 0x62, 0xc0, 0x01, 0x01]) { (m: inout Annotation) in
                var merged = dataWith(Concept(id: "a", value: 0), Concept(id: "b", value: 0))
                merged.boolValue = true
                m.data = merged
            }
            // official: Value.struct_value twice: {a: true}, then {b: true} (merged)
            expectDecode(hex("""
                2a 09 0a 07 0a 01 61 12 02 20 01 2a 09 0a 07 0a 01 62 12 02 20 01
                """), reencodesTo: hex("""
                2a 12 0a 07 0a 01 61 12 02 20 01 0a 07 0a 01 62 12 02 20 01
                """)) { (m: inout ProtoValue) in
                m = ["a": true, "b": true]
            }
        }

        @Test func scalarTwiceLastWins() {
            // official: Concept id='a', value=0.25, id='b', value=0.5
            expectDecode([0x0a, 0x01, 0x61, 0x1d, 0x00, 0x00, 0x80, 0x3e, 0x0a, 0x01, 0x62, 0x1d, 0x00, 0x00, 0x00, 0x3f], reencodesTo: [0x0a, 0x01, 0x62, 0x1d, 0x00, 0x00, 0x00, 0x3f]) { (m: inout Concept) in
                m.id = "b"
                m.value = 0.5
            }
            // official: Annotation.trusted = true, then false
            expectDecode([0x50, 0x01, 0x50, 0x00], reencodesTo: []) { (m: inout Annotation) in
                m.trusted = false
            }
            // official: Value: number_value=1, then string_value='x' (oneof: the last wins)
            expectDecode([0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x1a, 0x01, 0x78], reencodesTo: [0x1a, 0x01, 0x78]) { (m: inout ProtoValue) in
                m = "x"
            }
            // official: Struct.fields: 'a' -> 'first', then 'a' -> 'second' (the last wins)
            expectDecode(hex("""
                0a 0c 0a 01 61 12 07 1a 05 66 69 72 73 74 0a 0d 0a 01 61 12 08 1a 06 73 65 63 6f 6e 64
                """), reencodesTo: [0x0a, 0x0d, 0x0a, 0x01, 0x61, 0x12, 0x08, 0x1a, 0x06, 0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64]) { (m: inout ProtoStruct) in
                m = ["a": "second"]
            }
        }

        @Test func fieldsOutOfOrder() {
            // official: Concept fields in reverse order: user_id, value, name, id
            expectDecode(hex("""
                52 01 75 1d 00 00 00 3f 12 04 54 72 65 65 0a 04 74 72 65 65
                """), reencodesTo: hex("""
                0a 04 74 72 65 65 12 04 54 72 65 65 1d 00 00 00 3f 52 01 75
                """)) { (m: inout Concept) in
                m.id = "tree"
                m.name = "Tree"
                m.value = 0.5
                m.userID = "u"
            }
        }

        @Test func mapEntryVariants() {
            // official: Image.hosted_image_info entry with the value before the key
            expectDecode([0x3a, 0x0b, 0x12, 0x02, 0x08, 0x40, 0x0a, 0x05, 0x73, 0x6d, 0x61, 0x6c, 0x6c], reencodesTo: [0x3a, 0x0b, 0x0a, 0x05, 0x73, 0x6d, 0x61, 0x6c, 0x6c, 0x12, 0x02, 0x08, 0x40]) { (m: inout Image) in
                m.hostedImageInfo["small"] = ImageInfo(width: 64, height: 0)
            }
            // official: Image.hosted_image_info entry with neither key nor value
            expectDecode([0x3a, 0x00], reencodesTo: [0x3a, 0x04, 0x0a, 0x00, 0x12, 0x00]) { (m: inout Image) in
                m.hostedImageInfo[""] = ImageInfo()
            }
            // official: Struct.fields entry 'a' without a value
            expectDecode([0x0a, 0x03, 0x0a, 0x01, 0x61], reencodesTo: [0x0a, 0x05, 0x0a, 0x01, 0x61, 0x12, 0x00]) { (m: inout ProtoStruct) in
                m["a"] = ProtoValue()
            }
        }

        @Test func nonCanonicalScalars() {
            // official: Annotation.trusted as varint 2
            expectDecode([0x50, 0x02], reencodesTo: [0x50, 0x01]) { (m: inout Annotation) in
                m.trusted = true
            }
            // official: ImageInfo.width = -1 as a 5-byte varint (not sign-extended)
            expectDecode([0x08, 0xff, 0xff, 0xff, 0xff, 0x0f], reencodesTo: [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (m: inout ImageInfo) in
                m.width = -1
            }
            // official: ListAnnotationsRequest.page = 2^32 + 5 (truncated to 32 bits)
            expectDecode([0x38, 0x85, 0x80, 0x80, 0x80, 0x10], reencodesTo: [0x38, 0x05]) { (m: inout ListAnnotationsRequest) in
                m.page = 5
            }
            // official: Status.code = 10000 as a non-minimal 5-byte varint
            expectDecode([0x08, 0x90, 0xce, 0x80, 0x80, 0x00], reencodesTo: [0x08, 0x90, 0x4e]) { (m: inout Status) in
                m.code = .success
            }
        }

        @Test func explicitDefaultsAreDropped() {
            // official: Concept.id='' and value=0 written explicitly
            expectDecode([0x0a, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00], reencodesTo: []) { (_: inout Concept) in }
            // official: Image.base64 written explicitly with length 0
            expectDecode([0x12, 0x00], reencodesTo: []) { (_: inout Image) in }
            // official: ListValue with one Value that has no kind
            expectDecode([0x0a, 0x00], reencodesTo: [0x0a, 0x00]) { (m: inout ProtoListValue) in
                m.values = [ProtoValue()]
            }
        }

        @Test func nanPayloadIsKept() throws {
            // official: Concept.value with signalling-NaN bits 0x7fa00001
            let input: [UInt8] = [0x1d, 0x01, 0x00, 0xa0, 0x7f]
            expectReencode(Concept.self, input, [0x1d, 0x01, 0x00, 0xa0, 0x7f])
            #expect(try Concept(serializedBytes: input).value.bitPattern == 0x7fa0_0001)
        }

        /// The official limit (upb): 100 nested messages decode, 101 do not.
        @Test func nestingLimit() throws {
            let deepest = try ProtoListValue(serializedBytes: nestedLists(100))
            #expect(deepest.serializedBytes() == nestedLists(100))
            do {
                _ = try ProtoValue(serializedBytes: nestedLists(101))
                Issue.record("101 nested messages decoded")
            } catch {
                #expect(error.reason == .nestingTooDeep)
            }
        }
    }

    // MARK: - Input the official classes reject: errors name the field

    @Suite struct DecodingFailures {
        @Test(arguments: [
            // official: rejected by r.ImageInfo.FromString
            ("clarifai.api.ImageInfo", [0x08], "ImageInfo.width: truncated varint"),
            ("clarifai.api.Concept", [0x0a, 0x05, 0x61], "Concept.id: truncated length"),
            ("clarifai.api.Concept", [0x1d, 0x00, 0x00], "Concept.value: truncated fixed-width value"),
            ("clarifai.api.Data", [0xb1, 0x01, 0x00], "Data.float_value: truncated fixed-width value"),
            ("clarifai.api.Concept", [0x80], "Concept: truncated varint"),
            ("clarifai.api.Annotation", [0x1a, 0x05, 0x1a, 0x03, 0x0a, 0x01, 0xff], "Annotation.data.concepts[0].id: invalid UTF-8 in string"),
            ("google.protobuf.Struct", [0x0a, 0x03, 0x0a, 0x01, 0xc3], "Struct.fields: invalid UTF-8 in string"),
            ("clarifai.api.Concept", [0x00, 0x00], "Concept: invalid field number"),
            ("clarifai.api.Concept", [0x0e], "Concept: invalid wire type"),
            ("clarifai.api.Concept", [0x0f], "Concept: invalid wire type"),
            ("clarifai.api.ImageInfo", [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], "ImageInfo.width: varint longer than 10 bytes"),
            ("clarifai.api.Embedding", [0x0a, 0x03, 0x00, 0x00, 0x00], "Embedding.vector: packed length not a multiple of the element size"),
            ("clarifai.api.Concept", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], "Concept.id: length over 2 GiB"),
            ("clarifai.api.Concept", [0xa2, 0x06, 0x05], "Concept.#100: truncated length"),
            ("clarifai.api.Data", [0x1a, 0x03, 0x0a, 0x01, 0x61, 0x1a, 0x02, 0x1d, 0x00], "Data.concepts[1].value: truncated fixed-width value"),
            ("clarifai.api.Annotation", [0x1a, 0x02, 0x1a, 0x05, 0x0a], "Annotation.data.concepts[0]: truncated length"),
        ] as [(String, [UInt8], String)])
        func rejected(typeName: String, input: [UInt8], description: String) throws {
            let type = try #require(MessageTypes.named(typeName))
            expectDecodeFails(type, input, description)
        }
    }

    // MARK: - Input the official classes accept and this codec rejects or changes

    /// upb, C++ and Java keep these as unknown fields (or keep the value) and re-emit them;
    /// these vectors hold this codec to the same behaviour.
    /// Where ProtoWire is deliberately stricter than upb (issue 2, "bad input"): upb keeps an
    /// unknown group, and a known field with the wrong wire type, as unknown fields; ProtoWire
    /// rejects both with the field path, since neither is produced by any Clarifai peer and a
    /// mismatched known field is far more likely corruption than a schema change.
    @Suite struct StricterThanUpb {
        @Test func unknownGroupIsRejected() {
            // official: Concept.id='tree' then an unknown group: field 127 start-group, varint field 1 = 1, end-group
            expectDecodeFails(Concept.self, [0x0a, 0x04, 0x74, 0x72, 0x65, 0x65, 0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07],
                              "Concept: group wire type not supported")
        }

        @Test func scalarWithTheWrongWireTypeIsRejected() {
            // official: Concept.id (a string, field 1) sent as varint 5 is kept as an unknown field
            expectDecodeFails(Concept.self, [0x08, 0x05, 0x1d, 0x00, 0x00, 0x00, 0x3f],
                              "Concept.id: wire type 0 where 2 was expected")
        }

        @Test func messageWithTheWrongWireTypeIsRejected() {
            // official: Annotation.data (a message, field 3) sent as varint 1 is kept as an unknown field
            expectDecodeFails(Annotation.self, [0x18, 0x01, 0x0a, 0x01, 0x61],
                              "Annotation.data: wire type 0 where 2 was expected")
        }
    }

    @Suite struct OfficialLeniency {
        /// upb keeps a map entry holding an unknown field whole, as an unknown field of the
        /// parent (the map stays empty), so nothing is lost on re-serialization.
        @Test func mapEntryWithAnUnknownFieldIsKeptWhole() {
            // official: Image.hosted_image_info entry with an unknown field 3 inside (dropped)
            expectReencode(Image.self, [0x3a, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x00, 0x18, 0x01], [0x3a, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x00, 0x18, 0x01])
        }

        @Test func nonZeroNullValueIsKept() {
            // official: Value.null_value = 5 (an unnamed NullValue)
            expectReencode(ProtoValue.self, [0x08, 0x05], [0x08, 0x05])
        }
    }
}
