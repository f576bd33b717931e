import Testing

@testable import H2Transport

/// The spacing of failed connects (`HTTP2Channel.backoff`, Sources/H2Transport/HTTP2Channel.swift):
/// gRPC's connection backoff (grpc/grpc `doc/connection-backoff.md`), 1 s × 1.6^(n-1) capped at
/// 120 s, then ±20 % jitter. A generator that always gives its smallest or its largest value
/// draws the jitter's bounds, so the bounds are exact values.
@Suite struct HTTP2ChannelBackoffTests {
    /// Always the same value: `Double.random(in:using:)` then gives the range's lower bound for
    /// 1 (not 0, which the standard library's unbiased sampling rejects for ever) and its upper
    /// bound for `UInt64.max`; `generatorGivesTheBounds` checks it.
    struct ConstantGenerator: RandomNumberGenerator {
        let value: UInt64
        mutating func next() -> UInt64 { value }
        static var lowest: ConstantGenerator { ConstantGenerator(value: 1) }
        static var highest: ConstantGenerator { ConstantGenerator(value: .max) }
    }

    @Test func generatorGivesTheBounds() {
        var low = ConstantGenerator.lowest
        var high = ConstantGenerator.highest
        #expect(Double.random(in: 0.8...1.2, using: &low) == 0.8)
        #expect(Double.random(in: 0.8...1.2, using: &high) == 1.2)
        #expect(Double.random(in: 0...0.1, using: &low) == 0)
        #expect(Double.random(in: 0...0.1, using: &high) == 0.1)
    }

    static func bounds(afterFailures failures: Int) -> (Duration, Duration) {
        var low = ConstantGenerator.lowest
        var high = ConstantGenerator.highest
        return (HTTP2Channel.backoff(failures, using: &low), HTTP2Channel.backoff(failures, using: &high))
    }

    @Test(
        arguments: [
            (-1, 800, 1_200),  // never happens; taken as the first failure
            (0, 800, 1_200),
            (1, 800, 1_200),
            (2, 1_280, 1_920),
            (3, 2_048, 3_072),
            (4, 3_276, 4_915),  // 4.096 s × 0.8 and × 1.2, whole milliseconds
            (11, 87_960, 131_941),  // 1.6^10 = 109.95 s, still below the cap
            (12, 96_000, 144_000),  // 1.6^11 = 175.9 s: 120 s
            (100, 96_000, 144_000),
            (10_000, 96_000, 144_000),  // 1.6^9999 is infinite: still 120 s
            (.max, 96_000, 144_000),
        ] as [(Int, Int64, Int64)])
    func jitterBounds(failures: Int, lowest: Int64, highest: Int64) {
        let (low, high) = HTTP2ChannelBackoffTests.bounds(afterFailures: failures)
        #expect(low == .milliseconds(lowest))
        #expect(high == .milliseconds(highest))
    }

    /// The random draw stays between the bounds (and does vary).
    @Test(arguments: [1, 5, 20])
    func drawsStayWithinTheBounds(failures: Int) {
        let (low, high) = HTTP2ChannelBackoffTests.bounds(afterFailures: failures)
        let draws = (0..<500).map { _ in HTTP2Channel.backoff(failures) }
        #expect(draws.allSatisfy { low <= $0 && $0 <= high })
        #expect(Set(draws).count > 1)
    }
}
