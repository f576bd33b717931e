import AnnotationsEmulator
import AnnotationsRPC
import H2Transport
import ProtoWire
import Testing

extension NetworkTests {
    /// The emulator's injected faults, end to end through the typed client over gRPC.
    @Suite(.timeLimit(.minutes(2)))
    struct EmulatorFaultTests {
        private func client(_ emulator: Emulator, fault: String) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = emulator.endpoint
            configuration.key = "test"
            configuration.metadata = [HeaderField("x-emulator-fault", fault)]
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            return try AnnotationsClient(configuration: configuration)
        }

        @Test func unavailableIsRetriedThenSurfaces() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            do {
                _ = try await client(emulator, fault: "unavailable").list()
                Issue.record("no error")
            } catch let error as GRPCError {
                #expect(error.code == .unavailable)
            }
        }

        @Test func tryAgainIsRetriedThenSurfacesAsAClarifaiStatus() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            do {
                _ = try await client(emulator, fault: "try-again").post([
                    Annotation(inputID: "i", concepts: ["tree": 1])
                ])
                Issue.record("no error")
            } catch let error as ClarifaiStatusError {
                #expect(error.code == .tryAgain)
            }
            #expect(emulator.store.count(app: emulator.store.defaultApp) == 0)
        }

        @Test func sleepMeetsTheDeadline() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            do {
                _ = try await client(emulator, fault: "sleep-ms=2000").list(timeout: .milliseconds(200))
                Issue.record("no error")
            } catch let error as GRPCError {
                #expect(error.code == .deadlineExceeded)
            }
        }

        /// A sleep of 35 days (whose milliseconds overflowed an Int32 in the connection's poll
        /// and took the process down) or any other value that is not a fault: refused with
        /// INVALID_ARGUMENT naming the header, and the emulator answers the next call.
        @Test(arguments: [
            "sleep-ms=3000000000", "sleep-ms=600001", "sleep-ms=+5", "sleep-ms=99999999999999999999999", "explode",
        ])
        func anUnknownFaultIsRefusedAndTheEmulatorLives(fault: String) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            do {
                _ = try await client(emulator, fault: fault).list()
                Issue.record("no error")
            } catch let error as GRPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("x-emulator-fault"))
            }
            #expect(try await client(emulator, fault: "").list().isEmpty)
            #expect(try await client(emulator, fault: "sleep-ms=1").list().isEmpty)
        }

        @Test func goAwayAfterAnAnswerDoesNotFailTheNextCall() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let client = try client(emulator, fault: "goaway")
            for index in 0..<3 {
                let stored = try await client.post([Annotation(inputID: "i\(index)", concepts: ["tree": 1])])
                #expect(stored.count == 1)
            }
            #expect(emulator.store.count(app: emulator.store.defaultApp) == 3)
        }
    }
}
