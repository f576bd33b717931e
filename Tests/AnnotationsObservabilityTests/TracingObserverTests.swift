import AnnotationsEmulator
import AnnotationsRPC
import H2Transport
import InMemoryTracing
import ProtoWire
import Testing
import Tracing

@testable import AnnotationsObservability

extension ObservabilityTests {
    /// `TracingObserver` on real calls, with swift-distributed-tracing's `InMemoryTracer` passed
    /// in (nothing is bootstrapped).
    @Suite struct TracingObserverTests {
        private func span(_ tracer: InMemoryTracer, _ method: String) throws -> FinishedInMemorySpan {
            let spans = tracer.finishedSpans.filter { $0.operationName == "clarifai.api.V2/\(method)" }
            #expect(spans.count == 1)
            return try #require(spans.first)
        }

        @Test func aCallIsAClientSpanWithTheRPCConventionsUnderTheCurrentContext() async throws {
            let server = try RecordingEmulator()
            defer { server.stop() }
            let tracer = InMemoryTracer()
            let observer = TracingObserver(tracer: tracer, endpoint: server.endpoint)
            let client = try makeClient(server.endpoint, observer: observer)
            defer { client.close() }
            let parent = tracer.startSpan("import batch")
            try await ServiceContext.withValue(parent.context) {
                _ = try await client.list()
            }
            parent.end()

            let span = try span(tracer, "ListAnnotations")
            #expect(span.kind == .client)
            #expect(span.traceID == parent.traceID)
            #expect(span.parentSpanID == parent.spanID)
            #expect(span.attributes.get("rpc.system") == .string("grpc"))
            #expect(span.attributes.get("rpc.service") == .string("clarifai.api.V2"))
            #expect(span.attributes.get("rpc.method") == .string("ListAnnotations"))
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(0))
            #expect(span.attributes.get("clarifai.status_code") == .int64(10000))
            #expect(span.attributes.get("clarifai.transport") == .string("grpc"))
            #expect(span.attributes.get("server.address") == .string("127.0.0.1"))
            #expect(span.attributes.get("server.port") == .int64(Int64(server.port)))
            #expect(span.attributes.get("clarifai.attempts") == .int64(1))
            #expect(span.attributes.get("error.type") == nil)
            #expect(span.attributes.get("network.protocol.name") == nil)
            #expect(span.events.map(\.name) == ["clarifai.attempt.started"])
            #expect(span.events.first?.attributes.get("clarifai.attempt") == .int64(1))
            #expect(span.status == nil)
            #expect(observer.callsInFlight == 0)
            #expect(tracer.activeSpans.isEmpty)
        }

