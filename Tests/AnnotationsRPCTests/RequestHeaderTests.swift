import AnnotationsRPC
import H2Transport
import ProtoWire
import Synchronization
import Testing

extension NetworkTests {
    /// Headers every REST request carries, as a server receives them.
    @Suite(.timeLimit(.minutes(1)))
    struct RequestHeaderTests {
        final class Seen: Sendable {
            let headers = Mutex<[[HeaderField]]>([])
        }

        /// A server that records the headers of each request and answers an empty listing.
        private static func server(_ seen: Seen) throws -> HTTPServer {
            try HTTPServer(host: "127.0.0.1", port: 0) { request in
                seen.headers.withLock { $0.append(request.headers) }
                return ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/json")],
                    body: Array(#"{"status":{"code":10000,"description":"Ok"},"annotations":[]}"#.utf8))
            }
        }

        private static func client(_ port: Int, _ transport: Transport, key: String = "k") throws -> AnnotationsClient {
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(port)"
            configuration.key = key
            configuration.transport = transport
            configuration.retryPolicy = .none
            configuration.defaultTimeout = .seconds(10)
            return try AnnotationsClient(configuration: configuration)
        }

        /// gRPC (GRPCChannel) and REST over HTTP/1.1 (HTTP1Message) always sent one; REST over
        /// HTTP/2 sent none.
        @Test(arguments: [Transport.rest, .restHTTP1])
        func everyRESTRequestSendsTheUserAgent(_ transport: Transport) async throws {
            let seen = Seen()
            let server = try RequestHeaderTests.server(seen)
            defer { server.stop() }
            let client = try RequestHeaderTests.client(server.port, transport)
            defer { client.close() }
            _ = try await client.list()
            _ = try await client.list(AnnotationQuery(inputIDs: ["i1"]))
            let requests = seen.headers.withLock { $0 }
            #expect(requests.count == 2)
            for headers in requests {
                let agents = headers.filter { $0.name.lowercased() == "user-agent" }.map(\.value)
                #expect(agents == [ConnectionConfiguration().userAgent])
            }
        }

        /// A caller's own user-agent replaces ours rather than being sent next to it.
        @Test(arguments: [Transport.rest, .restHTTP1])
        func aUserAgentOfTheCallerIsSentAlone(_ transport: Transport) async throws {
            let seen = Seen()
            let server = try RequestHeaderTests.server(seen)
            defer { server.stop() }
            var configuration = ClientConfiguration()
            configuration.endpoint = "h2c://127.0.0.1:\(server.port)"
            configuration.key = "k"
            configuration.transport = transport
            configuration.metadata = [HeaderField("user-agent", "my-app/2.0")]
            let client = try AnnotationsClient(configuration: configuration)
            defer { client.close() }
            _ = try await client.list()
            let agents = seen.headers.withLock { $0 }.first?.filter { $0.name.lowercased() == "user-agent" }.map(
                \.value)
            #expect(agents == ["my-app/2.0"])
        }

        /// A key with a CR, an LF or another control character is refused before anything is
        /// sent, on every wire (HTTP/1.1 used to drop the CR LF and send the rest).
        @Test(arguments: [Transport.grpc, .rest, .restHTTP1], ["k\r\nx-injected: 1", "k\n", "k\u{0}", "kä"])
        func aKeyThatCannotBeAHeaderIsNeverSent(_ transport: Transport, _ key: String) async throws {
            let seen = Seen()
            let server = try RequestHeaderTests.server(seen)
            defer { server.stop() }
            let client = try RequestHeaderTests.client(server.port, transport, key: key)
            defer { client.close() }
            do {
                _ = try await client.list()
                Issue.record("sent")
            } catch let error as ValidationError {
                #expect(error.path == "key")
                #expect(!error.description.contains(key))
            }
            #expect(seen.headers.withLock { $0 }.isEmpty)
        }
    }
}
