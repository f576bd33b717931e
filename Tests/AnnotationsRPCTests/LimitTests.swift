import AnnotationsEmulator
import AnnotationsRPC
import Foundation
import H2Transport
import ProtoWire
import Testing

extension NetworkTests {
    /// Limits on both sides: header list size, message size, concurrent streams, JSON nesting.
    /// Each is refused with a clear error, never a crash, a hang or unbounded memory.
    @Suite(.timeLimit(.minutes(2)))
    struct LimitTests {
        static let wires: [Transport] = [.grpc, .rest, .restHTTP1]

        /// A server answering every request with `response`.
        private func server(_ response: ServerResponse) throws -> HTTPServer {
            try HTTPServer(host: "127.0.0.1", port: 0) { _ in response }
        }

        private func client(
            _ port: Int, _ transport: Transport, _ configure: (inout ClientConfiguration) -> Void = { _ in }
        ) throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(port)"
            configuration.key = "k"
            configuration.transport = transport
            configuration.retryPolicy = .none
            configuration.defaultTimeout = .seconds(5)
            configure(&configuration)
            return try AnnotationsClient(configuration: configuration)
        }

        private func okResponse(for transport: Transport, extraHeader: Int = 0, annotations: Int = 0) -> ServerResponse
        {
            var message = MultiAnnotationResponse()
            message.status = Status(code: .success)
            message.annotations = (0..<annotations).map {
                Annotation(id: "a\($0)", inputID: "i", concepts: ["tree": 1])
            }
            var headers = extraHeader > 0 ? [HeaderField("x-padding", String(repeating: "p", count: extraHeader))] : []
            if transport == .grpc {
                headers.insert(HeaderField("content-type", "application/grpc"), at: 0)
                let bytes = message.serializedBytes()
                return ServerResponse(
                    status: 200, headers: headers, body: GRPCWire.frame(bytes),
                    trailers: [HeaderField("grpc-status", "0")])
            }
            headers.insert(HeaderField("content-type", "application/json"), at: 0)
            return ServerResponse(status: 200, headers: headers, body: message.jsonUTF8())
        }

        @Test(arguments: wires)
        func responseHeaderListsOverTheLimitAreRefused(_ transport: Transport) async throws {
            let server = try server(okResponse(for: transport, extraHeader: 4000))
            defer { server.stop() }
            let small = try client(server.port, transport) { $0.connection.maxResponseHeaderListSize = 1024 }
            defer { small.close() }
            await #expect { _ = try await small.list() } throws: { error in
                (error as? GRPCError)?.code == .resourceExhausted
            }
            let roomy = try client(server.port, transport)
            defer { roomy.close() }
            #expect(try await roomy.list().isEmpty)
        }

        @Test(arguments: wires)
        func responseMessagesOverTheLimitAreRefused(_ transport: Transport) async throws {
            let server = try server(okResponse(for: transport, annotations: 200))
            defer { server.stop() }
            let small = try client(server.port, transport) { $0.connection.maxResponseBodySize = 4096 }
            defer { small.close() }
            await #expect { _ = try await small.list() } throws: { error in
                (error as? GRPCError)?.code == .resourceExhausted
            }
            let roomy = try client(server.port, transport)
            defer { roomy.close() }
            #expect(try await roomy.list().count == 200)
        }

        @Test(arguments: [Transport.rest, .restHTTP1])
        func deeplyNestedJSONAnswersAreRefused(_ transport: Transport) async throws {
            let nested = String(repeating: "{\"a\":", count: 500) + "1" + String(repeating: "}", count: 500)
            let body = "{\"status\":{\"code\":10000},\"annotations\":[{\"id\":\"x\",\"annotation_info\":\(nested)}]}"
            let server = try server(
                ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/json")], body: Array(body.utf8)))
            defer { server.stop() }
            let client = try client(server.port, transport)
            defer { client.close() }
            await #expect { _ = try await client.list() } throws: { error in
                let error = error as? GRPCError
                return error?.code == .internal && error?.message.contains("nesting") == true
            }
        }

        @Test(arguments: wires)
        func theEmulatorRefusesOversizedRequests(_ transport: Transport) async throws {
            var limits = ServerLimits()
            limits.maxHeaderListSize = 2048
            limits.maxBodySize = 8192
            let emulator = try Emulator(limits: limits)
            defer { emulator.stop() }
            let port = emulator.port
            let bigHeader = try client(port, transport) {
                $0.metadata = [HeaderField("x-padding", String(repeating: "p", count: 4000))]
            }
            defer { bigHeader.close() }
            await #expect(throws: (any Error).self) { _ = try await bigHeader.list() }
            let plain = try client(port, transport)
            defer { plain.close() }
            let many = (0..<128).map { Annotation(inputID: "input-\($0)", concepts: ["concept-\($0)": 1]) }
            await #expect(throws: (any Error).self) { _ = try await plain.post(many) }
            #expect(emulator.store.count(app: emulator.store.defaultApp) == 0)
            // Within the limits the same server answers.
            #expect(try await plain.post(Array(many.prefix(2))).count == 2)
        }

        @Test func theEmulatorRefusesDeeplyNestedJSONWithAClarifaiStatus() async throws {
            let emulator = try Emulator()
            defer { emulator.stop() }
            let nested = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
            let body = "{\"annotations\":[{\"input_id\":\"i\",\"annotation_info\":{\"x\":\(nested)}}]}"
            let channel = HTTP1Channel(endpoint: try Endpoint(emulator.endpoint))
            defer { channel.close() }
            let response = try await channel.send(
                HTTP2Request(
                    method: "POST", path: "/v2/annotations",
                    headers: [HeaderField("authorization", "Key k"), HeaderField("content-type", "application/json")],
                    body: Array(body.utf8)
                ), deadline: .now + .seconds(5))
            #expect(response.status == 400)
            let answer = try MultiAnnotationResponse(jsonUTF8: response.body)
            #expect(answer.status?.code == .connInvalidRequest || answer.status?.code == .connBadRequestFormat)
            #expect(emulator.store.count(app: emulator.store.defaultApp) == 0)
        }

        @Test func theClientKeepsWithinTheEmulatorsConcurrentStreams() async throws {
            var limits = ServerLimits()
            limits.maxConcurrentStreams = 4
            let emulator = try Emulator(limits: limits)
            defer { emulator.stop() }
            let client = try client(emulator.port, .grpc) {
                $0.metadata = [HeaderField(InjectedFault.headerName, "sleep-ms=50")]
            }
            defer { client.close() }
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<24 { group.addTask { try await client.list().count } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.count == 24)
        }
    }
}
