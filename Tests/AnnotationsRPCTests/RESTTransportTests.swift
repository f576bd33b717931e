import AnnotationsEmulator
import AnnotationsRPC
import Foundation
import H2Transport
import ProtoWire
import SeedCatalog
import Synchronization
import TestPeers
import Testing

extension NetworkTests {
    /// The REST transport: the same typed calls as gRPC, over HTTP/2 and HTTP/1.1.
    @Suite(.timeLimit(.minutes(3)))
    struct RESTTransportTests {
        static let restTransports: [Transport] = [.rest, .restHTTP1]

        private func client(
            _ endpoint: String, _ transport: Transport, configure: (inout ClientConfiguration) -> Void = { _ in }
        ) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = endpoint
            configuration.key = "test-key"
            configuration.transport = transport
            configuration.userAppID = SeedScenarios.userAppID
            configuration.retryPolicy.initialBackoff = .milliseconds(5)
            configuration.defaultTimeout = .seconds(10)
            configure(&configuration)
            return try AnnotationsClient(configuration: configuration)
        }

        /// Ids the client or the emulator chose and timestamps differ from run to run.
        private static func normalized(_ json: String) -> String {
            json.replacingOccurrences(of: #""[0-9a-f]{32}""#, with: "\"<id>\"", options: .regularExpression)
                .replacingOccurrences(
                    of: #""\d{4}-\d\d-\d\dT[0-9:.]+Z""#, with: "\"<time>\"", options: .regularExpression)
        }

        private static func outcomes(_ results: [(SeedScenario, Result<SeedScenario.Outcome, any Error>)]) -> [String] {
            results.map { scenario, result in
                switch result {
                case .success(let outcome): "\(scenario.method) \(scenario.title): \(normalized(outcome.json))"
                case .failure(let error): "\(scenario.method) \(scenario.title): FAILED \(error)"
                }
            }
        }

        @Test(arguments: restTransports)
        func everySeedScenarioGivesTheSameResultsAsGRPC(_ transport: Transport) async throws {
            let grpcEmulator = try Emulator()
            defer { grpcEmulator.stop() }
            let grpcClient = try client(grpcEmulator.endpoint, .grpc)
            defer { grpcClient.close() }
            let expected = RESTTransportTests.outcomes(await SeedScenarios.runAll(with: grpcClient))

            let restEmulator = try Emulator()
            defer { restEmulator.stop() }
            let restClient = try client(restEmulator.endpoint, transport)
            defer { restClient.close() }
            let actual = RESTTransportTests.outcomes(await SeedScenarios.runAll(with: restClient))

            #expect(expected.count == SeedScenarios.all.count)
            #expect(!expected.contains { $0.contains("FAILED") })
            for (grpc, rest) in zip(expected, actual) {
                #expect(grpc == rest)
            }
            // And the stores hold the same annotations in the end.
            let grpcStored = try await grpcClient.list(AnnotationQuery(listAllAnnotations: true, perPage: 128))
            let restStored = try await restClient.list(AnnotationQuery(listAllAnnotations: true, perPage: 128))
            #expect(
                grpcStored.map { RESTTransportTests.normalized($0.jsonString()) }
                    == restStored.map { RESTTransportTests.normalized($0.jsonString()) })
        }

        @Test(arguments: restTransports)
        func worksOverTLSWithTheCertificateVerified(_ transport: Transport) async throws {
            let tls = ServerTLSConfiguration(
                certificateFile: TestCertificates.path("server.pem"), keyFile: TestCertificates.path("server.key")
            )
            let emulator = try Emulator(tls: tls)
            defer { emulator.stop() }
            let endpoint = "https://localhost:\(emulator.tlsPort ?? 0)"
            let good = try client(endpoint, transport) {
                $0.tls = TLSConfiguration(caFile: TestCertificates.path("ca.pem"))
            }
            defer { good.close() }
            let posted = try await good.post([Annotation(inputID: "img 1/ä?", concepts: ["tree": 1])])
            let fetched = try await good.get(inputID: "img 1/ä?", annotationID: posted[0].id)
            #expect(fetched.id == posted[0].id)
            #expect(fetched.inputID == "img 1/ä?")

            let untrusted = try client(endpoint, transport) { $0.retryPolicy = .none }
            defer { untrusted.close() }
            do {
                _ = try await untrusted.list()
                Issue.record("an unknown CA was accepted")
            } catch let error as TransportError {
                #expect(error.kind == .tlsFailed)
                #expect(error.message.contains("certificate verify failed"))
            }
        }

        @Test(arguments: restTransports)
        func faultsOfTheEmulatorReachTheCallerAsOverGRPC(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let tryAgain = try client(emulator.endpoint, transport) {
                $0.metadata = [HeaderField(InjectedFault.headerName, "try-again")]
            }
            defer { tryAgain.close() }
            do {
                _ = try await tryAgain.post([Annotation(inputID: "i", concepts: ["tree": 1])])
                Issue.record("no error")
            } catch let error as ClarifaiStatusError {
                #expect(error.code == .tryAgain)
            }
            let badKey = try client(emulator.endpoint, transport) { $0.key = nil }
            defer { badKey.close() }
            do {
                _ = try await badKey.list()
                Issue.record("no error")
            } catch let error as ClarifaiStatusError {
                #expect(error.code == .connKeyInvalid)
            }
            let slow = try client(emulator.endpoint, transport) {
                $0.metadata = [HeaderField(InjectedFault.headerName, "sleep-ms=3000")]
                $0.retryPolicy = .none
            }
            defer { slow.close() }
            let started = ContinuousClock.now
            do {
                _ = try await slow.list(timeout: .milliseconds(500))
                Issue.record("no error")
            } catch let error as GRPCError {
                #expect(error.code == .deadlineExceeded)
            }
            #expect(ContinuousClock.now - started < .seconds(1))
            #expect(emulator.store.count(app: emulator.store.defaultApp) == 0)
        }

        @Test(arguments: restTransports)
        func keepAliveConnectionsAreReusedAndCallsRunConcurrently(_ transport: Transport) async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let counter = TrafficCounter()
            let client = try client(emulator.endpoint, transport) {
                $0.connection.trafficCounter = counter
                $0.connection.maxHTTP1Connections = 4
            }
            defer { client.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        _ = try await client.post([
                            Annotation(inputID: "input-\(index % 7)", concepts: ["c\(index)": 1])
                        ])
                    }
                }
                try await group.waitForAll()
            }
            var stored: [Annotation] = []
            for try await annotation in client.listAll() { stored.append(annotation) }
            #expect(stored.count == 200)
            #expect(Set(stored.map(\.id)).count == 200)
            #expect(counter.sent > 200 * 50)
            #expect(counter.received > 200 * 50)
        }
    }

    /// HTTP statuses with and without a Clarifai status body, as a real deployment or a proxy
    /// in front of it sends them.
    @Suite(.timeLimit(.minutes(2)))
    struct RESTErrorMappingTests {
        struct Case: Sendable, CustomStringConvertible {
            var status: Int
            var body: String
            var description: String { "HTTP \(status) \(body.isEmpty ? "empty" : String(body.prefix(30)))" }
        }

        static let cases: [Case] =
            [401, 404, 429, 500, 503].flatMap { status in
                [Case(status: status, body: ""), Case(status: status, body: "<html>upstream error</html>")]
            } + [
                Case(status: 401, body: #"{"status":{"code":11008,"description":"API key not found","req_id":"r1"}}"#),
                Case(
                    status: 404,
                    body: #"{"status":{"code":"CONN_DOES_NOT_EXIST","description":"Resource does not exist"}}"#),
                Case(status: 429, body: #"{"status":{"code":11005,"description":"Making too many requests"}}"#),
                Case(status: 500, body: #"{"status":{"code":10020,"description":"Failure"}}"#),
                Case(status: 503, body: #"{"status":{"code":10030,"description":"Try again"}}"#),
            ]

        final class RequestCounter: Sendable {
            let count = Atomic(0)
        }

        /// A server that answers every request with `answer`, counting the requests.
        private static func server(_ answer: Case, requests: RequestCounter) throws -> HTTPServer {
            try HTTPServer(host: "127.0.0.1", port: 0) { _ in
                requests.count.add(1, ordering: .relaxed)
                return ServerResponse(
                    status: answer.status,
                    headers: [
                        HeaderField("content-type", answer.body.hasPrefix("{") ? "application/json" : "text/html")
                    ],
                    body: Array(answer.body.utf8)
                )
            }
        }

        @Test(arguments: cases, [Transport.rest, .restHTTP1])
        func mapsToTheSameErrorModel(_ answer: Case, _ transport: Transport) async throws {
            let requests = RequestCounter()
            let server = try RESTErrorMappingTests.server(answer, requests: requests)
            defer { server.stop() }
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(server.port)"
            configuration.key = "k"
            configuration.transport = transport
            configuration.retryPolicy = RetryPolicy(maxAttempts: 2)
            configuration.retryPolicy.initialBackoff = .milliseconds(1)
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            var retried = false
            do {
                _ = try await client.list()
                Issue.record("no error")
            } catch let error as ClarifaiStatusError {
                let body = try MultiAnnotationResponse(jsonString: answer.body)
                #expect(error.code == body.status?.code)
                #expect(error.status.description == body.status?.description)
                retried = error.isRetryable
            } catch let error as GRPCError {
                #expect(!answer.body.hasPrefix("{"))
                let expected: GRPCError.Code =
                    switch answer.status {
                    case 401: .unauthenticated
                    case 404: .unimplemented
                    case 429, 503: .unavailable
                    default: .unknown
                    }
                #expect(error.code == expected)
                #expect(error.message.contains("HTTP \(answer.status)"))
                if !answer.body.isEmpty { #expect(error.message.contains("upstream error")) }
                retried = error.isRetryable
            }
            #expect(requests.count.load(ordering: .relaxed) == (retried ? 2 : 1))
        }

        @Test(arguments: [Transport.rest, .restHTTP1])
        func fieldsOfANewerServerAreSkipped(_ transport: Transport) async throws {
            let body =
                #"{"status":{"code":10000,"description":"Ok","future_status_field":1},"next_page_token":"x","#
                + #""annotations":[{"id":"a1","input_id":"i1","worker":{"user":{"id":"u"}},"brand_new":[1,2],"#
                + #""data":{"concepts":[{"id":"tree","value":0.5,"extra":true}]}}]}"#
            let server = try HTTPServer(host: "127.0.0.1", port: 0) { _ in
                ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/json")], body: Array(body.utf8))
            }
            defer { server.stop() }
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(server.port)"
            configuration.key = "k"
            configuration.transport = transport
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            let annotations = try await client.list()
            #expect(annotations.map(\.id) == ["a1"])
            #expect(annotations.first?.data?.concepts.first?.value == 0.5)
            // Strict everywhere else: the same JSON read directly is refused.
            #expect(throws: JSONError.self) { try MultiAnnotationResponse(jsonString: body) }
        }

        @Test(arguments: [Transport.rest, .restHTTP1])
        func aSuccessfulStatusWithAnUndecodableBodyIsAnInternalError(_ transport: Transport) async throws {
            let requests = RequestCounter()
            let server = try RESTErrorMappingTests.server(
                Case(status: 200, body: "{\"status\": [}"), requests: requests)
            defer { server.stop() }
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(server.port)"
            configuration.key = "k"
            configuration.transport = transport
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            await #expect(throws: GRPCError.self) { _ = try await client.list() }
            do {
                _ = try await client.list()
            } catch let error as GRPCError {
                #expect(error.code == .internal)
                #expect(error.message.contains("undecodable"))
            }
        }
    }
}
