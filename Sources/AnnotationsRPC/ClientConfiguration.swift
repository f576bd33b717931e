import H2Transport
import ProtoWire

#if canImport(Glibc)
    import Glibc
#endif

/// Everything an `AnnotationsClient` needs to know, with the defaults of the real API.
///
/// ```swift
/// var configuration = ClientConfiguration()          // https://api.clarifai.com, CLARIFAI_PAT
/// configuration.userAppID = UserAppIDSet(userID: "me", appID: "my-app")
/// configuration.defaultTimeout = .seconds(10)
/// ```
public struct ClientConfiguration: Sendable {
    /// `https://host[:port]` or `h2c://host:port`.
    public var endpoint = "https://api.clarifai.com"
    /// A personal access token or an app API key; sent as `authorization: Key …`. Defaults to
    /// the `CLARIFAI_PAT` environment variable.
    public var key: String? = ClientConfiguration.environmentKey
    /// Sent in every request when set (needed with a PAT; an app key implies its app).
    public var userAppID: UserAppIDSet?
    /// Deadline of each call (all its retries included) unless the call gives its own.
    public var defaultTimeout: Duration = .seconds(30)
    /// How TLS connections are secured (CA file, verification, SNI); replaces `connection.tls`.
    /// Verifies against the system trust store by default.
    public var tls = TLSConfiguration()
    /// When and how often failed attempts are repeated: 4 attempts with jittered backoff by default.
    public var retryPolicy = RetryPolicy()
    /// Extra request metadata, e.g. `x-clarifai-request-id-prefix`.
    public var metadata: [HeaderField] = []
    /// Limits and windows of the underlying connections.
    public var connection = ConnectionConfiguration()
    /// gRPC (the default), or the REST JSON mapping over HTTP/2 or HTTP/1.1: the same typed
    /// calls, so the two can be compared call for call.
    public var transport = Transport.grpc
    /// Told of every call, attempt, retry, throttling and connection event (see
    /// `ClientObserver`); nil (the default) costs nothing.
    public var observer: (any ClientObserver)?
    /// At most this many attempts per second, on every wire and in every bulk operation;
    /// nil (the default) for no limit. See `RateLimit`.
    public var rateLimit: RateLimit?

    /// The defaults of every property: the real API over gRPC, the key from `CLARIFAI_PAT`, no app,
    /// 30 s deadlines, retries, no observer, no rate limit.
    public init() {}

    /// The `CLARIFAI_PAT` environment variable, read each time it is asked for; nil when it is
    /// unset or empty.
    public static var environmentKey: String? {
        guard let value = getenv("CLARIFAI_PAT") else { return nil }
        let key = String(cString: value)
        return key.isEmpty ? nil : key
    }
}

/// The wire an `AnnotationsClient` speaks.
///
/// ```swift
/// configuration.transport = .rest         // JSON over HTTP/2 (TLS with ALPN h2, or h2c)
/// configuration.transport = .restHTTP1    // JSON over HTTP/1.1 keep-alive connections
/// ```
public enum Transport: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `clarifai.api.V2` over gRPC (binary protobuf, one multiplexed HTTP/2 connection).
    case grpc
    /// Clarifai's REST API (JSON) over one multiplexed HTTP/2 connection.
    case rest = "rest-h2"
    /// Clarifai's REST API (JSON) over a pool of HTTP/1.1 keep-alive connections
    /// (`ConnectionConfiguration.maxHTTP1Connections`).
    case restHTTP1 = "rest-h1"

    public var description: String { rawValue }
}

/// Exponential backoff with full jitter (gRFC A6): before attempt n the client sleeps a
/// random time in [0, min(initial × multiplier^(n-2), max)]. The call's deadline spans all
/// attempts. Settings that give a negative or NaN bound mean no wait.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts = 4
    /// Upper bound of the random delay before the second attempt; 100 ms by default.
    public var initialBackoff: Duration = .milliseconds(100)
    /// Cap of the delay's upper bound, however many attempts; 5 s by default.
    public var maxBackoff: Duration = .seconds(5)
    /// Factor by which the bound grows after each attempt; 2 by default.
    public var multiplier = 2.0

    /// A policy of `maxAttempts` attempts in all (1 disables retries), with the default backoff.
    public init(maxAttempts: Int = 4) {
        self.maxAttempts = maxAttempts
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    func delay(beforeAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(beforeAttempt: attempt, using: &generator)
    }

    /// The same, with the jitter drawn from `generator` (tests pass one that gives the bounds).
    func delay(beforeAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = Double(max(0, attempt - 2))
        let ceiling =
            min(
                Double(initialBackoff.components.seconds) + Double(initialBackoff.components.attoseconds) / 1e18,
                1e9
            ) * pow(multiplier, exponent)
        let cap = Double(maxBackoff.components.seconds) + Double(maxBackoff.components.attoseconds) / 1e18
        // A negative or NaN setting would trap in `0...bound`, and a bound above Int.max
        // milliseconds in `Int(_:)`: no wait for the first, 10^15 s (31 million years) at most.
        let bound = min(ceiling, cap)
        guard bound > 0 else { return .zero }
        return .milliseconds(Int(Double.random(in: 0...min(bound, 1e15), using: &generator) * 1000))
    }
}
