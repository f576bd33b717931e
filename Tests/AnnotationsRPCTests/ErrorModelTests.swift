import AnnotationsRPC
import H2Transport
import ProtoWire
import Testing

extension NetworkTests {
    /// Each Clarifai and gRPC outcome surfaces as the right error, retried exactly where it should.
    @Suite(.timeLimit(.minutes(3)))
    struct ErrorModelTests {
        let tree = Annotation(inputID: "input-1", concepts: ["tree": 1])

        private func postFailure(_ server: V2Server, client: AnnotationsClient? = nil) async throws -> (any Error)? {
            do {
                _ = try await (client ?? server.client()).post([tree])
                return nil
            } catch {
                return error
            }
        }

        @Test func successIsNotAnError() async throws {
            let server = try V2Server(script: [#"{"status": 10000}"#])
            _ = try await server.client().post([tree])
            #expect(server.records().count == 1)
        }

        @Test func mixedStatusExposesEachAnnotationsStatus() async throws {
            let server = try V2Server(script: [#"{"status": 10010, "items": [24150, 24152]}"#])
            let second = Annotation(inputID: "input-2", concepts: ["water": 0])
            do {
                _ = try await server.client().post([tree, second])
                Issue.record("MIXED_STATUS was not an error")
            } catch let error as ClarifaiStatusError {
                #expect(error.code == .mixedStatus)
                #expect(error.items.map { $0.status?.code } == [.annotationSuccess, .annotationFailed])
                #expect(error.items.map(\.inputID) == ["input-1", "input-2"])
                #expect(!error.isRetryable)
            }
            #expect(server.records().count == 1)
        }

        @Test(arguments: [StatusCode.failure, .connInvalidRequest, .connKeyInvalid])
        func permanentStatusesAreNotRetried(code: StatusCode) async throws {
            let server = try V2Server(script: [#"{"status": \#(code.rawValue), "description": "scripted"}"#])
            let error = try await postFailure(server) as? ClarifaiStatusError
            #expect(error?.code == code)
            #expect(error?.isRetryable == false)
            #expect(server.records().count == 1)
        }

        @Test(arguments: [StatusCode.tryAgain, .connThrottled, .connExceedHourlyLimit])
        func transientStatusesAreRetriedWithoutDuplicates(code: StatusCode) async throws {
            let server = try V2Server(script: [#"{"status": \#(code.rawValue)}"#, #"{"status": \#(code.rawValue)}"#])
            let client = try server.client()
            let stored = try await client.post([tree])
            #expect(server.records().count == 3)
            // Every attempt carried the same client-chosen id, and one annotation exists.
            let ids = Set(
                server.records().map { try! PostAnnotationsRequest(serializedBytes: $0.request).annotations[0].id })
            #expect(ids.count == 1)
            #expect(try await client.list().map(\.id) == stored.map(\.id))
        }

        @Test func retriesStopAtTheLimit() async throws {
            let server = try V2Server(script: Array(repeating: #"{"status": 10030}"#, count: 10))
            let error = try await postFailure(server) as? ClarifaiStatusError
            #expect(error?.code == .tryAgain)
            #expect(server.records().count == 4)  // RetryPolicy().maxAttempts
        }

        @Test func missingKeyIsConnKeyInvalid() async throws {
            let server = try V2Server()
            let error = try await postFailure(server, client: server.client(key: nil)) as? ClarifaiStatusError
            #expect(error?.code == .connKeyInvalid)
        }

        @Test func pendingAnnotationsAreResultsNotErrors() async throws {
            let server = try V2Server()
            var pending = Annotation(inputID: "input-1", concepts: ["tree": 1])
            pending.userID = "{USER_ID_OF_ANNOTATOR}"
            pending.status = Status(code: .annotationPending)
            let stored = try await server.client().post([pending])
            #expect(stored.first?.status?.code == .annotationPending)
        }

        @Test func unavailableIsRetried() async throws {
            let server = try V2Server(script: [#"{"grpc": 14, "message": "try later"}"#])
            _ = try await server.client().post([tree])
            #expect(server.records().count == 2)
        }

        @Test func unavailableUntilTheLimitIsAGRPCError() async throws {
            let server = try V2Server(script: Array(repeating: #"{"grpc": 14, "message": "down"}"#, count: 10))
            let error = try await postFailure(server) as? GRPCError
            #expect(error?.code == .unavailable)
            #expect(error?.message == "down")
            #expect(server.records().count == 4)
        }

        @Test func unauthenticatedIsNotRetried() async throws {
            let server = try V2Server(script: [#"{"grpc": 16, "message": "who are you"}"#])
            let error = try await postFailure(server) as? GRPCError
            #expect(error?.code == .unauthenticated)
            #expect(server.records().count == 1)
        }

        @Test func deadlineSpansTheCall() async throws {
            let server = try V2Server(script: [#"{"sleep_ms": 3000}"#])
            let client = try server.client()
            let start = ContinuousClock.now
            do {
                _ = try await client.post([tree], timeout: .milliseconds(300))
                Issue.record("no deadline")
            } catch let error as GRPCError {
                #expect(error.code == .deadlineExceeded)
            }
            #expect(ContinuousClock.now - start < .seconds(1))
        }

        @Test func aLostAnswerIsRetriedAndTheAlreadyStoredAnnotationReturned() async throws {
            // The first attempt is stored but its answer lost; the retry meets "already exists".
            let server = try V2Server(script: [#"{"then_grpc": 14}"#])
            let client = try server.client()
            let stored = try await client.post([tree])
            #expect(stored.count == 1)
            #expect(stored.first?.inputID == "input-1")
            let all = try await client.list()
            #expect(all.count == 1, "a duplicate was created: \(all.map(\.id))")
            #expect(all.first?.id == stored.first?.id)
        }

        @Test func transportFailuresAreTransportErrors() async throws {
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:1"
            configuration.retryPolicy = .none
            let client = try AnnotationsClient(configuration: configuration)
            do {
                _ = try await client.list()
                Issue.record("connected to port 1")
            } catch let error as TransportError {
                #expect(error.kind == .connectFailed)
                #expect(error.isRetryable)
            }
        }

        @Test func theKeyNeverAppearsInAnError() async throws {
            let secret = "sk-\(AnnotationsClientTestsSecret.value)"
            let server = try V2Server(script: [#"{"status": 11008}"#, #"{"grpc": 16, "message": "no"}"#])
            let client = try server.client(key: secret) { $0.retryPolicy = .none }
            for _ in 0..<2 {
                do {
                    _ = try await client.list()
                } catch {
                    #expect(!"\(error)".contains(secret))
                    #expect(!String(reflecting: error).contains(secret))
                }
            }
        }
    }
}

enum AnnotationsClientTestsSecret {
    static let value = "0123456789abcdef0123456789abcdef"
}
