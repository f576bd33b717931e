import AnnotationsEmulator
import AnnotationsObservability
import AnnotationsRPC
import MetricsTestKit
import ProtoWire
import TestPeers
import Testing

extension ObservabilityTests {
    /// `MetricsObserver` on real calls against the emulator, with swift-metrics' `TestMetrics`
    /// passed as the factory (nothing is bootstrapped: each test has its own).
    @Suite struct MetricsObserverTests {
        private static func call(_ method: String, _ transport: String = "grpc", outcome: String? = nil) -> [(
            String, String
        )] {
            [("method", method), ("transport", transport)] + (outcome.map { [("outcome", $0)] } ?? [])
        }

        /// The count of `clarifai_annotations_<name>` with `dimensions`, 0 when it was never made.
        private static func total(
            _ metrics: TestMetrics, _ name: String, _ dimensions: [(String, String)],
            prefix: String = "clarifai_annotations_"
        ) -> Int64 {
            (try? metrics.expectCounter(prefix + name, dimensions))?.totalValue ?? 0
        }

        @Test func callsAreCountedAndTimedPerMethodAndOutcome() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let metrics = TestMetrics()
            let client = try makeClient(emulator.endpoint, observer: MetricsObserver(factory: metrics))
            _ = try await client.list()
            _ = try await client.list()
            _ = try await client.post([Annotation(inputID: "img1", concepts: ["tree": 1])])

            let lists = Self.call("ListAnnotations", outcome: "SUCCESS")
            #expect(Self.total(metrics, "calls_total", lists) == 2)
            #expect(Self.total(metrics, "calls_total", Self.call("PostAnnotations", outcome: "SUCCESS")) == 1)
            let durations = try metrics.expectTimer("clarifai_annotations_call_duration", lists).values
            #expect(durations.count == 2 && durations.allSatisfy { $0 > 0 && $0 < 10_000_000_000 })
            #expect(Self.total(metrics, "attempts_total", Self.call("ListAnnotations")) == 2)
            #expect(metrics.counters(label: "clarifai_annotations_retries_total").isEmpty)
            let posted = try metrics.expectRecorder("clarifai_annotations_request_bytes", Self.call("PostAnnotations"))
                .values
            #expect(posted.count == 1 && posted[0] > 10)
            let answered = try metrics.expectRecorder(
                "clarifai_annotations_response_bytes", Self.call("PostAnnotations")
            ).values
            #expect(answered.count == 1 && answered[0] > 10)

            #expect(Self.total(metrics, "connections_opened_total", [("protocol", "h2")]) == 1)
            let open = try metrics.expectMeter("clarifai_annotations_open_connections", [("protocol", "h2")])
            #expect(open.lastValue == 1)
            client.close()
            #expect(
                await eventually {
                    Self.total(metrics, "connections_closed_total", [("protocol", "h2"), ("reason", "client")]) == 1
                })
            #expect(open.lastValue == 0)
        }

        @Test func aRetriedCallCountsItsFailedAttemptAndItsRetry() async throws {
            let server = try RecordingEmulator(failFirst: 1, fault: "unavailable")
            defer { server.stop() }
            let metrics = TestMetrics()
            let client = try makeClient(server.endpoint, observer: MetricsObserver(factory: metrics))
            defer { client.close() }
            _ = try await client.list()

            #expect(Self.total(metrics, "calls_total", Self.call("ListAnnotations", outcome: "SUCCESS")) == 1)
            #expect(Self.total(metrics, "attempts_total", Self.call("ListAnnotations")) == 2)
            #expect(
                Self.total(metrics, "attempt_failures_total", Self.call("ListAnnotations", outcome: "UNAVAILABLE")) == 1
            )
            #expect(
                Self.total(metrics, "retries_total", Self.call("ListAnnotations") + [("reason", "UNAVAILABLE")]) == 1)
        }

        @Test func throttlingIsCountedByCause() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let metrics = TestMetrics()
            let throttled = try makeClient(
                emulator.endpoint, observer: MetricsObserver(factory: metrics), fault: "throttle"
            ) {
                $0.retryPolicy.maxAttempts = 2
            }
            defer { throttled.close() }
            await #expect(throws: ClarifaiStatusError.self) { try await throttled.list() }
            #expect(Self.total(metrics, "throttled_total", [("cause", "server")]) == 1)
            #expect(
                try metrics.expectTimer("clarifai_annotations_throttle_wait", [("cause", "server")]).values.count == 1)
            #expect(Self.total(metrics, "calls_total", Self.call("ListAnnotations", outcome: "CONN_THROTTLED")) == 1)

            // 20 calls a second, one at a time: the second and third calls wait for the limit.
            let paced = try makeClient(emulator.endpoint, observer: MetricsObserver(factory: metrics)) {
                $0.rateLimit = RateLimit(callsPerSecond: 20, burst: 1)
            }
            defer { paced.close() }
            for _ in 0..<3 { _ = try await paced.list() }
            #expect(Self.total(metrics, "throttled_total", [("cause", "rate-limit")]) >= 1)
        }

        @Test func goAwaysAreCounted() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let metrics = TestMetrics()
            let client = try makeClient(emulator.endpoint, observer: MetricsObserver(factory: metrics), fault: "goaway")
            defer { client.close() }
            _ = try await client.list()
            _ = try await client.list()
            #expect(
                await eventually {
                    Self.total(metrics, "goaways_total", [("protocol", "h2"), ("error_code", "0")]) >= 1
                })
            #expect(Self.total(metrics, "calls_total", Self.call("ListAnnotations", outcome: "SUCCESS")) == 2)
        }

        @Test func aConnectFailureIsCounted() async throws {
            let refusing = RefusingPort()
            let endpoint = "h2c://127.0.0.1:\(refusing.port)"
            let metrics = TestMetrics()
            let client = try makeClient(endpoint, observer: MetricsObserver(factory: metrics)) {
                $0.retryPolicy = .none
                $0.defaultTimeout = .seconds(2)
            }
            defer { client.close() }
            await #expect(throws: (any Error).self) { try await client.list() }
            #expect(
                Self.total(metrics, "connect_failures_total", [("protocol", "h2"), ("kind", "connect failed")]) >= 1)
            #expect(Self.total(metrics, "calls_total", Self.call("ListAnnotations", outcome: "connect failed")) == 1)
            #expect(
                metrics.meters(label: "clarifai_annotations_open_connections").allSatisfy { $0.lastValue ?? 0 == 0 })
        }

        @Test(arguments: [Transport.rest, .restHTTP1])
        func theTransportAndThePrefixNameTheMetrics(transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let metrics = TestMetrics()
            let client = try makeClient(
                emulator.endpoint, observer: MetricsObserver(prefix: "", factory: metrics), transport: transport)
            defer { client.close() }
            _ = try await client.list()
            let dimensions = Self.call("ListAnnotations", transport.rawValue, outcome: "SUCCESS")
            #expect(Self.total(metrics, "calls_total", dimensions, prefix: "") == 1)
            #expect(metrics.counters.allSatisfy { !$0.label.hasPrefix("clarifai_annotations") })
        }
    }
}
