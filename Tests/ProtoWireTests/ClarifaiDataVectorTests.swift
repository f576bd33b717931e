import Testing

@testable import ProtoWire

// ClarifaiData (Sources/ProtoWire/Messages/ClarifaiData.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct ClarifaiDataVectorTests {
    @Test func clarifaiData() {
        // official: r.Geo(geo_point=r.GeoPoint(longitude=-122.4, latitude=37.8))
        let geo: [UInt8] = [0x0a, 0x0a, 0x0d, 0xcd, 0xcc, 0xf4, 0xc2, 0x15, 0x33, 0x33, 0x17, 0x42]
        // official: r.Color(raw_hex='#ff0000', w3c=r.W3C(hex='#ff0000', name='Red'), value=0.5)
        let color: [UInt8] = hex(
            """
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
        expectEncode(
            hex(
                """
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
                """)
        ) { (m: inout ClarifaiData) in
            m.image = Image(url: "https://x/i.jpg")
            m.video = make { (v: inout Video) in v.url = "https://x/v.mp4" }
            m.concepts = [Concept(id: "a", value: 1), Concept(id: "b", value: 0)]
            m.metadata = ["k": "v"]
            m.geo = RawMessage(bytes: geo)
            m.colors = [RawMessage(bytes: color)]
            m.clusters = [RawMessage(bytes: cluster)]
            m.embeddings = [
                make { (e: inout Embedding) in
                    e.vector = [1, 2]
                    e.numDimensions = 2
                }
            ]
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
}
