import Testing

@testable import ProtoWire

// FrameInfo, Frame, TimeInfo and Track (Sources/ProtoWire/Messages/Frame.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct FrameVectorTests {
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
        expectEncode(
            hex(
                """
                0a 07 08 01 10 e8 07 18 01 12 0c 1a 0a 0a 03 63 61 72 1d 00 00 80 3f 1a 07 66 72 61 6d 65 2d 31
                """)
        ) { (m: inout Frame) in
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
        expectEncode(
            hex(
                """
                0a 07 74 72 61 63 6b 2d 31 12 0f 1a 0d 0a 06 70 65 72 73 6f 6e 1d 00 00 80 3f 22 0c 08 02 25 00
                00 00 3f 2d 00 00 80 3f 2d 00 00 60 3f
                """)
        ) { (m: inout Track) in
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
}
