import Testing

@testable import ProtoWire

// RegionInfo and Region (Sources/ProtoWire/Messages/Region.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct RegionVectorTests {
    @Test func regionInfo() {
        // official: r.RegionInfo(bounding_box=r.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.3, right_col=0.4),
        //     mask=r.Mask(image=r.Image(url='https://x/mask.png')), polygon=r.Polygon(points=[r.Point(row=0.5, col=0.5)]),
        //     point=r.Point(row=0.6, col=0.7), span=r.Span(char_start=1, char_end=2, raw_text='a'),
        //     token=r.Token(char_start=3, char_end=4, raw_text='b'),
        //     keypoint_locations=[r.Point(row=0.1, col=0.2, visibility=r.Point.NOT_VISIBLE), r.Point(row=0.3, col=0.4)])
        expectEncode(
            hex(
                """
                0a 14 0d cd cc cc 3d 15 cd cc 4c 3e 1d 9a 99 99 3e 25 cd cc cc 3e 22 16 12 14 0a 12 68 74 74 70
                73 3a 2f 2f 78 2f 6d 61 73 6b 2e 70 6e 67 2a 0c 0a 0a 0d 00 00 00 3f 15 00 00 00 3f 32 0a 0d 9a
                99 19 3f 15 33 33 33 3f 3a 07 08 01 10 02 1a 01 61 42 07 08 03 10 04 1a 01 62 4a 0c 0d cd cc cc
                3d 15 cd cc 4c 3e 20 02 4a 0a 0d 9a 99 99 3e 15 cd cc cc 3e
                """)
        ) { (m: inout RegionInfo) in
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
        expectEncode(
            hex(
                """
                0a 08 72 65 67 69 6f 6e 2d 31 12 16 0a 14 0d cd cc cc 3d 15 cd cc 4c 3e 1d 9a 99 99 3e 25 cd cc
                cc 3e 1a 0c 1a 0a 0a 03 64 6f 67 1d 66 66 66 3f 25 33 33 73 3f 2a 07 74 72 61 63 6b 2d 31
                """)
        ) { (m: inout Region) in
            m.id = "region-1"
            m.regionInfo = make { (i: inout RegionInfo) in
                i.boundingBox = BoundingBox(topRow: 0.1, leftCol: 0.2, bottomRow: 0.3, rightCol: 0.4)
            }
            m.data = dataWith(Concept(id: "dog", value: 0.9))
            m.value = 0.95
            m.trackID = "track-1"
        }
    }
}
