import Testing

@testable import ProtoWire

// google.protobuf.Timestamp (Sources/ProtoWire/WellKnown/Timestamp.swift).
// Every field of each message, as the official implementation writes it: the vectors and the
// Python names in them (`r`, `s`, `st`, `sc`) are described in Fixtures.swift.

@Suite struct TimestampVectorTests {
    @Test func timestamp() {
        // official: Timestamp(seconds=1700000000, nanos=123456789)
        expectEncode([0x08, 0x80, 0xe2, 0xcf, 0xaa, 0x06, 0x10, 0x95, 0x9a, 0xef, 0x3a]) { (m: inout Timestamp) in
            m = Timestamp(seconds: 1_700_000_000, nanos: 123_456_789)
        }
    }
}
