import H2Transport
import ProtoWire
import Synchronization

/// Sees what happens inside an `AnnotationsClient`: each call and its attempts, retries,
/// throttling, and the connections' opening, GOAWAY, refused streams and closing. It needs no
/// logging or metrics package; the `AnnotationsObservability` product adapts it to swift-log,
/// swift-metrics and swift-distributed-tracing.
///
/// `observe` is called synchronously, on the calling task (connection events: on a connection's
/// I/O thread): it must return quickly and must not block. With no observer set, none of this
/// costs anything.
///
/// ```swift
/// struct PrintingObserver: ClientObserver {
///     func observe(_ event: ClientEvent) { print(event) }
///     func metadata(for call: CallInfo) -> [HeaderField] {
///         [HeaderField("x-request-tag", "call-\(call.id)")]
///     }
/// }
/// configuration.observer = PrintingObserver()
/// ```
public protocol ClientObserver: Sendable {
    /// One event; see `ClientEvent`.
    func observe(_ event: ClientEvent)
    /// Metadata added to every attempt of a call (trace context such as `traceparent`), asked
    /// once per call, right after `.callStarted`. The default adds none.
    func metadata(for call: CallInfo) -> [HeaderField]
}

extension ClientObserver {
    public func metadata(for call: CallInfo) -> [HeaderField] { [] }
}

/// One call of a client: the same value in every event of the call.
public struct CallInfo: Sendable, Hashable, CustomStringConvertible {
    /// Unique per call in the process, from 1.
    public let id: UInt64
    /// The RPC's name in `clarifai.api.V2`, e.g. `PostAnnotations`.
    public let method: String
    /// The wire the call goes over (gRPC, REST over HTTP/2 or HTTP/1.1).
    public let transport: Transport

    /// A call's identity from its parts (the client numbers its own calls; public for tests).
    public init(id: UInt64, method: String, transport: Transport) {
        self.id = id
        self.method = method
        self.transport = transport
    }

    public var description: String { "call \(id) \(method) over \(transport)" }

    static func nextID() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
    private static let counter = Atomic<UInt64>(0)
}

/// What an `AnnotationsClient` reports to its `ClientObserver`.
public enum ClientEvent: Sendable {
    /// A call begins (after the client's own validation, before any rate-limit wait).
    case callStarted(CallInfo)
    /// Attempt `attempt` (from 1) is sent.
    case attemptStarted(CallInfo, attempt: Int)
    /// That attempt failed; whether another follows, `retryScheduled` or `callFinished` tells.
    case attemptFailed(CallInfo, attempt: Int, outcome: CallOutcome, message: String, duration: Duration)
    /// Attempt `attempt` follows after `delay`, because of `reason`.
    case retryScheduled(CallInfo, attempt: Int, delay: Duration, reason: CallOutcome)
    /// The call waits `wait` before its next attempt: the client's rate limit, or the server's
    /// throttling (CONN_THROTTLED, which also slows the rate limit down).
    case throttled(CallInfo, wait: Duration, cause: ThrottleCause)
    /// The call ended, with its last attempt's outcome.
    case callFinished(CallInfo, CallSummary)
    /// A connection of the client opened, received GOAWAY, had a stream refused, or closed.
    case connection(ConnectionEvent)
}

/// Why a call waits.
public enum ThrottleCause: String, Sendable {
    /// `ClientConfiguration.rateLimit` has no call to spare yet.
    case rateLimit = "rate-limit"
    /// The server answered CONN_THROTTLED (11005).
    case server
}

