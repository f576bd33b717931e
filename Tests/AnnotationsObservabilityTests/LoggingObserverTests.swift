import AnnotationsEmulator
import AnnotationsObservability
import AnnotationsRPC
import InMemoryLogging
import Logging
import ProtoWire
import TestPeers
import Testing

extension ObservabilityTests {
    /// `LoggingObserver` on real calls against the emulator, with swift-log's `InMemoryLogHandler`.
    @Suite struct LoggingObserverTests {
        /// A logger at trace that keeps every record, and the handler to read them from.
        private func logger() -> (Logger, InMemoryLogHandler) {
            let handler = InMemoryLogHandler()
            var logger = Logger(label: "test") { _ in handler }
            logger.logLevel = .trace
            return (logger, handler)
        }

        private func callEntries(_ handler: InMemoryLogHandler) -> [InMemoryLogHandler.Entry] {
            handler.entries.filter { $0.metadata["clarifai.call_id"] != nil }
        }

        @Test func aSuccessfulCallLogsItsStartItsAttemptAndItsEnd() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let (logger, handler) = logger()
            let client = try makeClient(emulator.endpoint, observer: LoggingObserver(logger: logger))
            defer { client.close() }
            _ = try await client.list()

            let entries = callEntries(handler)
            #expect(entries.map(\.message.description) == ["call started", "attempt started", "call finished"])
            #expect(entries.allSatisfy { $0.level == .debug })
            let callID = try #require(entries.first?.metadata["clarifai.call_id"]?.description)
            for entry in entries {
                #expect(entry.metadata["clarifai.call_id"]?.description == callID)
                #expect(entry.metadata["clarifai.method"]?.description == "ListAnnotations")
                #expect(entry.metadata["clarifai.transport"]?.description == "grpc")
            }
            #expect(entries[1].metadata["clarifai.attempt"]?.description == "1")
            let finished = entries[2].metadata
            #expect(finished["clarifai.outcome"]?.description == "SUCCESS")
            #expect(finished["clarifai.attempts"]?.description == "1")
            #expect(try #require(Int(finished["clarifai.request_bytes"]?.description ?? "")) >= 0)
            #expect(try #require(Int(finished["clarifai.response_bytes"]?.description ?? "")) > 0)
            #expect(try #require(Double(finished["clarifai.duration_ms"]?.description ?? "")) > 0)
            #expect(finished["clarifai.error"] == nil)

            let opened = try #require(handler.entries.first { $0.message == "connection opened" })
            #expect(opened.level == .debug)
            #expect(opened.metadata["clarifai.authority"]?.description == "127.0.0.1:\(emulator.port)")
            #expect(opened.metadata["clarifai.protocol"]?.description == "h2")
            #expect(Int(opened.metadata["clarifai.connection_id"]?.description ?? "") ?? 0 > 0)
            #expect(opened.metadata["clarifai.call_id"] == nil)
        }

