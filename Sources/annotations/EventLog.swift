import AnnotationsRPC
import Foundation
import H2Transport
import Synchronization

/// `--verbose`: every event of the client as one JSON object per line on stderr, e.g.
/// `{"time":1764650000.123456,"event":"retry_scheduled","call":3,"method":"PostAnnotations",…}`.
/// Events carry no header, so never the key; messages are redacted like error lines anyway.
final class EventLog: ClientObserver {
    private let secrets: [String]
    /// Connections opened and not yet reported closed; held while a line is written, so lines
    /// never interleave.
    private let open = Mutex<Set<Int>>([])

    init(secrets: [String]) {
        self.secrets = secrets
    }

    func observe(_ event: ClientEvent) {
        let line = "{" + EventLog.fields(of: event).map { "\(jsonQuoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        open.withLock { open in
            if case .connection(let connection) = event {
                switch connection.kind {
                case .opened: open.insert(connection.connectionID)
                case .closed: open.remove(connection.connectionID)
                default: break
                }
            }
            writeStandardError(redacted(line, secrets: secrets))
        }
    }

    /// Waits (at most `timeout`) until every connection opened was reported closed: HTTP/2
    /// connections close on their I/O threads, a moment after `close()`, and their last events
    /// belong before the command's last line.
    func settle(timeout: Duration = .seconds(1)) async {
        let deadline = ContinuousClock.now + timeout
        while !open.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// The event's fields, each value already JSON.
    static func fields(of event: ClientEvent) -> [(String, String)] {
        var fields: [(String, String)] = [("time", String(format: "%.6f", Date().timeIntervalSince1970))]
        func call(_ name: String, _ call: CallInfo) {
            fields += [
                ("event", jsonQuoted(name)), ("call", "\(call.id)"), ("method", jsonQuoted(call.method)),
                ("transport", jsonQuoted(call.transport.rawValue)),
            ]
        }
        switch event {
        case .callStarted(let info):
            call("call_started", info)
        case .attemptStarted(let info, let attempt):
            call("attempt_started", info)
            fields.append(("attempt", "\(attempt)"))
        case .attemptFailed(let info, let attempt, let outcome, let message, let duration):
            call("attempt_failed", info)
            fields += [
                ("attempt", "\(attempt)"), ("outcome", jsonQuoted(outcome.description)),
                ("message", jsonQuoted(message)),
                ("duration_ms", milliseconds(duration)),
            ]
        case .retryScheduled(let info, let attempt, let delay, let reason):
            call("retry_scheduled", info)
            fields += [
                ("attempt", "\(attempt)"), ("delay_ms", milliseconds(delay)),
                ("reason", jsonQuoted(reason.description)),
            ]
        case .throttled(let info, let wait, let cause):
            call("throttled", info)
            fields += [("wait_ms", milliseconds(wait)), ("cause", jsonQuoted(cause.rawValue))]
        case .callFinished(let info, let summary):
            call("call_finished", info)
            fields += [
                ("outcome", jsonQuoted(summary.outcome.description)), ("attempts", "\(summary.attempts)"),
                ("duration_ms", milliseconds(summary.duration)), ("request_bytes", "\(summary.requestBytes)"),
                ("response_bytes", "\(summary.responseBytes)"),
            ]
            if !summary.message.isEmpty { fields.append(("message", jsonQuoted(summary.message))) }
        case .connection(let connection):
            fields += connectionFields(connection)
        }
        return fields
    }

    private static func connectionFields(_ event: ConnectionEvent) -> [(String, String)] {
        var name: String
        var details: [(String, String)] = []
        switch event.kind {
        case .opened(let limit):
            name = "connection_opened"
            details.append(("max_concurrent_streams", limit.map { "\($0)" } ?? "null"))
        case .connectFailed(let kind, let message):
            name = "connect_failed"
            details += [("reason", jsonQuoted(kind.description)), ("message", jsonQuoted(message))]
        case .goAwayReceived(let errorCode, let lastStreamID, let debugData):
            name = "goaway_received"
            details += [
                ("error_code", "\(errorCode)"), ("last_stream_id", "\(lastStreamID)"), ("debug", jsonQuoted(debugData)),
            ]
        case .streamRefused(let streamID):
            name = "stream_refused"
            details.append(("stream_id", "\(streamID)"))
        case .closed(let reason, let message):
            name = "connection_closed"
            details += [
                ("reason", reason.map { jsonQuoted($0.description) } ?? "null"), ("message", jsonQuoted(message)),
            ]
        }
        return [
            ("event", jsonQuoted(name)), ("connection", "\(event.connectionID)"),
            ("authority", jsonQuoted(event.authority)),
            ("protocol", jsonQuoted(event.protocolName)),
        ] + details
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