/// How an attempt or a call ended.
public enum CallOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Clarifai's SUCCESS (10000).
    case success
    /// Clarifai answered with another status.
    case clarifai(StatusCode)
    /// A gRPC status other than OK: the server's (or a proxy's), or a local one such as
    /// DEADLINE_EXCEEDED or CANCELLED.
    case grpc(GRPCError.Code)
    /// The server could not be reached or the connection failed.
    case transport(TransportError.Kind)
    /// Refused by the client before anything was sent (`ValidationError`).
    case invalidRequest

    /// A short label for metrics and logs: `SUCCESS`, `CONN_THROTTLED`, `UNAVAILABLE`, `connect failed`…
    public var description: String {
        switch self {
        case .success: "SUCCESS"
        case .clarifai(let code): code.name ?? "\(code.rawValue)"
        case .grpc(let code): code.description
        case .transport(let kind): kind.description
        case .invalidRequest: "invalid request"
        }
    }

    /// The outcome `error` stands for.
    init(_ error: any Error) {
        switch error {
        case let status as ClarifaiStatusError: self = .clarifai(status.code)
        case let grpc as GRPCError:
            if let cause = grpc.cause, AnnotationsClient.surfaced(grpc) is TransportError {
                self = .transport(cause.kind)
            } else {
                self = .grpc(grpc.code)
            }
        case let transport as TransportError: self = .transport(transport.kind)
        case is ValidationError: self = .invalidRequest
        case is CancellationError: self = .grpc(.cancelled)
        default: self = .grpc(.unknown)
        }
    }
}

/// The end of a call, in `ClientEvent.callFinished`.
public struct CallSummary: Sendable {
    /// How the call ended: success, a gRPC or Clarifai status, a transport failure, a refusal.
    public var outcome: CallOutcome
    /// Attempts sent, the first included.
    public var attempts: Int
    /// From `callStarted` to the end, rate-limit waits and retry delays included.
    public var duration: Duration
    /// The encoded request (protobuf for gRPC, the JSON body for REST), once.
    public var requestBytes: Int
    /// The last attempt's response message (or REST body), 0 when none arrived.
    public var responseBytes: Int
    /// The error's description when the call failed (never the key).
    public var message: String

    /// A summary from its parts (the client makes its own; public for tests and adapters).
    public init(
        outcome: CallOutcome, attempts: Int, duration: Duration, requestBytes: Int, responseBytes: Int, message: String
    ) {
        self.outcome = outcome
        self.attempts = attempts
        self.duration = duration
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.message = message
    }
}

/// The events of one observed call, as `AnnotationsClient.call` produces them.
struct CallObservation: Sendable {
    let observer: any ClientObserver
    let call: CallInfo
    let start: ContinuousClock.Instant
    var attempts = 0
    var attemptStart = ContinuousClock.now
    var responseBytes = 0

    mutating func attemptStarted(_ attempt: Int) {
        attempts = attempt
        attemptStart = .now
        responseBytes = 0
        observer.observe(.attemptStarted(call, attempt: attempt))
    }

    func attemptFailed(_ attempt: Int, _ error: any Error) {
        observer.observe(
            .attemptFailed(
                call, attempt: attempt, outcome: CallOutcome(error), message: "\(error)",
                duration: attemptStart.duration(to: .now)
            ))
    }

    func retryScheduled(_ attempt: Int, delay: Duration, _ error: any Error) {
        observer.observe(.retryScheduled(call, attempt: attempt, delay: delay, reason: CallOutcome(error)))
    }

    func throttled(_ wait: Duration, _ cause: ThrottleCause) {
        observer.observe(.throttled(call, wait: wait, cause: cause))
    }

    func finish(_ outcome: CallOutcome, requestBytes: Int, message: String) {
        observer.observe(
            .callFinished(
                call,
                CallSummary(
                    outcome: outcome, attempts: attempts, duration: start.duration(to: .now),
                    requestBytes: requestBytes,
                    responseBytes: responseBytes, message: message
                )))
    }
}

/// A stream's call, from its first message to its end: the observer hears `callFinished` when
/// the stream ends, fails, or its loop is left early (CANCELLED), with the bytes of every message.
final class StreamObservation: Sendable {
    private let state: Mutex<(observation: CallObservation, requestBytes: Int, finished: Bool)>

    init(_ observation: CallObservation, requestBytes: Int) {
        state = Mutex((observation, requestBytes, false))
    }

    func received(bytes: Int) {
        state.withLock { $0.observation.responseBytes += bytes }
    }

    func finish(_ outcome: CallOutcome, message: String) {
        let ending = state.withLock { state -> (CallObservation, Int)? in
            guard !state.finished else { return nil }
            state.finished = true
            return (state.observation, state.requestBytes)
        }
        if let (observation, requestBytes) = ending {
            observation.finish(outcome, requestBytes: requestBytes, message: message)
        }
    }

    deinit {
        finish(.grpc(.cancelled), message: "the stream's loop ended before the stream")
    }
}
