import Testing

@testable import H2Transport

/// The incremental deframer (Sources/H2Transport/GRPCMessageDeframer.swift) fed in every way
/// DATA frames can cut a body.
@Suite struct GRPCMessageDeframerTests {
    /// Messages of sizes that cross every cut: empty ones, one-byte ones, one larger than a frame.
    static let messages: [[UInt8]] = [
        [], [1], (0..<300).map { UInt8($0 % 256) }, [], [2, 3], (0..<40_000).map { UInt8($0 % 251) }, [4],
    ]
    static var body: [UInt8] { messages.reduce(into: []) { GRPCWire.appendFrame(of: $1, to: &$0) } }

    /// Splits `body` into pieces of `size` bytes, feeding each and taking what it completes.
    private func deframe(_ body: [UInt8], pieces size: Int, limit: Int = .max) throws(GRPCError) -> [[UInt8]] {
        var deframer = GRPCMessageDeframer(maxMessageSize: limit)
        var out: [[UInt8]] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + size)
            deframer.append(body[offset..<end])
            offset = end
            while let message = try deframer.next() { out.append(message) }
        }
        try deframer.finish()
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 16, 300, 305, 16_384, 1 << 20])
    func deframesWhateverTheCuts(pieceSize: Int) throws {
        #expect(try deframe(GRPCMessageDeframerTests.body, pieces: pieceSize) == GRPCMessageDeframerTests.messages)
    }

    @Test func severalMessagesInOneChunkComeOutOneByOne() throws {
        var deframer = GRPCMessageDeframer()
        deframer.append(GRPCWire.frame([1]) + GRPCWire.frame([2]) + [0, 0])
        #expect(try deframer.next() == [1])
        #expect(try deframer.next() == [2])
        #expect(try deframer.next() == nil)
        #expect(deframer.hasPartialMessage)
        deframer.append([0, 0, 1, 3])
        #expect(try deframer.next() == [3])
        #expect(!deframer.hasPartialMessage)
        try deframer.finish()
    }

    @Test func refusesCompressedMessages() throws {
        var deframer = GRPCMessageDeframer()
        deframer.append([1, 0, 0, 0, 1, 9])
        #expect(#expect(throws: GRPCError.self) { try deframer.next() }?.code == .internal)
        // And keeps refusing: nothing after the failure is taken.
        deframer.append(GRPCWire.frame([1]))
        #expect(#expect(throws: GRPCError.self) { try deframer.next() }?.code == .internal)
    }

    @Test func refusesAMessageAboveTheLimitFromItsPrefixAlone() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 10)
        deframer.append(GRPCWire.frame([UInt8](repeating: 0, count: 10)))
        #expect(try deframer.next()?.count == 10)
        deframer.append([0, 0, 0, 0, 11])  // the prefix of an 11-byte message, no byte of it yet
        let error = #expect(throws: GRPCError.self) { try deframer.next() }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("11") == true)
    }

    @Test(arguments: [[0, 0, 0], [0, 0, 0, 0, 4, 1, 2]] as [[UInt8]])
    func aBodyEndingInsideAMessageIsInternal(tail: [UInt8]) throws {
        var deframer = GRPCMessageDeframer()
        deframer.append(GRPCWire.frame([1]) + tail)
        #expect(try deframer.next() == [1])
        #expect(try deframer.next() == nil)
        #expect(#expect(throws: GRPCError.self) { try deframer.finish() }?.code == .internal)
    }
}
