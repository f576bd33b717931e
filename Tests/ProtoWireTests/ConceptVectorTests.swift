import Testing

@testable import ProtoWire

// Concept (Sources/ProtoWire/Messages/Concept.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct ConceptVectorTests {
    @Test func concept() {
        // official: r.Concept(id='tree', name='Tree', value=0.75, created_at=Timestamp(seconds=1700000000, nanos=123000000), language='en', app_id='main',
        //     definition='A woody plant', vocab_id='vocab-1', visibility=r.Visibility(gettable=r.Visibility.PUBLIC), user_id='clarifai',
        //     keypoint_info=r.KeypointInfo(keypoint_names=['nose', 'left_eye']), extra_info=r.ConceptExtraInfo(is_rankable=True), metadata=struct_of({'source': 'wordnet'}),
        //     image=r.Image(url='https://x/tree.jpg'))
        expectEncode(
            hex(
                """
                0a 04 74 72 65 65 12 04 54 72 65 65 1d 00 00 40 3f 22 0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a 2a 02
                65 6e 32 04 6d 61 69 6e 3a 0d 41 20 77 6f 6f 64 79 20 70 6c 61 6e 74 42 07 76 6f 63 61 62 2d 31
                4a 02 08 32 52 08 63 6c 61 72 69 66 61 69 5a 10 0a 04 6e 6f 73 65 0a 08 6c 65 66 74 5f 65 79 65
                62 02 08 01 6a 15 0a 13 0a 06 73 6f 75 72 63 65 12 09 1a 07 77 6f 72 64 6e 65 74 b2 01 14 0a 12
                68 74 74 70 73 3a 2f 2f 78 2f 74 72 65 65 2e 6a 70 67
                """)
        ) { (m: inout Concept) in
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
            m.keypointInfo = RawMessage(bytes: [
                0x0a, 0x04, 0x6e, 0x6f, 0x73, 0x65, 0x0a, 0x08, 0x6c, 0x65, 0x66, 0x74, 0x5f, 0x65, 0x79, 0x65,
            ])
            // official: r.ConceptExtraInfo(is_rankable=True)
            m.extraInfo = RawMessage(bytes: [0x08, 0x01])
            m.metadata = ["source": "wordnet"]
            m.image = Image(url: "https://x/tree.jpg")
        }
    }
}
