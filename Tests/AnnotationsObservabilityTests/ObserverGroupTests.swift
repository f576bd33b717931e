import AnnotationsEmulator
import AnnotationsObservability
import AnnotationsRPC
import H2Transport
import InMemoryLogging
import InMemoryTracing
import Logging
import MetricsTestKit
import ProtoWire
import Testing
import Tracing

extension ObservabilityTests {
    @Suite struct ObserverGroupTests {
        @Test func eventsGoToEveryObserverInOrderAndMetadataIsConcatenated() async throws {
            let server = try RecordingEmulator()
            defer { server.stop() }
            let shared = EventRecorder.SharedLog()
            let first = EventRecorder("a", shared: shared)
            let second = EventRecorder("b", shared: shared)
            let client = try makeClient(server.endpoint, observer: ObserverGroup(first, second))
            defer { client.close() }
            _ = try await client.list()

            #expect(
                shared.lines.withLock { $0 } == [
                    "a: started ListAnnotations", "b: started ListAnnotations", "a: attempt 1", "b: attempt 1",
                    "a: finished SUCCESS", "b: finished SUCCESS",
                ])
            let headers = try #require(server.requests.first).headers
            let added = headers.filter { $0.name == "x-a" || $0.name == "x-b" }
            #expect(added.map(\.name) == ["x-a", "x-b"])
            #expect(Set(added.map(\.value)).count == 1)  // one call id
            #expect(ObserverGroup([]).metadata(for: CallInfo(id: 1, method: "X", transport: .grpc)).isEmpty)
        }

        /// The three adapters together on a successful call and a refused key: everything is
        /// seen, and the key is in no record, no span and no metric.
        @Test func theThreeAdaptersTogetherNeverShowTheKey() async throws {
            let emulator = try Emulator(store: AnnotationStore(apiKey: testKey))
            defer { emulator.stop() }
            let handler = InMemoryLogHandler()
            var logger = Logger(label: "test") { _ in handler }
            logger.logLevel = .trace
            let metrics = TestMetrics()
            let tracer = InMemoryTracer()
            let observer = ObserverGroup(
                LoggingObserver(logger: logger), MetricsObserver(factory: metrics),
                TracingObserver(tracer: tracer, endpoint: emulator.endpoint)
            )
            let client = try makeClient(emulator.endpoint, observer: observer)
            _ = try await client.list()
            let wrongKey = "wrong-\(testKey)"
            let refused = try makeClient(emulator.endpoint, observer: observer) { $0.key = wrongKey }
            do {
                _ = try await refused.list()
                Issue.record("a wrong key was accepted")
            } catch let error as ClarifaiStatusError {
                #expect(error.code == .connKeyInvalid)
            }
            client.close()
            refused.close()

            #expect(handler.entries.filter { $0.message == "call finished" }.count == 1)
            #expect(handler.entries.filter { $0.message == "call failed" }.count == 1)
            #expect(tracer.finishedSpans.count == 2)
            #expect(
                try metrics.expectCounter(
                    "clarifai_annotations_calls_total",
                    [("method", "ListAnnotations"), ("transport", "grpc"), ("outcome", "CONN_KEY_INVALID")]
                ).totalValue == 1)

            var seen: [String] = []
            for entry in handler.entries {
                seen.append(entry.message.description)
                seen += entry.metadata.flatMap { [$0.key, $0.value.description] }
            }
            for span in tracer.finishedSpans {
                seen.append(span.operationName)
                span.attributes.forEach { name, value in seen += [name, "\(value)"] }
                for event in span.events {
                    seen.append(event.name)
                    event.attributes.forEach { name, value in seen += [name, "\(value)"] }
                }
                seen.append(span.status?.message ?? "")
            }
            for injection in tracer.performedContextInjections { seen += injection.values.values }
            for counter in metrics.counters { seen += [counter.label] + counter.dimensions.flatMap { [$0.0, $0.1] } }
            for timer in metrics.timers { seen += [timer.label] + timer.dimensions.flatMap { [$0.0, $0.1] } }
            #expect(seen.contains { $0.contains("CONN_KEY_INVALID") })
            #expect(!seen.contains { $0.contains(testKey) })
        }
    }
}
