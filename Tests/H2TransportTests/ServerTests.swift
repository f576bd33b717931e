import Foundation
import Testing

@testable import H2Transport

extension NetworkTests {
    /// The server side: our client, curl and nghttp2's own tools against `HTTPServer`.
    @Suite(.timeLimit(.minutes(2)))
    struct ServerTests {
        /// A gRPC echo: answers the request message framed, with `grpc-status: 0` in trailers;
        /// `/fail` answers Trailers-Only NOT_FOUND; `/slow` answers after 1 s.
        static let handler: HTTPServer.Handler = { request in
            if request.path.hasSuffix("/fail") {
                var response = ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/grpc")],
                    trailers: [HeaderField("grpc-status", "5"), HeaderField("grpc-message", "no%20such%20thing")]
                )
                response.trailersOnly = true
                return response
            }
            if request.headers["content-type"] == "application/grpc" {
                var response = ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "application/grpc")], body: request.body,
                    trailers: [HeaderField("grpc-status", "0")]
                )
                if request.path.hasSuffix("/slow") { response.delay = 1 }
                return response
            }
            return ServerResponse(
                status: 200, headers: [HeaderField("content-type", "text/plain")],
                body: Array(
                    "\(request.method) \(request.path) HTTP/\(request.httpVersion) \(String(decoding: request.body, as: UTF8.self))"
                        .utf8))
        }

        @Test(arguments: [false, true])
        func grpcThroughOurClient(tls: Bool) async throws {
            let server = try HTTPServer(
                tls: tls
                    ? ServerTLSConfiguration(
                        certificateFile: TestCertificates.path("server.pem"),
                        keyFile: TestCertificates.path("server.key")) : nil,
                handler: ServerTests.handler
            )
            defer { server.stop() }
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            let channel = GRPCChannel(
                endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: server.port, usesTLS: tls),
                configuration: configuration)
            let large = [UInt8]((0..<300_000).map { UInt8($0 % 251) })
            #expect(try await channel.unary(path: "/x.Y/Echo", request: [1, 2, 3]).message == [1, 2, 3])
            #expect(try await channel.unary(path: "/x.Y/Echo", request: large).message == large)
            do {
                _ = try await channel.unary(path: "/x.Y/fail", request: [])
                Issue.record("no error")
            } catch {
                #expect(error.code == .notFound)
                #expect(error.message == "no such thing")
            }
        }

        @Test func aDelayedResponseDoesNotHoldUpOthers() async throws {
            let server = try HTTPServer(handler: ServerTests.handler)
            defer { server.stop() }
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
            _ = try await channel.unary(path: "/x.Y/Echo", request: [0])
            async let slow = channel.unary(path: "/x.Y/slow", request: [1])
            try await Task.sleep(for: .milliseconds(50))
            let start = ContinuousClock.now
            #expect(try await channel.unary(path: "/x.Y/Echo", request: [2]).message == [2])
            #expect(ContinuousClock.now - start < .milliseconds(700))
            #expect(try await slow.message == [1])
        }

        /// Many calls at once, some of them large: over TLS, answers arrive as runs of records
        /// read ahead together, often ending in part of a record.
        @Test(arguments: [false, true])
        func manyConcurrentStreams(tls: Bool) async throws {
            let server = try HTTPServer(
                tls: tls
                    ? ServerTLSConfiguration(
                        certificateFile: TestCertificates.path("server.pem"),
                        keyFile: TestCertificates.path("server.key")) : nil,
                handler: ServerTests.handler
            )
            defer { server.stop() }
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            let channel = GRPCChannel(
                endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: server.port, usesTLS: tls),
                configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let payload =
                            index % 10 == 0
                            ? [UInt8]((0..<(20_000 + index * 37)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
                            : Array("m\(index)".utf8)
                        let response = try await channel.unary(path: "/x.Y/Echo", request: payload)
                        #expect(response.message == payload)
                    }
                }
                try await group.waitForAll()
            }
        }

        @Test func reconnectsAfterTheServerRestarts() async throws {
            var server = try HTTPServer(handler: ServerTests.handler)
            let port = server.port
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: port, usesTLS: false))
            #expect(try await channel.unary(path: "/x.Y/Echo", request: [1]).message == [1])
            server.stop()
            try await Task.sleep(for: .milliseconds(300))
            do {
                _ = try await channel.unary(path: "/x.Y/Echo", request: [2], timeout: .seconds(2))
                Issue.record("a call succeeded with the server down")
            } catch {
                #expect(error.code == .unavailable)
            }
            server = try HTTPServer(port: port, handler: ServerTests.handler)
            defer { server.stop() }
            // The channel reconnects by itself, within gRPC's connection backoff.
            var answered: [UInt8]?
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while answered == nil && ContinuousClock.now < deadline {
                answered = try? await channel.unary(path: "/x.Y/Echo", request: [3], timeout: .seconds(2)).message
                if answered == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(answered == [3])
        }

        private func curl(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "-sS", "--max-time", "10"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }

        @Test func http11KeepAliveAndH2cPriorKnowledgeWithCurl() throws {
            let server = try HTTPServer(handler: ServerTests.handler)
            defer { server.stop() }
            let base = "http://127.0.0.1:\(server.port)"
            // Two requests on one HTTP/1.1 connection (curl reuses it: "Re-using existing connection").
            let twice = try curl(["\(base)/a", "-d", "one", "--next", "\(base)/b", "-d", "two"])
            #expect(twice == "POST /a HTTP/1.1 onePOST /b HTTP/1.1 two")
            #expect(try curl(["--http2-prior-knowledge", "\(base)/c", "-d", "three"]) == "POST /c HTTP/2 three")
            #expect(try curl(["\(base)/d"]) == "GET /d HTTP/1.1 ")
        }

        @Test func tlsWithALPNForBothProtocols() throws {
            let server = try HTTPServer(
                tls: ServerTLSConfiguration(
                    certificateFile: TestCertificates.path("server.pem"), keyFile: TestCertificates.path("server.key")),
                handler: ServerTests.handler
            )
            defer { server.stop() }
            let url = "https://localhost:\(server.port)/e"
            let ca = ["--cacert", TestCertificates.path("ca.pem")]
            #expect(try curl(ca + ["--http2", url, "-d", "x"]) == "POST /e HTTP/2 x")
            #expect(try curl(ca + ["--http1.1", url, "-d", "y"]) == "POST /e HTTP/1.1 y")
        }

        /// Answers with the request's `connectionID`: a gRPC message of its decimal digits, or
        /// the digits as a plain-text body.
        static let connectionIDHandler: HTTPServer.Handler = { request in
            let digits = Array(String(request.connectionID).utf8)
            guard request.headers["content-type"] == "application/grpc" else {
                return ServerResponse(
                    status: 200, headers: [HeaderField("content-type", "text/plain")], body: digits + [0x0a])
            }
            return ServerResponse(
                status: 200, headers: [HeaderField("content-type", "application/grpc")], body: GRPCWire.frame(digits),
                trailers: [HeaderField("grpc-status", "0")]
            )
        }

        @Test func connectionIDsAreDistinctPerConnectionAndStableWithinOne() async throws {
            #expect(ServerRequest(method: "GET", path: "/").connectionID == 0)
            let server = try HTTPServer(handler: ServerTests.connectionIDHandler)
            defer { server.stop() }
            // HTTP/2: three calls on each of two channels (one connection each).
            var http2: [[Int]] = []
            for _ in 0..<2 {
                let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false))
                var ids: [Int] = []
                for _ in 0..<3 {
                    let message = try await channel.unary(path: "/x.Y/Who", request: [], timeout: .seconds(10)).message
                    ids.append(try #require(Int(String(decoding: message, as: UTF8.self))))
                }
                http2.append(ids)
                channel.close()
            }
            // HTTP/1.1: two requests on one keep-alive connection (curl reuses it), twice.
            let url = "http://127.0.0.1:\(server.port)/who"
            let http1 = try (0..<2).map { _ in
                try curl(["--http1.1", url, "--next", "--http1.1", url]).split(separator: "\n").map { Int($0) ?? -1 }
            }
            for ids in http2 + http1 {
                #expect(Set(ids).count == 1, "one connection, one id: \(ids)")
                #expect(ids.allSatisfy { $0 >= 1 })
            }
            let perConnection = (http2 + http1).map { $0[0] }
            #expect(Set(perConnection).count == 4, "a new id per connection: \(perConnection)")
            // Given out in the order the connections were accepted.
            #expect(perConnection == perConnection.sorted())
        }

        @Test func oversizedHTTP1HeadersAreRefused() throws {
            let server = try HTTPServer(handler: ServerTests.handler)
            defer { server.stop() }
            let huge = String(repeating: "a", count: 80_000)
            let output = try curl([
                "-o", "/dev/null", "-w", "%{http_code}", "-H", "x-big: \(huge)", "http://127.0.0.1:\(server.port)/",
            ])
            #expect(output == "431")
        }
    }
}
