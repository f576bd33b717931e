import Synchronization

/// A client-side cap on calls per second, so that a busy client stays under the server's
/// throttling (Clarifai's default is 15 requests per second, answered with CONN_THROTTLED
/// beyond) instead of hammering it. Every attempt of every call counts, on every wire and in
/// every bulk operation. On CONN_THROTTLED the client halves its rate and wins it back a
/// little with each call that succeeds.
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
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        /// The rate now: the configured one, or less after CONN_THROTTLED.
        var rate: Double
    }
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
            let elapsed = bucket.refilledAt.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(limit.burst), bucket.tokens + seconds * bucket.rate)
            bucket.refilledAt = now
            let wait = bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / bucket.rate
            let delay = Duration.nanoseconds(Int64((wait * 1e9).rounded(.up)))
            guard now.advanced(by: delay) < deadline else { return nil }
            bucket.tokens -= 1
            return delay
        }
    }

    /// The server throttled a call: halve the rate (down to 1/64 of the configured one) and
    /// drop any saved-up burst.
    func throttled() {
        bucket.withLock { bucket in
            bucket.rate = max(floorRate, bucket.rate / 2)
            bucket.tokens = min(bucket.tokens, 0)
        }
    }

    /// A call succeeded: win back a tenth of the configured rate.
    func succeeded() {
        bucket.withLock { bucket in
            guard bucket.rate < limit.callsPerSecond else { return }
            bucket.rate = min(limit.callsPerSecond, bucket.rate + limit.callsPerSecond / 10)
        }
    }

    /// The rate in force now, for tests.
    var currentRate: Double { bucket.withLock { $0.rate } }
}
