import Testing

@testable import ProtoWire

@Suite struct VarintTests {
    static let vectors: [(UInt64, [UInt8])] = [
        (0, [0]), (1, [1]), (127, [0x7f]), (128, [0x80, 0x01]), (300, [0xac, 0x02]),
        (16_383, [0xff, 0x7f]), (16_384, [0x80, 0x80, 0x01]),
        (UInt64.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ]

    @Test(arguments: vectors)
    func roundTrip(value: UInt64, bytes: [UInt8]) throws {
        var writer = WireWriter()
        writer.writeVarint(value)
        #expect(writer.bytes() == bytes)
        #expect(WireWriter.varintSize(value) == bytes.count)
        let read = try readVarint(bytes)
        #expect(read.0 == value)
        #expect(read.1)
    }

    @Test func negativeInt32TakesTenBytes() throws {
        var image = ImageInfo()
        image.width = -1
        #expect(image.serializedBytes() == [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(try ImageInfo(serializedBytes: image.serializedBytes()).width == -1)
    }

    @Test(arguments: [
        [UInt8](repeating: 0x80, count: 10) + [UInt8(0x01)],  // 11 bytes
        [UInt8](repeating: 0xff, count: 20),
    ])
    func overlongVarintIsRejected(bytes: [UInt8]) {
        #expect(throws: WireError(.malformedVarint)) {
            _ = try readVarint(bytes)
        }
    }

    @Test func writerGrowsPastItsFirstBuffer() throws {
        var embedding = Embedding()
        embedding.vector = (0..<10_000).map { Float($0) }
        let bytes = embedding.serializedBytes()
        #expect(bytes.count == 1 + 3 + 40_000)
        #expect(try Embedding(serializedBytes: bytes) == embedding)
    }
}

/// Reads one varint; returns it and whether the reader reached the end.
private func readVarint(_ bytes: [UInt8]) throws -> (UInt64, Bool) {
    try bytes.withUnsafeBytes { buffer in
        var reader = WireReader(buffer)
        let value = try reader.readVarint()
        return (value, reader.isAtEnd)
    }
}
