import Synchronization

/// A client-side cap on calls per second, so that a busy client stays under the server's
/// throttling (Clarifai's default is 15 requests per second, answered with CONN_THROTTLED
/// beyond) instead of hammering it. Every attempt of every call counts, on every wire and in
/// every bulk operation. On CONN_THROTTLED the client halves its rate (at most once a second)
/// and wins a tenth of it back each second in which calls succeed.
///
/// ```swift
/// configuration.rateLimit = RateLimit(callsPerSecond: 15)             // evenly spaced
/// configuration.rateLimit = RateLimit(callsPerSecond: 15, burst: 5)   // up to 5 at once
/// ```
public struct RateLimit: Sendable, Equatable {
    /// Attempts per second on average; brought into 0.001…1,000,000.
    public var callsPerSecond: Double
    /// Attempts that may start at once after a quiet spell; brought into 1…1,000,000. With the
    /// default 1, no window of a second holds more than `callsPerSecond` rounded up.
    public var burst: Int

    /// A limit of `callsPerSecond` attempts per second on average, `burst` at once at most
    /// (1 by default); out-of-range values are brought into range when the client uses them.
    public init(callsPerSecond: Double, burst: Int = 1) {
        self.callsPerSecond = callsPerSecond
        self.burst = burst
    }

    var normalized: RateLimit {
        let rate = callsPerSecond.isNaN ? 1 : min(max(callsPerSecond, 0.001), 1e6)
        return RateLimit(callsPerSecond: rate, burst: min(max(burst, 1), 1_000_000))
    }
}

/// The token bucket behind `RateLimit`, shared by all calls of one client. A caller reserves
/// its token at once (the bucket may go negative) and sleeps until it is due, so waiting
/// callers are served in the order they came.
final class RateLimiter: Sendable {
    private struct Bucket {
        /// Below zero: attempts reserved ahead, a debt of `-tokens / rate` seconds.
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        /// The rate now: the configured one, or less after CONN_THROTTLED.
        var rate: Double
        /// When the rate last changed: it changes at most once per `RateLimiter.adjustmentPeriod`,
        /// so that a burst of throttled answers halves it once, and the calls already in flight
        /// do not win it back at once.
        var adjustedAt: ContinuousClock.Instant?

        /// Changes the rate, keeping the debt of reserved attempts in seconds: those callers
        /// sleep until times fixed at the old rate, and newcomers must come after them.
        mutating func setRate(_ newRate: Double, now: ContinuousClock.Instant) {
            refill(now: now)
            if tokens < 0 { tokens *= newRate / rate }
            rate = newRate
            adjustedAt = now
        }

        mutating func refill(now: ContinuousClock.Instant) {
            let elapsed = refilledAt.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens += max(0, seconds) * rate
            refilledAt = now
        }

        func mayAdjust(now: ContinuousClock.Instant) -> Bool {
            adjustedAt.map { $0.duration(to: now) >= RateLimiter.adjustmentPeriod } ?? true
        }
    }

    static let adjustmentPeriod: Duration = .seconds(1)
    private let limit: RateLimit
    private let bucket: Mutex<Bucket>

    init(_ limit: RateLimit) {
        self.limit = limit.normalized
        bucket = Mutex(Bucket(tokens: Double(self.limit.burst), refilledAt: .now, rate: self.limit.callsPerSecond))
    }

    /// The slowest the limiter goes after repeated throttling.
    private var floorRate: Double { limit.callsPerSecond / 64 }

    /// Reserves one attempt and returns how long to wait for it; nil (nothing reserved) when
    /// that wait would end at or after `deadline`.
    func reserve(before deadline: ContinuousClock.Instant) -> Duration? {
        bucket.withLock { bucket in
            let now = ContinuousClock.now
            bucket.refill(now: now)
            bucket.tokens = min(Double(limit.burst), bucket.tokens)
            let wait = bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / bucket.rate
            let delay = Duration.nanoseconds(Int64((wait * 1e9).rounded(.up)))
            guard now.advanced(by: delay) < deadline else { return nil }
            bucket.tokens -= 1
            return delay
        }
    }

    /// The server throttled a call: halve the rate (down to 1/64 of the configured one, at
    /// most once a second) and drop any saved-up burst.
    func throttled(now: ContinuousClock.Instant = .now) {
        bucket.withLock { bucket in
            bucket.refill(now: now)
            bucket.tokens = min(bucket.tokens, 0)
            guard bucket.mayAdjust(now: now) else { return }
            bucket.setRate(max(floorRate, bucket.rate / 2), now: now)
        }
    }

    /// A call succeeded: win back a tenth of the configured rate, at most once a second.
    func succeeded(now: ContinuousClock.Instant = .now) {
        bucket.withLock { bucket in
            guard bucket.rate < limit.callsPerSecond, bucket.mayAdjust(now: now) else { return }
            bucket.setRate(min(limit.callsPerSecond, bucket.rate + limit.callsPerSecond / 10), now: now)
        }
    }

    /// The rate in force now, for tests.
    var currentRate: Double { bucket.withLock { $0.rate } }
}
