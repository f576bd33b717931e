import Foundation
import Testing

@testable import H2Transport

/// The grpc interop cases that apply to unary calls, against Python grpcio, over h2c and TLS.
extension NetworkTests {
    @Suite(.timeLimit(.minutes(2)))
    struct InteropTests {
        enum Mode: String, CaseIterable, Sendable { case h2c, tls }

        /// One server per mode for the whole run (suites are instantiated per test).
        static let h2cPeer = Result { try PeerProcess("grpc_interop_server.py") }
        static let tlsPeer = Result {
            try PeerProcess(
                "grpc_interop_server.py",
                ["--tls", TestCertificates.path("server.pem"), TestCertificates.path("server.key")])
        }
        static let h2cChannel = Result { () throws -> GRPCChannel in
            GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: try h2cPeer.get().port, usesTLS: false))
        }
        static let tlsChannel = Result { () throws -> GRPCChannel in
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            let endpoint = Endpoint(host: "localhost", port: try tlsPeer.get().port, usesTLS: true)
            return GRPCChannel(endpoint: endpoint, configuration: configuration)
        }

        private func channel(_ mode: Mode) throws -> GRPCChannel {
            try (mode == .tls ? InteropTests.tlsChannel : InteropTests.h2cChannel).get()
        }

        private func json(_ object: [String: Any]) -> [UInt8] {
            [UInt8](try! JSONSerialization.data(withJSONObject: object))
        }

        @Test(arguments: Mode.allCases)
        func emptyUnary(mode: Mode) async throws {
            let response = try await channel(mode).unary(path: "/interop.Test/EmptyCall", request: [])
            #expect(response.message.isEmpty)
        }

        @Test(arguments: Mode.allCases)
        func largeUnary(mode: Mode) async throws {
            let response = try await channel(mode).unary(
                path: "/interop.Test/UnaryCall", request: [UInt8](repeating: 0, count: 271_828)
            )
            #expect(response.message == [UInt8](repeating: 0, count: 314_159))
        }

        @Test(arguments: Mode.allCases)
        func customMetadata(mode: Mode) async throws {
            let trailing: [UInt8] = [0xab, 0xab, 0xab]
            let response = try await channel(mode).unary(
                path: "/interop.Test/UnaryCall", request: [1, 2, 3],
                metadata: [
                    HeaderField("x-grpc-test-echo-initial", "test_initial_metadata_value"),
                    HeaderField(binary: "x-grpc-test-echo-trailing-bin", trailing),
                ]
            )
            #expect(response.message == [1, 2, 3])
            #expect(response.headers["x-grpc-test-echo-initial"] == "test_initial_metadata_value")
            #expect(response.trailers.first { $0.name == "x-grpc-test-echo-trailing-bin" }?.binaryValue == trailing)
        }

        @Test(arguments: Mode.allCases)
        func statusCodeAndMessage(mode: Mode) async throws {
            let error = await #expect(throws: GRPCError.self) {
                _ = try await self.channel(mode).unary(
                    path: "/interop.Test/Status", request: self.json(["code": 2, "message": "test status message"])
                )
            }
            #expect(error?.code == .unknown)
            #expect(error?.message == "test status message")
        }

        @Test(arguments: Mode.allCases)
        func specialStatusMessage(mode: Mode) async throws {
            let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
            let error = await #expect(throws: GRPCError.self) {
                _ = try await self.channel(mode).unary(
                    path: "/interop.Test/Status", request: self.json(["code": 2, "message": message])
                )
            }
            #expect(error?.code == .unknown)
            #expect(error?.message == message)
        }

        @Test(arguments: Mode.allCases)
        func unimplementedMethodAndService(mode: Mode) async throws {
            for path in ["/interop.Test/UnimplementedCall", "/interop.UnimplementedService/UnimplementedCall"] {
                let error = await #expect(throws: GRPCError.self) {
                    _ = try await self.channel(mode).unary(path: path, request: [])
                }
                #expect(error?.code == .unimplemented)
            }
        }

        @Test(arguments: Mode.allCases)
        func deadlineOnASleepingServer(mode: Mode) async throws {
            let channel = try channel(mode)
            _ = try await channel.unary(path: "/interop.Test/EmptyCall", request: [])  // connect first
            let start = ContinuousClock.now
            let error = await #expect(throws: GRPCError.self) {
                _ = try await channel.unary(
                    path: "/interop.Test/Sleep", request: self.json(["ms": 10000]), timeout: .seconds(1)
                )
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - start < .seconds(2), "not within 2× the deadline")
        }

        @Test func requestMetadataAsTheServerSeesIt() async throws {
            let response = try await channel(.h2c).unary(
                path: "/interop.Test/Metadata", request: [],
                metadata: [HeaderField("authorization", "Key abc")], timeout: .seconds(10)
            )
            let seen = try JSONSerialization.jsonObject(with: Data(response.message)) as? [String: Any]
            #expect(
                seen?["authorization"] as? String == "Key abc", "\(String(decoding: response.message, as: UTF8.self))")
            // grpcio appends its own product token to the client's user-agent.
            #expect((seen?["user-agent"] as? String)?.hasPrefix("clarifai-annotations-swift/") == true)
        }

        @Test func manyConcurrentCallsOnOneConnection() async throws {
            let channel = try channel(.h2c)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        let payload = Array("call-\(index)".utf8)
                        let response = try await channel.unary(path: "/interop.Test/UnaryCall", request: payload)
                        #expect(response.message == payload)
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
