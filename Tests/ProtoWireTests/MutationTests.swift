import Testing

@testable import ProtoWire

/// Seeded random damage to valid messages: every result is a decoded message or a thrown
/// error, never a crash or a hang; what decodes re-encodes to something that decodes the same.
@Suite struct MutationTests {
    /// SplitMix64: small, fast and reproducible across platforms.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &random)] }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 1: bytes[at] = [0x00, 0x7f, 0x80, 0xff, 0x0b, 0x0e][Int.random(in: 0..<6, using: &random)]
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
            case 3: bytes.remove(at: at)
            case 4: bytes.removeSubrange(at...)
            case 5:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &random))
                bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &random))
            default: bytes[at] = UInt8.random(in: 0...255, using: &random)
            }
        }
        return bytes
    }

    private func survive<M: ProtoMessage>(_ seed: M, count: Int, randomSeed: UInt64) throws -> (
        decoded: Int, failed: Int
    ) {
        var random = SeededGenerator(state: randomSeed)
        let valid = seed.serializedBytes()
        var decoded = 0
        var failed = 0
        for _ in 0..<count {
            let input = Self.mutate(valid, &random)
            do {
                let message = try M(serializedBytes: input)
                let again = try M(serializedBytes: message.serializedBytes())
                #expect(again == message || again.serializedBytes() == message.serializedBytes())
                decoded += 1
            } catch {
                failed += 1
            }
        }
        return (decoded, failed)
    }

    @Test func hundredThousandBinaryMutations() throws {
        let perType = 20_000
        var totals = [(String, Int, Int)]()
        func run<M: ProtoMessage>(_ message: M, _ seed: UInt64) throws {
            let (decoded, failed) = try survive(message, count: perType, randomSeed: seed)
            totals.append((M.protoMessageName, decoded, failed))
        }
        try run(Fixtures.response, 1)
        try run(Fixtures.annotation, 2)
        try run(Fixtures.listRequest, 3)
        try run(Fixtures.annotation.data!, 4)
        var post = PostAnnotationsRequest()
        post.annotations = [Fixtures.annotation]
        try run(post, 5)
        // Both outcomes must occur, or the mutations are not exercising the decoder.
        for (name, decoded, failed) in totals {
            #expect(decoded > 0, "\(name): no mutation decoded")
            #expect(failed > 0, "\(name): no mutation failed")
        }
        #expect(totals.map { $0.1 + $0.2 }.reduce(0, +) == 100_000)
    }

    @Test func tenThousandJSONMutations() throws {
        var random = SeededGenerator(state: 42)
        let valid = Fixtures.response.jsonUTF8()
        var outcomes = (decoded: 0, failed: 0)
        for _ in 0..<10_000 {
            let input = Self.mutate(valid, &random)
            do {
                let message = try MultiAnnotationResponse(jsonUTF8: input)
                _ = message.jsonUTF8()
                outcomes.decoded += 1
            } catch {
                outcomes.failed += 1
            }
        }
        #expect(outcomes.decoded > 0)
        #expect(outcomes.failed > 0)
    }
}

@Suite struct FixtureJSONTests {
    @Test func fixtureJSONReadsBack() throws {
        let json = Fixtures.response.jsonString()
        let back = try MultiAnnotationResponse(jsonString: json)
        #expect(back.jsonString() == json)
    }
}
