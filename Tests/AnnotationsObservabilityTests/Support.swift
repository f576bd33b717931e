// `Emulator.respond` is public for the fuzzers; here it answers behind a server of the tests' own,
// which the emulator's own server does not allow: one that keeps the request headers (to see the
// injected trace context arrive) and fails only the first requests (a call that fails, then
// succeeds when retried).
@_spi(Fuzzing) import AnnotationsEmulator
import AnnotationsRPC
import H2Transport
import Synchronization
import Testing

/// The suites of the target: each starts servers on loopback; one at a time on a 2-core machine.
@Suite(.serialized, .timeLimit(.minutes(2))) enum ObservabilityTests {}

/// The key of every test client: it must appear in no log record, span or metric.
let testKey = "observability-test-key-3f9c1e"

/// The emulator's answers over a loopback `HTTPServer` that records every request and can fail
/// the first ones with an injected fault.
final class RecordingEmulator: Sendable {
    let store = AnnotationStore()
    private let server: HTTPServer
    private let recorder: Recorder

    private final class Recorder: Sendable {
        struct State {
            var requests: [ServerRequest] = []
            var faultsLeft: Int
        }

        let state: Mutex<State>

        init(faultsLeft: Int) {
            state = Mutex(State(faultsLeft: faultsLeft))
        }

        /// Records `request`; true when it is to fail.
        func record(_ request: ServerRequest) -> Bool {
            state.withLock { state in
                state.requests.append(request)
                guard state.faultsLeft > 0 else { return false }
                state.faultsLeft -= 1
                return true
            }
        }
    }

    /// - Parameters:
    ///   - failFirst: how many requests get `fault` (`x-emulator-fault`) before the emulator
    ///     answers them.
    init(failFirst: Int = 0, fault: String = "unavailable") throws {
        let recorder = Recorder(faultsLeft: failFirst)
        let store = store
        self.recorder = recorder
        server = try HTTPServer { request in
            var request = request
            if recorder.record(request) { request.headers.append(HeaderField("x-emulator-fault", fault)) }
            return Emulator.respond(to: request, store: store)
        }
    }

    var endpoint: String { "h2c://127.0.0.1:\(server.port)" }
    var port: Int { server.port }
    var requests: [ServerRequest] { recorder.state.withLock { $0.requests } }

    func stop() { server.stop() }
}

/// A client of `endpoint` with `observer`, the test key, quick retries and a bounded deadline.
func makeClient(
    _ endpoint: String, observer: any ClientObserver, transport: Transport = .grpc, fault: String? = nil,
    configure: (inout ClientConfiguration) -> Void = { _ in }
) throws -> AnnotationsClient {
    var configuration = ClientConfiguration()
    configuration.endpoint = endpoint
    configuration.key = testKey
    configuration.transport = transport
    configuration.observer = observer
    configuration.retryPolicy.initialBackoff = .milliseconds(5)
    configuration.retryPolicy.maxBackoff = .milliseconds(20)
    configuration.defaultTimeout = .seconds(10)
    configuration.connection.proxy = .none
    if let fault { configuration.metadata = [HeaderField("x-emulator-fault", fault)] }
    configure(&configuration)
    return try AnnotationsClient(configuration: configuration)
}

/// Waits (at most `timeout`) for `condition`, which events of a connection's I/O thread make true.
func eventually(timeout: Duration = .seconds(5), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}

/// Every event, for the tests of `ObserverGroup`.
final class EventRecorder: ClientObserver {
    let name: String
    let log: Mutex<[String]>
    private let shared: SharedLog?

    /// Several recorders writing into one log, in the order their events arrive.
    final class SharedLog: Sendable {
        let lines = Mutex<[String]>([])
    }

    init(_ name: String, shared: SharedLog? = nil) {
        self.name = name
        self.shared = shared
        log = Mutex([])
    }

    func observe(_ event: ClientEvent) {
        let line: String
        switch event {
        case .callStarted(let call): line = "\(name): started \(call.method)"
        case .attemptStarted(_, let attempt): line = "\(name): attempt \(attempt)"
        case .callFinished(_, let summary): line = "\(name): finished \(summary.outcome)"
        default: return
        }
        log.withLock { $0.append(line) }
        shared?.lines.withLock { $0.append(line) }
    }

    func metadata(for call: CallInfo) -> [HeaderField] { [HeaderField("x-\(name)", "\(call.id)")] }
}
