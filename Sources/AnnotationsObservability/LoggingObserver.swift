import AnnotationsRPC
import H2Transport
import Logging

/// Writes each event of an `AnnotationsClient` to a swift-log `Logger`: one record per event, with
/// a fixed message (`"call finished"`, `"retry scheduled"`…) and the details as structured
/// metadata, so that records can be filtered and aggregated by their keys.
///
/// ```swift
/// LoggingSystem.bootstrap(StreamLogHandler.standardError)
/// var logger = Logger(label: "clarifai.annotations")
/// logger.logLevel = .debug
/// configuration.observer = LoggingObserver(logger: logger)
/// // debug call finished clarifai.call_id=1 clarifai.method=ListAnnotations clarifai.outcome=SUCCESS …
/// ```
///
/// Levels (see ``Levels``; each can be changed):
///
/// | event | default level |
/// |---|---|
/// | call started, attempt started, attempt failed, rate-limit wait, connection opened, connection closed by the client | `debug` (``Levels/detail``) |
/// | call finished with SUCCESS | `debug` (``Levels/success``) |
/// | retry scheduled, stream refused, GOAWAY with NO_ERROR | `info` (``Levels/recovered``) |
/// | call failed, throttled by the server (CONN_THROTTLED), connect failed, GOAWAY with an error code, connection lost | `warning` (``Levels/problem``) |
///
/// A failed attempt is `debug` because what follows it says what it meant: a retry (`info`) or
/// the call's failure (`warning`). swift-log's guidelines ask libraries to log at `info` or
/// below; failed calls are `warning` by default because an application that installs this
/// observer asks to see them, and `levels.problem = .info` follows the guidelines strictly.
///
/// Metadata keys (all values are strings or numbers):
///
/// | key | in | value |
/// |---|---|---|
/// | `clarifai.call_id` | call events | `CallInfo.id`, unique per call in the process |
/// | `clarifai.method` | call events | the RPC, e.g. `PostAnnotations` |
/// | `clarifai.transport` | call events | `grpc`, `rest-h2`, `rest-h1` |
/// | `clarifai.attempt` | attempt started and failed, retry scheduled | the attempt, from 1 (for a retry: the one that follows) |
/// | `clarifai.outcome` | attempt failed, call finished | `SUCCESS`, a Clarifai status name (`CONN_THROTTLED`), a gRPC code (`UNAVAILABLE`), a transport failure (`connect failed`) |
/// | `clarifai.duration_ms` | attempt failed, call finished | the attempt's or the call's duration, in milliseconds |
/// | `clarifai.attempts` | call finished | attempts sent |
/// | `clarifai.request_bytes`, `clarifai.response_bytes` | call finished | the encoded request and the last response message or body |
/// | `clarifai.error` | attempt failed, failed call, connect failed, connection lost | the error's description |
/// | `clarifai.delay_ms`, `clarifai.reason` | retry scheduled | the backoff, and the outcome that caused it |
/// | `clarifai.wait_ms`, `clarifai.cause` | throttled | the wait, and `rate-limit` or `server` |
/// | `clarifai.connection_id`, `clarifai.authority`, `clarifai.protocol` | connection events | the connection, `host:port`, `h2` |
/// | `clarifai.max_concurrent_streams` | connection opened | the server's SETTINGS_MAX_CONCURRENT_STREAMS, when it set one |
/// | `clarifai.error_kind` | connect failed, connection lost | the `TransportError.Kind` |
/// | `clarifai.http2_error_code`, `clarifai.last_stream_id`, `clarifai.debug_data` | GOAWAY | the frame's fields (debug data: printable ASCII, at most 200 characters) |
/// | `clarifai.stream_id` | stream refused | the refused stream |
///
/// The key is never logged: it travels only in the `authorization` header, which no event
/// carries, and the error descriptions of the client never contain it.
public struct LoggingObserver: ClientObserver {
    /// The level of each kind of event (see the table of ``LoggingObserver``).
    ///
    /// ```swift
    /// var levels = LoggingObserver.Levels()
    /// levels.success = .info      // every successful call at info
    /// levels.problem = .info      // nothing above info, as swift-log asks of libraries
    /// let observer = LoggingObserver(logger: logger, levels: levels)
    /// ```
    public struct Levels: Sendable, Equatable {
        /// Calls and attempts starting, an attempt failing, rate-limit waits, connections opened
        /// and closed by the client: `debug`.
        public var detail: Logger.Level = .debug
        /// A call that ended with SUCCESS: `debug`.
        public var success: Logger.Level = .debug
        /// What the client handled by itself but is worth knowing: a retry, a refused stream, a
        /// GOAWAY with NO_ERROR (a server or proxy recycling its connection): `info`.
        public var recovered: Logger.Level = .info
        /// A failed call, throttling by the server, a connect failure, a GOAWAY with an error
        /// code, a connection lost: `warning`.
        public var problem: Logger.Level = .warning

        /// The defaults: `debug` for detail and success, `info` for recovered, `warning` for problems.
        public init() {}
    }

    /// Where the records go; its own metadata is added to every record.
    public var logger: Logger
    /// The level each kind of event is logged at (see `Levels` for the defaults).
    public var levels: Levels

    /// - Parameters:
    ///   - logger: where the records go; by default a logger labelled `clarifai.annotations`
    ///     from the bootstrapped `LoggingSystem`.
    ///   - levels: the level of each kind of event.
    public init(logger: Logger = Logger(label: "clarifai.annotations"), levels: Levels = Levels()) {
        self.logger = logger
        self.levels = levels
    }

