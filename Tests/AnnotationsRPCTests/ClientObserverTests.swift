import AnnotationsEmulator
import AnnotationsRPC
import H2Transport
import ProtoWire
import Synchronization
import TestPeers
import Testing

/// Keeps every event, and adds a `traceparent` made of the call id.
final class RecordingObserver: ClientObserver {
    private let recorded = Mutex<[ClientEvent]>([])

    func observe(_ event: ClientEvent) { recorded.withLock { $0.append(event) } }

    func metadata(for call: CallInfo) -> [HeaderField] {
        [HeaderField("traceparent", "00-\(String(repeating: "0", count: 31))\(call.id % 10)-00f067aa0ba902b7-01")]
    }

    var events: [ClientEvent] { recorded.withLock { $0 } }

    /// The events of calls, as short names in order: `started`, `attempt 1`, `failed 1 UNAVAILABLE`…
    var callTrace: [String] {
        events.compactMap { event in
            switch event {
            case .callStarted: "started"
            case .attemptStarted(_, let attempt): "attempt \(attempt)"
            case .attemptFailed(_, let attempt, let outcome, _, _): "failed \(attempt) \(outcome)"
            case .retryScheduled(_, let attempt, _, let reason): "retry \(attempt) \(reason)"
            case .throttled(_, _, let cause): "throttled \(cause.rawValue)"
            case .callFinished(_, let summary): "finished \(summary.outcome) after \(summary.attempts)"
            case .connection: nil
            }
        }
    }
}

extension NetworkTests {
    /// `ClientObserver` end to end: the events of calls and connections, and the metadata hook.
    @Suite(.timeLimit(.minutes(2)))
    struct ClientObserverTests {
        private func client(
            _ endpoint: String, observer: RecordingObserver, transport: Transport = .grpc, fault: String? = nil
        ) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = endpoint
            configuration.key = "test"
            configuration.transport = transport
            configuration.observer = observer
            if let fault { configuration.metadata = [HeaderField("x-emulator-fault", fault)] }
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            return try AnnotationsClient(configuration: configuration)
        }

