import AnnotationsRPC
import CoreMetrics
import H2Transport
import Synchronization

/// Counts the calls, attempts, retries, throttling and connections of an `AnnotationsClient`
/// with swift-metrics, and times the calls.
///
/// ```swift
/// MetricsSystem.bootstrap(myPrometheusFactory)
/// configuration.observer = MetricsObserver()
/// // clarifai_annotations_calls_total{method="ListAnnotations",transport="grpc",outcome="SUCCESS"} 1
/// ```
///
/// The metrics, each name after ``prefix`` and `_` (`clarifai_annotations_` by default):
///
/// | name | type | dimensions | what |
/// |---|---|---|---|
/// | `calls_total` | counter | `method`, `transport`, `outcome` | finished calls |
/// | `call_duration` | timer | `method`, `transport`, `outcome` | from the call's start to its end, rate-limit waits and retry delays included |
/// | `attempts_total` | counter | `method`, `transport` | attempts sent, first ones included |
/// | `attempt_failures_total` | counter | `method`, `transport`, `outcome` | attempts that failed, retried or not |
/// | `retries_total` | counter | `method`, `transport`, `reason` | retries scheduled; `reason` is the failed attempt's outcome |
/// | `throttled_total` | counter | `cause` | waits before an attempt: `rate-limit` (the client's `RateLimit`) or `server` (CONN_THROTTLED) |
/// | `throttle_wait` | timer | `cause` | how long those waits were |
/// | `request_bytes` | recorder | `method`, `transport` | the encoded request of each call (protobuf, or the REST JSON body) |
/// | `response_bytes` | recorder | `method`, `transport` | the last response message or body of each call that got one |
/// | `connections_opened_total` | counter | `protocol` | connections opened (`h2`) |
/// | `connect_failures_total` | counter | `protocol`, `kind` | connects that failed; `kind` as `TransportError.Kind` describes it |
/// | `connections_closed_total` | counter | `protocol`, `reason` | connections gone: `client` when the client closed it, else the `TransportError.Kind` |
/// | `goaways_total` | counter | `protocol`, `error_code` | GOAWAY frames received; the HTTP/2 error code, `0` for NO_ERROR |
/// | `refused_streams_total` | counter | `protocol` | streams the server refused (REFUSED_STREAM; the client sends them again) |
/// | `open_connections` | meter | `protocol` | connections open now |
///
/// Dimension values: `method` is the RPC of `clarifai.api.V2` (`PostAnnotations`); `transport` is
/// `grpc`, `rest-h2` or `rest-h1`; `outcome` and `reason` are `SUCCESS`, a Clarifai status name
/// (`CONN_THROTTLED`), a gRPC code (`UNAVAILABLE`, `DEADLINE_EXCEEDED`) or a transport failure
/// (`connect failed`), as `CallOutcome` describes them; all of them come from bounded sets.
///
/// The metrics are made once per name and dimensions with `factory` and reused.
public final class MetricsObserver: ClientObserver {
    /// What every metric name starts with, before `_`; empty for none.
    public let prefix: String
    private let factory: any MetricsFactory
    private let state = Mutex(State())

    /// - Parameters:
    ///   - prefix: the start of every metric name (`clarifai_annotations` gives
    ///     `clarifai_annotations_calls_total`); empty for the bare names.
    ///   - factory: makes the metrics; by default the one bootstrapped in `MetricsSystem` (read
    ///     now, so bootstrap first). Tests pass their own (`TestMetrics()`).
    public init(prefix: String = "clarifai_annotations", factory: any MetricsFactory = MetricsSystem.factory) {
        self.prefix = prefix
        self.factory = factory
    }

