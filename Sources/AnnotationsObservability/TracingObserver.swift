import AnnotationsRPC
import H2Transport
import ProtoWire
import Synchronization
import Tracing

/// A swift-distributed-tracing span for every call of an `AnnotationsClient`, with the
/// OpenTelemetry RPC conventions, and the span's context sent with the request (`traceparent`
/// when a W3C-propagating tracer is bootstrapped), so that the server's spans join the trace.
///
/// ```swift
/// InstrumentationSystem.bootstrap(myOpenTelemetryTracer)
/// configuration.observer = TracingObserver(endpoint: configuration.endpoint)
/// try await withSpan("import batch") { _ in
///     try await client.post(batch)      // span "clarifai.api.V2/PostAnnotations", child of "import batch"
/// }
/// ```
///
/// The span starts at `callStarted`, on the calling task, as a child of `ServiceContext.current`
/// (a top-level span when there is none); it is named `clarifai.api.V2/<Method>`
/// (`$package.$service/$method`), of kind `client`, and ends at `callFinished`, with an error
/// status (and the error's description as its message) when the call failed; the status stays
/// unset on success, as the conventions ask of instrumentation.
///
/// Attributes:
///
/// | attribute | when | value |
/// |---|---|---|
/// | `rpc.system` | gRPC | `grpc` |
/// | `rpc.service` | always | `clarifai.api.V2` |
/// | `rpc.method` | always | the RPC, e.g. `PostAnnotations` |
/// | `server.address`, `server.port` | with `endpoint:` | the endpoint's host and port (not a proxy's) |
/// | `network.protocol.name`, `network.protocol.version` | REST | `http`, and `2` or `1.1` |
/// | `clarifai.transport` | always | `grpc`, `rest-h2`, `rest-h1` |
/// | `rpc.grpc.status_code` | gRPC, when a status is known | the gRPC code (int): 0 for a response (a Clarifai status travels in an OK response), else the server's or the client's own (DEADLINE_EXCEEDED, CANCELLED) |
/// | `clarifai.status_code` | when Clarifai answered | the Clarifai status code (int): 10000 SUCCESS, 11005 CONN_THROTTLED… |
/// | `error.type` | a failed call | the outcome: a Clarifai status name, a gRPC code name, or a transport failure (`connect failed`) |
/// | `clarifai.attempts` | at the end | attempts sent |
/// | `clarifai.request.size`, `clarifai.response.size` | at the end | bytes of the encoded request and of the last response message or body |
///
/// REST calls carry no `rpc.system`: OpenTelemetry's RPC conventions name RPC systems (`grpc`,
/// `connect_rpc`, …) and `http` is not one; a call over HTTP is described by the HTTP
/// conventions, of which the protocol attributes are known here. `rpc.service` and `rpc.method`
/// stay, so that the same call can be compared across wires.
///
/// Events: `clarifai.attempt.started` (`clarifai.attempt`), `clarifai.attempt.failed`
/// (`clarifai.attempt`, `clarifai.outcome`, `clarifai.duration_ms`, `clarifai.error`),
/// `clarifai.retry.scheduled` (`clarifai.attempt`: the attempt that follows, `clarifai.delay_ms`,
/// `clarifai.reason`) and `clarifai.throttled` (`clarifai.wait_ms`, `clarifai.cause`: `rate-limit`
/// or `server`). Connection events belong to no call and make no span.
///
/// The spans of calls in flight are kept by call id and dropped when the call finishes, whether
/// it succeeded or not.
public final class TracingObserver: ClientObserver {
    /// The `rpc.service` of every span.
    public static let service = "clarifai.api.V2"

    private let tracer: (any Tracer)?
    /// `server.address`, from `endpoint`.
    public let serverAddress: String?
    /// `server.port`, from `endpoint`.
    public let serverPort: Int?
    private let spans = Mutex<[UInt64: CallSpan]>([:])

    private struct CallSpan: Sendable {
        let span: any Tracing.Span
        /// The tracer that started it, which injects its context.
        let tracer: any Tracer
    }

    /// - Parameters:
    ///   - tracer: starts the spans and injects their context; nil (the default) for
    ///     `InstrumentationSystem.tracer`, looked up at each call (so the observer can be made
    ///     before the bootstrap). Tests pass their own (`InMemoryTracer()`).
    ///   - endpoint: the client's `ClientConfiguration.endpoint`, for `server.address` and
    ///     `server.port`; nil, or one that does not parse, leaves them out.
    public init(tracer: (any Tracer)? = nil, endpoint: String? = nil) {
        self.tracer = tracer
        let parsed = endpoint.flatMap { try? Endpoint($0) }
        serverAddress = parsed?.host
        serverPort = parsed?.port
    }

    /// Calls whose span is open (for the tests: none once every call has finished).
    var callsInFlight: Int { spans.withLock { $0.count } }

