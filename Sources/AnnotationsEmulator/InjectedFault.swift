import ProtoWire

/// A failure the emulator is asked to produce, for tests and benchmarks of clients' error
/// handling. Off unless a request asks for one, e.g. with the header
/// `x-emulator-fault: try-again` (see ``headerName``), or the server is started with one.
///
/// - ``tryAgain`` and ``throttle`` are answered by the store: the call changes nothing and its
///   response carries status TRY_AGAIN (10030) or CONN_THROTTLED (11005), gRPC status OK.
///   They are applied after authentication (a bad key still gets CONN_KEY_INVALID).
/// - ``unavailable``, ``sleep(milliseconds:)`` and ``goAway`` are for the transport to act on
///   (end the call with gRPC UNAVAILABLE / HTTP 503, wait before handling it, send an HTTP/2
///   GOAWAY); the store handles such a call normally.
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

    /// The request header (gRPC metadata key) that asks for a fault.
    public static let headerName = "x-emulator-fault"

    /// Parses `try-again`, `throttle`, `unavailable`, `sleep-ms=N` (N ≥ 0) or `goaway`, in any
    /// letter case, surrounding spaces ignored; nil for anything else (including a missing
    /// or empty value).
    public init?(headerValue: String?) {
        guard let headerValue else { return nil }
        let value = headerValue.trimmingSpaces().lowercased()
        switch value {
        case "try-again", "try_again", "tryagain": self = .tryAgain
        case "throttle", "throttled": self = .throttle
        case "unavailable": self = .unavailable
        case "goaway", "go-away": self = .goAway
        default:
            let prefix = "sleep-ms="
            guard value.hasPrefix(prefix), let ms = Int(value.dropFirst(prefix.count)), ms >= 0 else { return nil }
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
        }
    }

    public var description: String { headerValue }

    /// The status the store answers for this fault, or nil when the transport acts on it.
    public var storeStatus: Status? {
        switch self {
        case .tryAgain:
            Status(code: .tryAgain, description: "Try the request again (fault injected by the emulator: try-again)")
        case .throttle:
            Status(code: .connThrottled, description: "Making too many requests (fault injected by the emulator: throttle)")
        case .unavailable, .sleep, .goAway:
            nil
        }
    }
}