    public func observe(_ event: ClientEvent) {
        switch event {
        case .callStarted:
            break
        case .attemptStarted(let call, _):
            counter("attempts_total", Self.dimensions(call)).increment()
        case .attemptFailed(let call, _, let outcome, _, _):
            counter("attempt_failures_total", Self.dimensions(call, ("outcome", outcome.description))).increment()
        case .retryScheduled(let call, _, _, let reason):
            counter("retries_total", Self.dimensions(call, ("reason", reason.description))).increment()
        case .throttled(_, let wait, let cause):
            counter("throttled_total", [("cause", cause.rawValue)]).increment()
            timer("throttle_wait", [("cause", cause.rawValue)]).recordNanoseconds(wait.nanoseconds)
        case .callFinished(let call, let summary):
            let dimensions = Self.dimensions(call, ("outcome", summary.outcome.description))
            counter("calls_total", dimensions).increment()
            timer("call_duration", dimensions).recordNanoseconds(summary.duration.nanoseconds)
            recorder("request_bytes", Self.dimensions(call)).record(summary.requestBytes)
            if summary.responseBytes > 0 {
                recorder("response_bytes", Self.dimensions(call)).record(summary.responseBytes)
            }
        case .connection(let event):
            observe(event)
        }
    }

    private func observe(_ event: ConnectionEvent) {
        let protocolName = ("protocol", event.protocolName)
        switch event.kind {
        case .opened:
            counter("connections_opened_total", [protocolName]).increment()
            let open = meter("open_connections", [protocolName])
            // Set under the lock, so that two connections opening at once cannot leave the older count.
            state.withLock { state in
                state.openConnections[event.connectionID] = event.protocolName
                open.set(state.openConnections.values.count { $0 == event.protocolName })
            }
        case .connectFailed(let kind, _):
            counter("connect_failures_total", [protocolName, ("kind", kind.description)]).increment()
        case .goAwayReceived(let errorCode, _, _):
            counter("goaways_total", [protocolName, ("error_code", "\(errorCode)")]).increment()
        case .streamRefused:
            counter("refused_streams_total", [protocolName]).increment()
        case .closed(let reason, _):
            counter("connections_closed_total", [protocolName, ("reason", reason?.description ?? "client")]).increment()
            // Only a connection seen opening counts down, so that the meter never goes below the truth.
            let open = meter("open_connections", [protocolName])
            state.withLock { state in
                guard state.openConnections.removeValue(forKey: event.connectionID) != nil else { return }
                open.set(state.openConnections.values.count { $0 == event.protocolName })
            }
        }
    }

    private static func dimensions(_ call: CallInfo, _ extra: (String, String)...) -> [(String, String)] {
        [("method", call.method), ("transport", call.transport.rawValue)] + extra
    }

    // MARK: The metrics, made once each

    private struct MetricID: Hashable {
        let name: String
        let dimensions: [String]

        init(_ name: String, _ dimensions: [(String, String)]) {
            self.name = name
            self.dimensions = dimensions.flatMap { [$0.0, $0.1] }
        }
    }

    private struct State {
        var counters: [MetricID: Counter] = [:]
        var timers: [MetricID: CoreMetrics.Timer] = [:]
        var recorders: [MetricID: Recorder] = [:]
        var meters: [MetricID: Meter] = [:]
        /// Open connections, by id: their protocol.
        var openConnections: [Int: String] = [:]
    }

    private func label(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix)_\(name)" }

    private func counter(_ name: String, _ dimensions: [(String, String)]) -> Counter {
        made(\.counters, name, dimensions) { Counter(label: $0, dimensions: dimensions, factory: factory) }
    }

    private func timer(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        made(\.timers, name, dimensions) { CoreMetrics.Timer(label: $0, dimensions: dimensions, factory: factory) }
    }

    private func recorder(_ name: String, _ dimensions: [(String, String)]) -> Recorder {
        made(\.recorders, name, dimensions) {
            Recorder(label: $0, dimensions: dimensions, aggregate: true, factory: factory)
        }
    }

    private func meter(_ name: String, _ dimensions: [(String, String)]) -> Meter {
        made(\.meters, name, dimensions) { Meter(label: $0, dimensions: dimensions, factory: factory) }
    }

    /// The metric of that name and those dimensions, made (with its prefixed label) the first
    /// time it is asked for.
    private func made<Metric: Sendable>(
        _ cache: WritableKeyPath<State, [MetricID: Metric]>, _ name: String, _ dimensions: [(String, String)],
        make: (String) -> Metric
    ) -> Metric {
        let id = MetricID(name, dimensions)
        return state.withLock { state in
            if let made = state[keyPath: cache][id] { return made }
            let made = make(label(name))
            state[keyPath: cache][id] = made
            return made
        }
    }
}