    public func observe(_ event: ClientEvent) {
        switch event {
        case .callStarted(let call):
            start(call)
        case .attemptStarted(let call, let attempt):
            var attributes = SpanAttributes()
            attributes["clarifai.attempt"] = attempt
            addEvent("clarifai.attempt.started", attributes, to: call)
        case .attemptFailed(let call, let attempt, let outcome, let message, let duration):
            var attributes = SpanAttributes()
            attributes["clarifai.attempt"] = attempt
            attributes["clarifai.outcome"] = outcome.description
            attributes["clarifai.duration_ms"] = duration.milliseconds
            attributes["clarifai.error"] = message
            addEvent("clarifai.attempt.failed", attributes, to: call)
        case .retryScheduled(let call, let attempt, let delay, let reason):
            var attributes = SpanAttributes()
            attributes["clarifai.attempt"] = attempt
            attributes["clarifai.delay_ms"] = delay.milliseconds
            attributes["clarifai.reason"] = reason.description
            addEvent("clarifai.retry.scheduled", attributes, to: call)
        case .throttled(let call, let wait, let cause):
            var attributes = SpanAttributes()
            attributes["clarifai.wait_ms"] = wait.milliseconds
            attributes["clarifai.cause"] = cause.rawValue
            addEvent("clarifai.throttled", attributes, to: call)
        case .callFinished(let call, let summary):
            finish(call, summary)
        case .connection:
            break
        }
    }

    /// The call's span context, injected by its tracer into request headers.
    public func metadata(for call: CallInfo) -> [HeaderField] {
        guard let open = spans.withLock({ $0[call.id] }) else { return [] }
        var headers: [HeaderField] = []
        open.tracer.inject(open.span.context, into: &headers, using: HeaderFieldInjector())
        return headers
    }

    private func start(_ call: CallInfo) {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        let span = tracer.startSpan(
            "\(Self.service)/\(call.method)", context: ServiceContext.current ?? .topLevel, ofKind: .client
        )
        span.updateAttributes { attributes in
            if call.transport == .grpc {
                attributes["rpc.system"] = "grpc"
            } else {
                attributes["network.protocol.name"] = "http"
                attributes["network.protocol.version"] = call.transport == .restHTTP1 ? "1.1" : "2"
            }
            attributes["rpc.service"] = Self.service
            attributes["rpc.method"] = call.method
            attributes["clarifai.transport"] = call.transport.rawValue
            if let serverAddress { attributes["server.address"] = serverAddress }
            if let serverPort { attributes["server.port"] = serverPort }
        }
        spans.withLock { $0[call.id] = CallSpan(span: span, tracer: tracer) }
    }

    private func addEvent(_ name: String, _ attributes: SpanAttributes, to call: CallInfo) {
        spans.withLock { $0[call.id] }?.span.addEvent(SpanEvent(name: name, attributes: attributes))
    }

    private func finish(_ call: CallInfo, _ summary: CallSummary) {
        guard let span = spans.withLock({ $0.removeValue(forKey: call.id) })?.span else { return }
        span.updateAttributes { attributes in
            if call.transport == .grpc, let code = Self.grpcStatusCode(summary.outcome) {
                attributes["rpc.grpc.status_code"] = code
            }
            switch summary.outcome {
            case .success: attributes["clarifai.status_code"] = Int(StatusCode.success.rawValue)
            case .clarifai(let code): attributes["clarifai.status_code"] = Int(code.rawValue)
            default: break
            }
            if summary.outcome != .success { attributes["error.type"] = summary.outcome.description }
            attributes["clarifai.attempts"] = summary.attempts
            attributes["clarifai.request.size"] = summary.requestBytes
            attributes["clarifai.response.size"] = summary.responseBytes
        }
        if summary.outcome != .success { span.setStatus(SpanStatus(code: .error, message: summary.message)) }
        span.end()
    }

    /// The gRPC status a gRPC call ended with, when there is one: a response (whatever its
    /// Clarifai status) came with OK; a transport failure or a refused request has none.
    static func grpcStatusCode(_ outcome: CallOutcome) -> Int? {
        switch outcome {
        case .success, .clarifai: 0
        case .grpc(let code): code.rawValue
        case .transport, .invalidRequest: nil
        }
    }
}

/// Writes what an instrument injects (`traceparent`, `tracestate`, `baggage`…) as request
/// headers. HTTP/2 wants lower-case names (RFC 9113 §8.2.1), and a field that no HTTP request
/// can carry (an empty or non-token name, a pseudo-header, a value with CR, LF or NUL) is left
/// out rather than failing the call.
struct HeaderFieldInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [HeaderField]) {
        let name = key.lowercased()
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenCharacter),
            !value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0 })
        else { return }
        carrier.append(HeaderField(name, value))
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
