import Foundation
import Testing

@testable import H2Transport

extension NetworkTests {
    /// The plain HTTP/2 request API (for REST) against our server.
    @Suite(.timeLimit(.minutes(1)))
    struct PlainRequestTests {
        @Test(arguments: [false, true])
        func requestsWithAndWithoutBodies(tls: Bool) async throws {
            let server = try HTTPServer(
                tls: tls
                    ? ServerTLSConfiguration(
                        certificateFile: TestCertificates.path("server.pem"),
                        keyFile: TestCertificates.path("server.key")) : nil
            ) { request in
                ServerResponse(
                    status: request.path == "/missing" ? 404 : 200,
                    headers: [HeaderField("x-method", request.method)],
                    body: Array(
                        "\(request.path) \(request.headers["accept"] ?? "-") \(String(decoding: request.body, as: UTF8.self))"
                            .utf8)
                )
            }
            defer { server.stop() }
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            let connection = try await HTTP2Connection.connect(
                to: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: server.port, usesTLS: tls),
                configuration: configuration
            )
            defer { connection.close() }
            let get = try await connection.send(
                HTTP2Request(
                    method: "GET", path: "/v2/annotations?page=2", headers: [HeaderField("accept", "application/json")])
            )
            #expect(get.status == 200)
            #expect(get.headers["x-method"] == "GET")
            #expect(String(decoding: get.body, as: UTF8.self) == "/v2/annotations?page=2 application/json ")
            let post = try await connection.send(
                HTTP2Request(method: "POST", path: "/v2/annotations", body: Array(#"{"a":1}"#.utf8)))
            #expect(String(decoding: post.body, as: UTF8.self) == #"/v2/annotations - {"a":1}"#)
            let missing = try await connection.send(HTTP2Request(method: "DELETE", path: "/missing"))
            #expect(missing.status == 404)
            #expect(missing.trailers.isEmpty)
        }
    }
}