        @Test func withoutACurrentContextTheSpanIsTopLevel() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tracer = InMemoryTracer()
            let client = try makeClient(emulator.endpoint, observer: TracingObserver(tracer: tracer))
            defer { client.close() }
            _ = try await client.list()
            let span = try span(tracer, "ListAnnotations")
            #expect(span.parentSpanID == nil)
            #expect(span.attributes.get("server.address") == nil)
        }

        @Test func attemptsAndRetriesAreEventsOfTheCallsSpan() async throws {
            let server = try RecordingEmulator(failFirst: 1, fault: "unavailable")
            defer { server.stop() }
            let tracer = InMemoryTracer()
            let client = try makeClient(server.endpoint, observer: TracingObserver(tracer: tracer))
            defer { client.close() }
            _ = try await client.post([Annotation(inputID: "img1", concepts: ["tree": 1])])

            let span = try span(tracer, "PostAnnotations")
            #expect(
                span.events.map(\.name) == [
                    "clarifai.attempt.started", "clarifai.attempt.failed", "clarifai.retry.scheduled",
                    "clarifai.attempt.started",
                ])
            let failed = span.events[1].attributes
            #expect(failed.get("clarifai.attempt") == .int64(1))
            #expect(failed.get("clarifai.outcome") == .string("UNAVAILABLE"))
            #expect(failed.get("clarifai.duration_ms") != nil)
            let retry = span.events[2].attributes
            #expect(retry.get("clarifai.attempt") == .int64(2))
            #expect(retry.get("clarifai.reason") == .string("UNAVAILABLE"))
            #expect(span.status == nil)
            #expect(span.attributes.get("clarifai.attempts") == .int64(2))
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(0))
        }

        @Test func aFailedGRPCCallEndsWithAnErrorStatusAndItsCode() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tracer = InMemoryTracer()
            let observer = TracingObserver(tracer: tracer)
            let client = try makeClient(emulator.endpoint, observer: observer, fault: "unavailable") {
                $0.retryPolicy.maxAttempts = 2
            }
            defer { client.close() }
            await #expect(throws: GRPCError.self) { try await client.list() }

            let span = try span(tracer, "ListAnnotations")
            #expect(span.status?.code == .error)
            #expect(span.status?.message?.contains("UNAVAILABLE") == true)
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(14))
            #expect(span.attributes.get("error.type") == .string("UNAVAILABLE"))
            #expect(span.attributes.get("clarifai.status_code") == nil)
            #expect(span.events.filter { $0.name == "clarifai.attempt.failed" }.count == 2)
            #expect(observer.callsInFlight == 0)
        }

        @Test func aClarifaiFailureCarriesItsStatusAndTheThrottling() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tracer = InMemoryTracer()
            let client = try makeClient(emulator.endpoint, observer: TracingObserver(tracer: tracer), fault: "throttle")
            {
                $0.retryPolicy.maxAttempts = 2
            }
            defer { client.close() }
            await #expect(throws: ClarifaiStatusError.self) { try await client.list() }

            let span = try span(tracer, "ListAnnotations")
            #expect(span.status?.code == .error)
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(0))
            #expect(span.attributes.get("clarifai.status_code") == .int64(11005))
            #expect(span.attributes.get("error.type") == .string("CONN_THROTTLED"))
            let throttled = try #require(span.events.first { $0.name == "clarifai.throttled" })
            #expect(throttled.attributes.get("clarifai.cause") == .string("server"))
            #expect(throttled.attributes.get("clarifai.wait_ms") != nil)
        }

        /// A call cut by its deadline ends its span too: nothing stays behind for a call that fails.
        @Test func aCallPastItsDeadlineEndsItsSpan() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tracer = InMemoryTracer()
            let observer = TracingObserver(tracer: tracer)
            let client = try makeClient(emulator.endpoint, observer: observer, fault: "sleep-ms=2000")
            defer { client.close() }
            await #expect(throws: GRPCError.self) { try await client.list(timeout: .milliseconds(200)) }
            let span = try span(tracer, "ListAnnotations")
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(4))
            #expect(span.status?.code == .error)
            #expect(observer.callsInFlight == 0)
            #expect(tracer.activeSpans.isEmpty)
        }

        @Test(arguments: [(Transport.rest, "2"), (.restHTTP1, "1.1")])
        func aRESTCallHasNoRPCSystem(transport: Transport, version: String) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tracer = InMemoryTracer()
            let client = try makeClient(
                emulator.endpoint, observer: TracingObserver(tracer: tracer), transport: transport)
            defer { client.close() }
            _ = try await client.list()
            let span = try span(tracer, "ListAnnotations")
            #expect(span.attributes.get("rpc.system") == nil)
            #expect(span.attributes.get("rpc.service") == .string("clarifai.api.V2"))
            #expect(span.attributes.get("rpc.method") == .string("ListAnnotations"))
            #expect(span.attributes.get("rpc.grpc.status_code") == nil)
            #expect(span.attributes.get("network.protocol.name") == .string("http"))
            #expect(span.attributes.get("network.protocol.version") == .string(version))
            #expect(span.attributes.get("clarifai.transport") == .string(transport.rawValue))
            #expect(span.attributes.get("clarifai.status_code") == .int64(10000))
        }

        /// The tracer's injection (the in-memory tracer's trace and span ids; `traceparent` with a
        /// W3C tracer) reaches the server in the request of every attempt, on every wire.
        @Test(arguments: Transport.allCases)
        func theSpansContextReachesTheServer(transport: Transport) async throws {
            let server = try RecordingEmulator(failFirst: 1)
            defer { server.stop() }
            let tracer = InMemoryTracer()
            let client = try makeClient(
                server.endpoint, observer: TracingObserver(tracer: tracer), transport: transport)
            defer { client.close() }
            _ = try await client.list()

            let span = try span(tracer, "ListAnnotations")
            let requests = server.requests
            #expect(requests.count == 2)
            for request in requests {
                func header(_ name: String) -> String? { request.headers.first { $0.name.lowercased() == name }?.value }
                #expect(header(InMemoryTracer.traceIDKey) == span.traceID)
                #expect(header(InMemoryTracer.spanIDKey) == span.spanID)
            }
            #expect(tracer.performedContextInjections.count == 1)
        }

        @Test func metadataIsTheInjectedContextOfTheCallsSpan() throws {
            let tracer = InMemoryTracer()
            let observer = TracingObserver(tracer: tracer)
            let call = CallInfo(id: .max - 1, method: "GetAnnotation", transport: .grpc)
            #expect(observer.metadata(for: call).isEmpty)  // no span yet
            let parent = tracer.startSpan("parent")
            ServiceContext.withValue(parent.context) { observer.observe(.callStarted(call)) }
            let headers = observer.metadata(for: call)
            let active = try #require(tracer.activeSpans.first { $0.operationName == "clarifai.api.V2/GetAnnotation" })
            #expect(
                headers == [
                    HeaderField(InMemoryTracer.traceIDKey, active.traceID),
                    HeaderField(InMemoryTracer.spanIDKey, active.spanID),
                ])
            #expect(active.parentSpanID == parent.spanID)
            #expect(observer.callsInFlight == 1)
            observer.observe(
                .callFinished(
                    call,
                    CallSummary(
                        outcome: .transport(.connectFailed), attempts: 1, duration: .milliseconds(3), requestBytes: 5,
                        responseBytes: 0, message: "connect failed: refused"
                    )))
            #expect(observer.callsInFlight == 0)
            #expect(observer.metadata(for: call).isEmpty)
            let span = try span(tracer, "GetAnnotation")
            #expect(span.attributes.get("rpc.grpc.status_code") == nil)
            #expect(span.attributes.get("error.type") == .string("connect failed"))
            #expect(span.status == SpanStatus(code: .error, message: "connect failed: refused"))
        }

        @Test func theInjectorWritesOnlyFieldsARequestCanCarry() {
            var headers: [HeaderField] = []
            let injector = HeaderFieldInjector()
            injector.inject(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", forKey: "Traceparent", into: &headers)
            injector.inject("a=1", forKey: "bad name", into: &headers)
            injector.inject("a=1", forKey: ":authority", into: &headers)
            injector.inject("a=1", forKey: "", into: &headers)
            injector.inject("a=1\r\nauthorization: Key x", forKey: "tracestate", into: &headers)
            #expect(headers == [HeaderField("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")])
        }
    }
}
