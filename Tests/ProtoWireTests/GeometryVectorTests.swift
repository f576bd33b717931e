import Testing

@testable import ProtoWire

// BoundingBox, Point, Polygon, Mask, Span and Token (Sources/ProtoWire/Messages/Geometry.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct GeometryVectorTests {
    @Test func boundingBox() {
        // official: r.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.8, right_col=0.9)
        expectEncode(
            hex(
                """
                0d cd cc cc 3d 15 cd cc 4c 3e 1d cd cc 4c 3f 25 66 66 66 3f
                """)
        ) { (m: inout BoundingBox) in
            m = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.8, rightCol: 0.9)
        }
    }

    @Test func point() {
        // official: r.Point(row=0.25, col=0.5, z=-1.5, visibility=r.Point.VISIBLE)
        expectEncode(
            hex(
                """
                0d 00 00 80 3e 15 00 00 00 3f 1d 00 00 c0 bf 20 01
                """)
        ) { (m: inout Point) in
            m.row = 0.25
            m.col = 0.5
            m.z = -1.5
            m.visibility = .visible
        }
    }

    @Test func polygon() {
        // official: r.Polygon(points=[r.Point(row=0.1, col=0.1), r.Point(row=0.1, col=0.9), r.Point(row=0.9, col=0.5)])
        expectEncode(
            hex(
                """
                0a 0a 0d cd cc cc 3d 15 cd cc cc 3d 0a 0a 0d cd cc cc 3d 15 66 66 66 3f 0a 0a 0d 66 66 66 3f 15
                00 00 00 3f
                """)
        ) { (m: inout Polygon) in
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
        expectEncode([0x08, 0x0a, 0x10, 0xac, 0x02, 0x1a, 0x06, 0x77, 0xc3, 0xb6, 0x72, 0x6c, 0x64]) {
            (m: inout Token) in
            m.charStart = 10
            m.charEnd = 300
            m.rawText = "wörld"
        }
    }
}
