import Testing

@testable import AnnotationsRPC

/// The token bucket behind `RateLimit`, without a network.
struct RateLimiterTests {
    private let far = ContinuousClock.now + .seconds(3600)

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test func burstOneSpacesCallsEvenly() {
        let limiter = RateLimiter(RateLimit(callsPerSecond: 10))
        let waits = (0..<5).map { _ in seconds(limiter.reserve(before: far)!) }
        // The first goes at once; each later one is reserved 0.1 s after the one before.
        #expect(waits[0] == 0)
        for index in 1..<5 {
            #expect(abs(waits[index] - Double(index) * 0.1) < 0.01, "\(waits)")
        }
    }

    @Test func aBurstGoesAtOnceThenTheRateHolds() {
        let limiter = RateLimiter(RateLimit(callsPerSecond: 10, burst: 3))
        let waits = (0..<5).map { _ in seconds(limiter.reserve(before: far)!) }
        #expect(waits[0...2].allSatisfy { $0 == 0 })
        #expect(abs(waits[3] - 0.1) < 0.01 && abs(waits[4] - 0.2) < 0.01, "\(waits)")
    }

    @Test func aWaitPastTheDeadlineReservesNothing() {
        let limiter = RateLimiter(RateLimit(callsPerSecond: 1))
        #expect(limiter.reserve(before: far) == .zero)
        #expect(limiter.reserve(before: .now + .milliseconds(500)) == nil)
        // The refused one took no token: the next is due in about a second, not two.
        let wait = seconds(limiter.reserve(before: far)!)
        #expect(wait > 0.9 && wait <= 1.0)
    }

    @Test func throttlingHalvesTheRateOnceASecondAndSuccessWinsItBackSlowly() {
        let limiter = RateLimiter(RateLimit(callsPerSecond: 16))
        var now = ContinuousClock.now
        limiter.throttled(now: now)
        #expect(limiter.currentRate == 8)
        // A burst of throttled answers in the same second halves it once.
        for _ in 0..<5 { limiter.throttled(now: now + .milliseconds(300)) }
        #expect(limiter.currentRate == 8)
        // Calls in flight succeeding at once do not win it back either.
        limiter.succeeded(now: now + .milliseconds(500))
        #expect(limiter.currentRate == 8)
        for _ in 0..<20 {
            now += .seconds(1)
            limiter.throttled(now: now)
        }
        #expect(limiter.currentRate == 16.0 / 64)  // the floor
        for _ in 0..<3 {
            now += .seconds(1)
            limiter.succeeded(now: now)
            limiter.succeeded(now: now)  // once a second
        }
        #expect(abs(limiter.currentRate - (0.25 + 3 * 1.6)) < 1e-9)
        for _ in 0..<20 {
            now += .seconds(1)
            limiter.succeeded(now: now)
        }
        #expect(limiter.currentRate == 16)
    }

    /// Attempts reserved before the rate changes keep their turn: their debt is kept in seconds,
    /// and the next attempt comes one new interval after the last of them (not the whole debt
    /// again at the new rate, nor ahead of them).
    @Test func reservationsKeepTheirTurnWhenTheRateChanges() {
        let limiter = RateLimiter(RateLimit(callsPerSecond: 16))
        let waits = (0..<8).map { _ in seconds(limiter.reserve(before: far)!) }
        #expect(abs(waits[7] - 7.0 / 16) < 0.01, "\(waits)")
        limiter.throttled()  // 8 a second
        let next = seconds(limiter.reserve(before: far)!)
        #expect(abs(next - (7.0 / 16 + 1.0 / 8)) < 0.01, "\(next) after \(waits)")
    }

    @Test func outOfRangeLimitsAreBroughtIntoRange() {
        #expect(RateLimit(callsPerSecond: 0, burst: 0).normalized == RateLimit(callsPerSecond: 0.001, burst: 1))
        #expect(RateLimit(callsPerSecond: .infinity).normalized.callsPerSecond == 1e6)
        #expect(RateLimit(callsPerSecond: .nan).normalized.callsPerSecond == 1)
        #expect(RateLimit(callsPerSecond: -5, burst: -1).normalized == RateLimit(callsPerSecond: 0.001, burst: 1))
    }
}