    public func observe(_ event: ClientEvent) {
        switch event {
        case .callStarted(let call):
            log(levels.detail, "call started", call)
        case .attemptStarted(let call, let attempt):
            log(levels.detail, "attempt started", call, [Key.attempt: .stringConvertible(attempt)])
        case .attemptFailed(let call, let attempt, let outcome, let message, let duration):
            log(
                levels.detail, "attempt failed", call,
                [
                    Key.attempt: .stringConvertible(attempt), Key.outcome: .string(outcome.description),
                    Key.durationMilliseconds: .stringConvertible(duration.milliseconds), Key.error: .string(message),
                ])
        case .retryScheduled(let call, let attempt, let delay, let reason):
            log(
                levels.recovered, "retry scheduled", call,
                [
                    Key.attempt: .stringConvertible(attempt),
                    Key.delayMilliseconds: .stringConvertible(delay.milliseconds),
                    Key.reason: .string(reason.description),
                ])
        case .throttled(let call, let wait, let cause):
            log(
                cause == .server ? levels.problem : levels.detail, "throttled", call,
                [
                    Key.waitMilliseconds: .stringConvertible(wait.milliseconds), Key.cause: .string(cause.rawValue),
                ])
        case .callFinished(let call, let summary):
            let succeeded = summary.outcome == .success
            var details: Logger.Metadata = [
                Key.outcome: .string(summary.outcome.description), Key.attempts: .stringConvertible(summary.attempts),
                Key.durationMilliseconds: .stringConvertible(summary.duration.milliseconds),
                Key.requestBytes: .stringConvertible(summary.requestBytes),
                Key.responseBytes: .stringConvertible(summary.responseBytes),
            ]
            if !succeeded { details[Key.error] = .string(summary.message) }
            log(succeeded ? levels.success : levels.problem, succeeded ? "call finished" : "call failed", call, details)
        case .connection(let event):
            log(event)
        }
    }

    private func log(
        _ level: Logger.Level, _ message: Logger.Message, _ call: CallInfo, _ details: Logger.Metadata = [:]
    ) {
        logger.log(level: level, message, metadata: details.merging(Self.metadata(call)) { detail, _ in detail })
    }

    private func log(_ event: ConnectionEvent) {
        let level: Logger.Level
        let message: Logger.Message
        var details: Logger.Metadata = [
            Key.connectionID: .stringConvertible(event.connectionID), Key.authority: .string(event.authority),
            Key.protocolName: .string(event.protocolName),
        ]
        switch event.kind {
        case .opened(let maxConcurrentStreams):
            (level, message) = (levels.detail, "connection opened")
            if let maxConcurrentStreams { details[Key.maxConcurrentStreams] = .stringConvertible(maxConcurrentStreams) }
        case .connectFailed(let kind, let text):
            (level, message) = (levels.problem, "connect failed")
            details[Key.errorKind] = .string(kind.description)
            details[Key.error] = .string(text)
        case .goAwayReceived(let errorCode, let lastStreamID, let debugData):
            // NO_ERROR (RFC 9113 §7) is a graceful shutdown: a proxy or server recycling its
            // connections, which the client rides through without failing a call.
            (level, message) = (errorCode == 0 ? levels.recovered : levels.problem, "GOAWAY received")
            details[Key.http2ErrorCode] = .stringConvertible(errorCode)
            details[Key.lastStreamID] = .stringConvertible(lastStreamID)
            if !debugData.isEmpty { details[Key.debugData] = .string(Self.printable(debugData)) }
        case .streamRefused(let streamID):
            (level, message) = (levels.recovered, "stream refused")
            details[Key.streamID] = .stringConvertible(streamID)
        case .closed(let reason, let text):
            if let reason {
                (level, message) = (levels.problem, "connection lost")
                details[Key.errorKind] = .string(reason.description)
                details[Key.error] = .string(text)
            } else {
                (level, message) = (levels.detail, "connection closed")
            }
        }
        logger.log(level: level, message, metadata: details)
    }

    private static func metadata(_ call: CallInfo) -> Logger.Metadata {
        [
            Key.callID: .stringConvertible(call.id), Key.method: .string(call.method),
            Key.transport: .string(call.transport.rawValue),
        ]
    }

    /// Text the server chose (GOAWAY debug data): printable ASCII only, and short, so that it
    /// cannot forge log lines or flood them.
    static func printable(_ text: String, limit: Int = 200) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(limit).map {
                    $0.value >= 0x20 && $0.value < 0x7f ? $0 : "?"
                }))
    }

    /// The metadata keys (documented in the table of ``LoggingObserver``).
    enum Key {
        static let callID = "clarifai.call_id"
        static let method = "clarifai.method"
        static let transport = "clarifai.transport"
        static let attempt = "clarifai.attempt"
        static let attempts = "clarifai.attempts"
        static let outcome = "clarifai.outcome"
        static let durationMilliseconds = "clarifai.duration_ms"
        static let requestBytes = "clarifai.request_bytes"
        static let responseBytes = "clarifai.response_bytes"
        static let error = "clarifai.error"
        static let delayMilliseconds = "clarifai.delay_ms"
        static let reason = "clarifai.reason"
        static let waitMilliseconds = "clarifai.wait_ms"
        static let cause = "clarifai.cause"
        static let connectionID = "clarifai.connection_id"
        static let authority = "clarifai.authority"
        static let protocolName = "clarifai.protocol"
        static let maxConcurrentStreams = "clarifai.max_concurrent_streams"
        static let errorKind = "clarifai.error_kind"
        static let http2ErrorCode = "clarifai.http2_error_code"
        static let lastStreamID = "clarifai.last_stream_id"
        static let debugData = "clarifai.debug_data"
        static let streamID = "clarifai.stream_id"
    }
}
