import ProtoWire
import Synchronization

/// A failure the emulator is asked to produce, for tests and benchmarks of clients' error
/// handling. Off unless a request asks for one, e.g. with the header
/// `x-emulator-fault: try-again` (see ``headerName``), or the server is started with one.
///
/// - ``tryAgain`` and ``throttle`` are answered by the store: the call changes nothing and its
///   response carries status TRY_AGAIN (10030) or CONN_THROTTLED (11005), gRPC status OK.
///   They are applied after authentication (a bad key still gets CONN_KEY_INVALID).
/// - ``unavailable``, ``sleep(milliseconds:)``, ``goAway`` and ``drop`` are for the transport
///   to act on (end the call with gRPC UNAVAILABLE / HTTP 503, wait before handling it, send
///   an HTTP/2 GOAWAY, close the connection instead of answering); the store handles such a
///   call normally (but for UNAVAILABLE).
///
/// ```swift
/// let fault = InjectedFault(headerValue: "sleep-ms=250")  // .sleep(milliseconds: 250)
/// ```
public enum InjectedFault: Sendable, Hashable, CustomStringConvertible {
    /// Status TRY_AGAIN (10030), from the store.
    case tryAgain
    /// Status CONN_THROTTLED (11005), from the store.
    case throttle
    /// gRPC UNAVAILABLE (14) / HTTP 503, from the transport.
    case unavailable
    /// Wait this long, then handle the call normally (the transport waits).
    case sleep(milliseconds: Int)
    /// The transport sends GOAWAY (and answers no more on that connection).
    case goAway
    /// The store handles the call, then the transport closes the connection without
    /// answering: the change is made but its answer is lost (a retry must not duplicate it).
    case drop

    /// The request header (gRPC metadata key) that asks for a fault. A value that
    /// ``init(headerValue:)`` does not parse gets the request refused (gRPC INVALID_ARGUMENT,
    /// HTTP 400), not ignored; an empty one asks for nothing.
    public static let headerName = "x-emulator-fault"

    /// The longest ``sleep(milliseconds:)`` asked for by `sleep-ms=N`: 600,000 (ten minutes).
    public static let maxSleepMilliseconds = 600_000

    /// What a valid header value looks like, for error messages.
    public static let expectedValues =
        "try-again, throttle, unavailable, goaway, drop or sleep-ms=N (N from 0 to \(maxSleepMilliseconds))"

    /// Parses `try-again`, `throttle`, `unavailable`, `sleep-ms=N` (N decimal digits, 0 ≤ N ≤
    /// ``maxSleepMilliseconds``), `goaway` or `drop`, in any letter case, surrounding spaces
    /// ignored; nil for anything else (including a missing or empty value, and a sleep longer
    /// than the maximum).
    public init?(headerValue: String?) {
        guard let headerValue else { return nil }
        let value = headerValue.trimmingSpaces().lowercased()
        switch value {
        case "try-again", "try_again", "tryagain": self = .tryAgain
        case "throttle", "throttled": self = .throttle
        case "unavailable": self = .unavailable
        case "goaway", "go-away": self = .goAway
        case "drop", "drop-connection": self = .drop
        default:
            let prefix = "sleep-ms="
            let digits = value.dropFirst(prefix.count)
            // Digits only (Int("+5") is 5); Int(_:) is nil past Int.max, and the maximum keeps
            // every conversion further on in range.
            guard value.hasPrefix(prefix), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let ms = Int(digits), ms <= InjectedFault.maxSleepMilliseconds
            else { return nil }
            self = .sleep(milliseconds: ms)
        }
    }

    /// The header value that ``init(headerValue:)`` parses back to this fault.
    public var headerValue: String {
        switch self {
        case .tryAgain: "try-again"
        case .throttle: "throttle"
        case .unavailable: "unavailable"
        case .sleep(let ms): "sleep-ms=\(ms)"
        case .goAway: "goaway"
        case .drop: "drop"
        }
    }

    public var description: String { headerValue }

    /// The status the store answers for this fault, or nil when the transport acts on it.
    public var storeStatus: Status? {
        switch self {
        case .tryAgain:
            Status(code: .tryAgain, description: "Try the request again (fault injected by the emulator: try-again)")
        case .throttle:
            Status(
                code: .connThrottled, description: "Making too many requests (fault injected by the emulator: throttle)"
            )
        case .unavailable, .sleep, .goAway, .drop:
            nil
        }
    }
}

/// Faults the emulator injects by itself into a share of the calls that ask for none, for
/// tests of clients that must survive them (`annotations serve --fault-rate 0.03`).
///
/// ```swift
/// let faults = RandomFaults(rate: 0.03, faults: [.tryAgain, .throttle, .unavailable, .goAway, .drop], seed: 7)
/// ```
public final class RandomFaults: Sendable {
    public let rate: Double
    public let faults: [InjectedFault]
    private let state: Mutex<UInt64>
    private let counts = Mutex<[InjectedFault: Int]>([:])

    /// - Parameters:
    ///   - rate: the share of calls that get a fault, clamped to 0…1.
    ///   - faults: the faults drawn from, each as likely as the others.
    ///   - seed: the same seed gives the same sequence of decisions.
    public init(rate: Double, faults: [InjectedFault], seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.rate = min(1, max(0, rate))
        self.faults = faults
        state = Mutex(seed == 0 ? 1 : seed)
    }

    /// The fault for the next call, or nil (most of the time).
    public func next() -> InjectedFault? {
        guard !faults.isEmpty, rate > 0 else { return nil }
        let (roll, pick) = state.withLock { state -> (Double, Int) in
            func step() -> UInt64 {  // xorshift64*
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                return state &* 0x2545_F491_4F6C_DD1D
            }
            return (Double(step() >> 11) / Double(1 << 53), Int(step() % UInt64(faults.count)))
        }
        guard roll < rate else { return nil }
        let fault = faults[pick]
        counts.withLock { $0[fault, default: 0] += 1 }
        return fault
    }

    /// How many times each fault was injected so far.
    public var injected: [InjectedFault: Int] { counts.withLock { $0 } }
}
