import Testing

@testable import ProtoWire

// HostedURL, ImageInfo, Image, Video, Text, Audio and Embedding
// (Sources/ProtoWire/Messages/Media.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct MediaVectorTests {
    @Test func hostedURL() {
        // official: r.HostedURL(prefix='https://s3.amazonaws.com/clarifai-api/img3/prod', suffix='abc/123', sizes=['orig', 'tiny', 'small', 'large'], crossorigin='use-credentials')
        expectEncode(
            hex(
                """
                0a 2f 68 74 74 70 73 3a 2f 2f 73 33 2e 61 6d 61 7a 6f 6e 61 77 73 2e 63 6f 6d 2f 63 6c 61 72 69
                66 61 69 2d 61 70 69 2f 69 6d 67 33 2f 70 72 6f 64 12 07 61 62 63 2f 31 32 33 1a 04 6f 72 69 67
                1a 04 74 69 6e 79 1a 05 73 6d 61 6c 6c 1a 05 6c 61 72 67 65 22 0f 75 73 65 2d 63 72 65 64 65 6e
                74 69 61 6c 73
                """)
        ) { (m: inout HostedURL) in
            m = sampleHosted
        }
    }

    @Test func imageInfo() {
        // official: r.ImageInfo(width=640, height=480, format='JPEG', color_mode='RGB', mode='RGB')
        expectEncode(
            hex(
                """
                08 80 05 10 e0 03 1a 04 4a 50 45 47 22 03 52 47 42 2a 03 52 47 42
                """)
        ) { (m: inout ImageInfo) in
            m = sampleImageInfo
        }
    }

    @Test func image() {
        // official: r.Image(url='https://samples.clarifai.com/metro-north.jpg', base64=b'\xff\xd8\xff\xe0',
        //     allow_duplicate_url=True, hosted=r.HostedURL(prefix='https://s3.amazonaws.com/clarifai-api/img3/prod', suffix='abc/123', sizes=['orig', 'tiny', 'small', 'large'], crossorigin='use-credentials'), image_info=r.ImageInfo(width=640, height=480, format='JPEG', color_mode='RGB', mode='RGB'),
        //     hosted_image_info={'small': r.ImageInfo(width=64, height=48)}, decoded_bytes=b'\x00\x01')
        expectEncode(
            hex(
                """
                0a 2c 68 74 74 70 73 3a 2f 2f 73 61 6d 70 6c 65 73 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 6d
                65 74 72 6f 2d 6e 6f 72 74 68 2e 6a 70 67 12 04 ff d8 ff e0 20 01 2a 65 0a 2f 68 74 74 70 73 3a
                2f 2f 73 33 2e 61 6d 61 7a 6f 6e 61 77 73 2e 63 6f 6d 2f 63 6c 61 72 69 66 61 69 2d 61 70 69 2f
                69 6d 67 33 2f 70 72 6f 64 12 07 61 62 63 2f 31 32 33 1a 04 6f 72 69 67 1a 04 74 69 6e 79 1a 05
                73 6d 61 6c 6c 1a 05 6c 61 72 67 65 22 0f 75 73 65 2d 63 72 65 64 65 6e 74 69 61 6c 73 32 16 08
                80 05 10 e0 03 1a 04 4a 50 45 47 22 03 52 47 42 2a 03 52 47 42 3a 0d 0a 05 73 6d 61 6c 6c 12 04
                08 40 10 30 42 02 00 01
                """)
        ) { (m: inout Image) in
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
        expectEncode(
            hex(
                """
                0a 25 68 74 74 70 73 3a 2f 2f 73 61 6d 70 6c 65 73 2e 63 6c 61 72 69 66 61 69 2e 63 6f 6d 2f 62
                65 65 72 2e 6d 70 34 12 04 00 00 00 18 20 01 2a 13 68 74 74 70 73 3a 2f 2f 78 2f 74 68 75 6d 62
                2e 6a 70 67 32 06 0a 01 70 12 01 73 3a 0b 08 80 0f 10 b8 08 1d 8f c2 ef 41 42 0a 0a 01 74 1a 05
                73 6d 61 6c 6c
                """)
        ) { (m: inout Video) in
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
        expectEncode(
            hex(
                """
                0a 0d 48 65 6c 6c 6f 2c 20 77 c3 b6 72 6c 64 12 0f 68 74 74 70 73 3a 2f 2f 78 2f 74 2e 74 78 74
                18 01 22 03 0a 01 70 2a 09 08 05 12 05 55 54 46 2d 38
                """)
        ) { (m: inout Text) in
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
        expectEncode(
            hex(
                """
                0a 0f 68 74 74 70 73 3a 2f 2f 78 2f 61 2e 6d 70 33 12 03 49 44 33 20 01 2a 03 12 01 61 32 09 0a
                03 6d 70 33 10 c4 d8 02
                """)
        ) { (m: inout Audio) in
            m.url = "https://x/a.mp3"
            m.base64 = Array("ID3".utf8)
            m.allowDuplicateURL = true
            m.hosted = hostedWith(suffix: "a")
            // official: r.AudioInfo(audio_format='mp3', sample_rate=44100)
            m.audioInfo = RawMessage(bytes: [0x0a, 0x03, 0x6d, 0x70, 0x33, 0x10, 0xc4, 0xd8, 0x02])
        }
    }

    @Test func embedding() {
        // official: r.Embedding(vector=[0.1, -0.2, 3.5], num_dimensions=3)
        expectEncode([0x0a, 0x0c, 0xcd, 0xcc, 0xcc, 0x3d, 0xcd, 0xcc, 0x4c, 0xbe, 0x00, 0x00, 0x60, 0x40, 0x10, 0x03]) {
            (m: inout Embedding) in
            m.vector = [0.1, -0.2, 3.5]
            m.numDimensions = 3
        }
    }
}