        /// A stream's call finishes when the stream does: at its end, or CANCELLED when the loop
        /// leaves early; its response bytes are every message's.
        @Test(arguments: [Transport.grpc, .rest])
        func aStreamFinishesWhenItEnds(transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            var annotations: [Annotation] = []
            for number in 0..<3 {
                var annotation = Annotation(id: "f\(number)", inputID: "video", concepts: [:])
                var frame = Frame()
                frame.frameInfo = FrameInfo()
                frame.frameInfo?.number = UInt32(number)
                annotation.data = ClarifaiData()
                annotation.data?.frames = [frame]
                annotations.append(annotation)
            }
            let observer = RecordingObserver()
            let client = try client(emulator.endpoint, observer: observer, transport: transport)
            defer { client.close() }
            _ = try await client.post(annotations)
            var request = StreamAnnotationsRequest()
            request.inputID = "video"
            var seen = 0
            for try await _ in client.streamAnnotations(request) { seen += 1 }
            #expect(seen == 3)
            for try await _ in client.streamAnnotations(request) { break }
            #expect(
                observer.callTrace == [
                    "started", "attempt 1", "finished SUCCESS after 1",  // the post
                    "started", "attempt 1", "finished SUCCESS after 1",
                    "started", "attempt 1", "finished CANCELLED after 1",
                ])
            let streamed = observer.events.compactMap { event -> Int? in
                if case .callFinished(let call, let summary) = event, call.method == "StreamAnnotations" {
                    return summary.responseBytes
                }
                return nil
            }
            #expect(streamed.count == 2 && streamed[0] > streamed[1] && streamed[1] > 0, "\(streamed)")
        }

        @Test(arguments: Transport.allCases)
        func aSuccessfulCall(transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let observer = RecordingObserver()
            let client = try client(emulator.endpoint, observer: observer, transport: transport)
            _ = try await client.post([Annotation(id: "a1", inputID: "i", concepts: ["tree": 1])])
            client.close()
            #expect(observer.callTrace == ["started", "attempt 1", "finished SUCCESS after 1"])
            let finished = observer.events.compactMap { event -> (CallInfo, CallSummary)? in
                if case .callFinished(let call, let summary) = event { (call, summary) } else { nil }
            }
            #expect(finished.count == 1)
            #expect(finished.first?.0.method == "PostAnnotations")
            #expect(finished.first?.0.transport == transport)
            #expect((finished.first?.1.requestBytes ?? 0) > 0)
            #expect((finished.first?.1.responseBytes ?? 0) > 0)
            // The connection's opening, and its closing once the client closed it.
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, !observer.events.contains(where: { Self.isClosed($0) }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(observer.events.contains { Self.isOpened($0) })
            #expect(observer.events.contains { Self.isClosed($0) })
        }

        static func isOpened(_ event: ClientEvent) -> Bool {
            if case .connection(let connection) = event, case .opened = connection.kind { return true }
            return false
        }

        static func isClosed(_ event: ClientEvent) -> Bool {
            if case .connection(let connection) = event, case .closed(nil, _) = connection.kind { return true }
            return false
        }

        @Test func retriesAreReportedWithTheirReason() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let observer = RecordingObserver()
            let client = try client(emulator.endpoint, observer: observer, fault: "unavailable")
            defer { client.close() }
            await #expect(throws: GRPCError.self) { _ = try await client.list() }
            #expect(
                observer.callTrace == [
                    "started",
                    "attempt 1", "failed 1 UNAVAILABLE", "retry 2 UNAVAILABLE",
                    "attempt 2", "failed 2 UNAVAILABLE", "retry 3 UNAVAILABLE",
                    "attempt 3", "failed 3 UNAVAILABLE", "retry 4 UNAVAILABLE",
                    "attempt 4", "failed 4 UNAVAILABLE",
                    "finished UNAVAILABLE after 4",
                ])
        }

        @Test func serverThrottlingIsReportedAndSlowsTheRateLimitDown() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let observer = RecordingObserver()
            var configuration = ClientConfiguration()
            configuration.endpoint = emulator.endpoint
            configuration.key = "test"
            configuration.observer = observer
            configuration.metadata = [HeaderField("x-emulator-fault", "throttle")]
            configuration.retryPolicy = RetryPolicy(maxAttempts: 2)
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            configuration.rateLimit = RateLimit(callsPerSecond: 1000)
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            await #expect(throws: ClarifaiStatusError.self) { _ = try await client.list() }
            let trace = observer.callTrace
            #expect(trace.first == "started")
            #expect(trace.contains("failed 1 CONN_THROTTLED"))
            #expect(trace.contains("throttled server"))
            #expect(trace.last == "finished CONN_THROTTLED after 2")
        }

        @Test func connectFailuresAreReported() async throws {
            let observer = RecordingObserver()
            let refusing = RefusingPort()
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(refusing.port)"
            configuration.key = "test"
            configuration.observer = observer
            configuration.retryPolicy = .none
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            await #expect(throws: (any Error).self) { _ = try await client.list() }
            #expect(
                observer.events.contains { event in
                    if case .connection(let connection) = event,
                        case .connectFailed(.connectFailed, _) = connection.kind
                    {
                        return true
                    }
                    return false
                })
            #expect(observer.callTrace.last == "finished connect failed after 1")
        }

        /// The hook's metadata reaches the server (the official stubs record it), on every wire's
        /// gRPC path and every attempt.
        @Test func metadataHookReachesTheServer() async throws {
            let server = try V2Server()
            let observer = RecordingObserver()
            let client = try server.client { $0.observer = observer }
            defer { client.close() }
            _ = try await client.list()
            _ = try await client.list()
            let values = server.records().compactMap { $0.metadata["traceparent"] as? String }
            #expect(values.count == 2)
            #expect(Set(values).count == 2)  // one per call
            #expect(values.allSatisfy { $0.hasPrefix("00-") && $0.hasSuffix("-00f067aa0ba902b7-01") })
        }

        @Test func withoutAnObserverNothingIsAdded() async throws {
            let server = try V2Server()
            let client = try server.client()
            defer { client.close() }
            _ = try await client.list()
            #expect(server.records().first.map { $0.metadata["traceparent"] == nil } == true)
        }
    }
}