        @Test func aCallThatFailsThenSucceedsLogsTheFailedAttemptAndTheRetry() async throws {
            let server = try RecordingEmulator(failFirst: 1, fault: "unavailable")
            defer { server.stop() }
            let (logger, handler) = logger()
            let client = try makeClient(server.endpoint, observer: LoggingObserver(logger: logger))
            defer { client.close() }
            _ = try await client.post([Annotation(inputID: "img1", concepts: ["tree": 1])])

            let entries = callEntries(handler)
            #expect(
                entries.map(\.message.description) == [
                    "call started", "attempt started", "attempt failed", "retry scheduled", "attempt started",
                    "call finished",
                ])
            #expect(entries.map(\.level) == [.debug, .debug, .debug, .info, .debug, .debug])
            #expect(entries.allSatisfy { $0.metadata["clarifai.method"]?.description == "PostAnnotations" })
            let failed = entries[2].metadata
            #expect(failed["clarifai.attempt"]?.description == "1")
            #expect(failed["clarifai.outcome"]?.description == "UNAVAILABLE")
            #expect(failed["clarifai.error"]?.description.contains("unavailable") == true)
            #expect(Double(failed["clarifai.duration_ms"]?.description ?? "") != nil)
            let retry = entries[3].metadata
            #expect(retry["clarifai.attempt"]?.description == "2")
            #expect(retry["clarifai.reason"]?.description == "UNAVAILABLE")
            #expect(try #require(Double(retry["clarifai.delay_ms"]?.description ?? "")) <= 20)
            #expect(entries[4].metadata["clarifai.attempt"]?.description == "2")
            #expect(entries[5].metadata["clarifai.outcome"]?.description == "SUCCESS")
            #expect(entries[5].metadata["clarifai.attempts"]?.description == "2")
        }

        @Test func aFailedCallAndServerThrottlingAreWarnings() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let (logger, handler) = logger()
            let client = try makeClient(emulator.endpoint, observer: LoggingObserver(logger: logger), fault: "throttle")
            {
                $0.retryPolicy.maxAttempts = 2
            }
            defer { client.close() }
            await #expect(throws: ClarifaiStatusError.self) { try await client.list() }

            let entries = callEntries(handler)
            #expect(
                entries.map(\.message.description) == [
                    "call started", "attempt started", "attempt failed", "retry scheduled", "throttled",
                    "attempt started",
                    "attempt failed", "call failed",
                ])
            let throttled = try #require(entries.first { $0.message == "throttled" })
            #expect(throttled.level == .warning)
            #expect(throttled.metadata["clarifai.cause"]?.description == "server")
            #expect(Double(throttled.metadata["clarifai.wait_ms"]?.description ?? "") != nil)
            let failed = try #require(entries.last)
            #expect(failed.level == .warning)
            #expect(failed.metadata["clarifai.outcome"]?.description == "CONN_THROTTLED")
            #expect(failed.metadata["clarifai.attempts"]?.description == "2")
            #expect(failed.metadata["clarifai.error"]?.description.isEmpty == false)
        }

        @Test func levelsCanBeChanged() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let (logger, handler) = logger()
            var levels = LoggingObserver.Levels()
            levels.problem = .info
            levels.success = .notice
            let observer = LoggingObserver(logger: logger, levels: levels)
            let client = try makeClient(emulator.endpoint, observer: observer, fault: "try-again") {
                $0.retryPolicy = .none
            }
            defer { client.close() }
            await #expect(throws: ClarifaiStatusError.self) { try await client.list() }
            let healthy = try makeClient(emulator.endpoint, observer: observer)
            defer { healthy.close() }
            _ = try await healthy.list()

            #expect(handler.entries.first { $0.message == "call failed" }?.level == .info)
            #expect(handler.entries.first { $0.message == "call finished" }?.level == .notice)
            #expect(handler.entries.allSatisfy { $0.level <= .notice })
        }

        /// GOAWAY with NO_ERROR is the server recycling its connection: info, with the frame's fields.
        @Test func aGracefulGoAwayIsInfo() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let (logger, handler) = logger()
            let client = try makeClient(emulator.endpoint, observer: LoggingObserver(logger: logger), fault: "goaway")
            defer { client.close() }
            _ = try await client.list()
            _ = try await client.list()

            #expect(await eventually { handler.entries.contains { $0.message == "GOAWAY received" } })
            let goAway = try #require(handler.entries.first { $0.message == "GOAWAY received" })
            #expect(goAway.level == .info)
            #expect(goAway.metadata["clarifai.http2_error_code"]?.description == "0")
            #expect(Int(goAway.metadata["clarifai.last_stream_id"]?.description ?? "") != nil)
            #expect(goAway.metadata["clarifai.protocol"]?.description == "h2")
            #expect(handler.entries.filter { $0.message == "call finished" }.count == 2)
        }

        @Test func aConnectFailureIsAWarning() async throws {
            let refusing = RefusingPort()
            let endpoint = "h2c://127.0.0.1:\(refusing.port)"
            let (logger, handler) = logger()
            let client = try makeClient(endpoint, observer: LoggingObserver(logger: logger)) {
                $0.retryPolicy = .none
                $0.defaultTimeout = .seconds(2)
            }
            defer { client.close() }
            await #expect(throws: (any Error).self) { try await client.list() }

            let failure = try #require(handler.entries.first { $0.message == "connect failed" })
            #expect(failure.level == .warning)
            #expect(failure.metadata["clarifai.error_kind"]?.description == "connect failed")
            let failed = try #require(handler.entries.first { $0.message == "call failed" })
            #expect(failed.metadata["clarifai.outcome"]?.description == "connect failed")
        }
    }
}
