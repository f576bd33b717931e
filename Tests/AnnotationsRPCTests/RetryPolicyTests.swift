import Testing

@testable import AnnotationsRPC

/// `RetryPolicy.delay(beforeAttempt:)` (Sources/AnnotationsRPC/ClientConfiguration.swift):
/// exponential backoff with full jitter (gRFC A6), a random time in
/// [0, min(initial × multiplier^(n-2), max)] before attempt n. A generator that always gives its
/// smallest or its largest value draws the bounds, so the bounds are exact values.
@Suite struct RetryPolicyTests {
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

    static func longest(_ policy: RetryPolicy, beforeAttempt attempt: Int) -> Duration {
        var high = ConstantGenerator.highest
        return policy.delay(beforeAttempt: attempt, using: &high)
    }

    static func shortest(_ policy: RetryPolicy, beforeAttempt attempt: Int) -> Duration {
        var low = ConstantGenerator.lowest
        return policy.delay(beforeAttempt: attempt, using: &low)
    }

    /// The defaults: 100 ms, doubling, at most 5 s.
    @Test(
        arguments: [
            (-3, 100),  // never asked; taken as the second attempt
            (1, 100),
            (2, 100),
            (3, 200),
            (4, 400),
            (5, 800),
            (6, 1_600),
            (7, 3_200),
            (8, 5_000),  // 6.4 s: capped
            (9, 5_000),
            (2_000, 5_000),  // 2^1998 is infinite: still the cap
            (.max, 5_000),
        ] as [(Int, Int64)])
    func defaultBounds(attempt: Int, longestMilliseconds: Int64) {
        #expect(RetryPolicyTests.longest(RetryPolicy(), beforeAttempt: attempt) == .milliseconds(longestMilliseconds))
        #expect(RetryPolicyTests.shortest(RetryPolicy(), beforeAttempt: attempt) == .zero)
    }

    struct Custom: Sendable, CustomStringConvertible {
        let initial: Duration
        let max: Duration
        let multiplier: Double
        let attempt: Int
        let longest: Duration
        var description: String { "\(initial) ×\(multiplier) ≤ \(max), attempt \(attempt)" }
    }

    @Test(arguments: [
        Custom(initial: .seconds(1), max: .seconds(10), multiplier: 3, attempt: 2, longest: .seconds(1)),
        Custom(initial: .seconds(1), max: .seconds(10), multiplier: 3, attempt: 4, longest: .seconds(9)),
        Custom(initial: .seconds(1), max: .seconds(10), multiplier: 3, attempt: 5, longest: .seconds(10)),
        Custom(initial: .milliseconds(300), max: .seconds(5), multiplier: 1, attempt: 9, longest: .milliseconds(300)),
        Custom(initial: .milliseconds(800), max: .seconds(5), multiplier: 0.5, attempt: 4, longest: .milliseconds(200)),
        // The cap below the first backoff wins from the start.
        Custom(
            initial: .milliseconds(250), max: .milliseconds(100), multiplier: 2, attempt: 2, longest: .milliseconds(100)
        ),
        Custom(initial: .milliseconds(250), max: .zero, multiplier: 2, attempt: 3, longest: .zero),
        Custom(initial: .zero, max: .seconds(5), multiplier: 2, attempt: 6, longest: .zero),
        // Whole milliseconds: a fraction is dropped.
        Custom(initial: .microseconds(1_500), max: .seconds(5), multiplier: 2, attempt: 2, longest: .milliseconds(1)),
        Custom(initial: .microseconds(999), max: .seconds(5), multiplier: 2, attempt: 2, longest: .zero),
        // An initial backoff above 10^9 s counts as 10^9 s.
        Custom(
            initial: .seconds(2_000_000_000), max: .seconds(3_000_000_000), multiplier: 2, attempt: 2,
            longest: .seconds(1_000_000_000)
        ),
        // Settings that make no sense give no wait, not a trap in `0...bound`.
        Custom(initial: .milliseconds(-100), max: .seconds(5), multiplier: 2, attempt: 2, longest: .zero),
        Custom(initial: .milliseconds(100), max: .seconds(-5), multiplier: 2, attempt: 2, longest: .zero),
        Custom(initial: .milliseconds(100), max: .seconds(5), multiplier: -2, attempt: 3, longest: .zero),
        Custom(initial: .milliseconds(100), max: .seconds(5), multiplier: .nan, attempt: 3, longest: .zero),
        Custom(initial: .zero, max: .seconds(5), multiplier: .infinity, attempt: 3, longest: .zero),  // 0 × inf
        // A bound above Int.max milliseconds (no trap in `Int(_:)`): 10^15 s at most.
        Custom(
            initial: .seconds(1_000_000_000), max: .seconds(Int64.max), multiplier: 1e7, attempt: 3,
            longest: .seconds(1_000_000_000_000_000)
        ),
    ])
    func customBounds(_ example: Custom) {
        var policy = RetryPolicy()
        policy.initialBackoff = example.initial
        policy.maxBackoff = example.max
        policy.multiplier = example.multiplier
        #expect(RetryPolicyTests.longest(policy, beforeAttempt: example.attempt) == example.longest)
        #expect(RetryPolicyTests.shortest(policy, beforeAttempt: example.attempt) == .zero)
    }

    /// The random draw stays between the bounds (and does vary).
    @Test(arguments: [2, 4, 10])
    func drawsStayWithinTheBounds(attempt: Int) {
        let policy = RetryPolicy()
        let longest = RetryPolicyTests.longest(policy, beforeAttempt: attempt)
        let draws = (0..<500).map { _ in policy.delay(beforeAttempt: attempt) }
        #expect(draws.allSatisfy { .zero <= $0 && $0 <= longest })
        #expect(Set(draws).count > 1)
    }

    @Test func noneMakesOneAttempt() {
        #expect(RetryPolicy.none.maxAttempts == 1)
        #expect(RetryPolicy().maxAttempts == 4)
    }
}
