import Foundation
import TestPeers
import Testing

@testable import H2Transport

/// Misbehaving servers and refused certificates: each ends in a clear error, never a hang.
extension NetworkTests {
    @Suite(.serialized, .timeLimit(.minutes(3)))
    struct FaultTests {
        private func faultServer(_ mode: [String], tls: [String] = [], extra: [String] = []) throws -> PeerProcess {
            try PeerProcess("h2_fault_server.py", ["--mode"] + mode + tls + extra)
        }

        private func channel(
            _ peer: PeerProcess, tls: Bool = false, configure: (inout ConnectionConfiguration) -> Void = { _ in }
        ) -> GRPCChannel {
            var configuration = ConnectionConfiguration()
            configuration.connectTimeout = 5
            configure(&configuration)
            return GRPCChannel(
                endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: peer.port, usesTLS: tls),
                configuration: configuration)
        }

        /// A fresh path for the peer's `--record` file.
        private func temporaryRecord(_ name: String) -> String {
            FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).jsonl").path
        }

        /// The `event` of each line of a `--record` file, in order.
        private func recordedEvents(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["event"] as? String
            }
        }

        private func failure(_ channel: GRPCChannel, timeout: Duration = .seconds(10)) async -> GRPCError? {
            do {
                _ = try await channel.unary(path: "/interop.Test/UnaryCall", request: [1, 2, 3], timeout: timeout)
                return nil
            } catch {
                return error
            }
        }

        @Test func connectionRefused() async throws {
            let refusing = RefusingPort()
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: refusing.port, usesTLS: false))
            let error = await failure(channel)
            #expect(error?.code == .unavailable)
            #expect(error?.cause?.kind == .connectFailed)
            #expect(error?.message.contains("Connection refused") == true)
        }

        @Test func serverClosesMidResponse() async throws {
            let peer = try faultServer(["close-mid-response"])
            let error = await failure(channel(peer))
            #expect(error?.code == .unavailable)
            #expect(error?.cause?.kind == .connectionClosed)
        }

        @Test func goAwayAboveTheLastStreamIsRetriedOnANewConnection() async throws {
            let peer = try faultServer(["goaway"])
            let channel = channel(peer)
            _ = try await channel.unary(path: "/interop.Test/UnaryCall", request: [1], timeout: .seconds(10))
            // The second stream is above the GOAWAY's last stream id: never processed, so it is
            // sent again, transparently, on a new connection (whose first stream is answered).
            _ = try await channel.unary(path: "/interop.Test/UnaryCall", request: [2], timeout: .seconds(10))
        }

        /// A server that sends GOAWAY on every connection before any stream (a draining one)
        /// gets a few connections spaced by growing pauses, not a storm, and the call ends at
        /// its deadline: with one connection or a pool.
        @Test(arguments: [1, 4])
        func aServerThatSendsGoAwayAtOnceGetsNoConnectionStorm(maxConnections: Int) async throws {
            let record = temporaryRecord("goaway-at-once")
            let peer = try faultServer(["goaway-at-once"], extra: ["--record", record])
            let channel = channel(peer) { $0.maxConnections = maxConnections }
            defer { channel.close() }
            let start = ContinuousClock.now
            let error = await failure(channel, timeout: .seconds(2))
            #expect(error != nil)
            #expect(ContinuousClock.now - start < .seconds(4))
            let connections = try recordedEvents(record).filter { $0 == "connection" }.count
            // A connection that is not usable once open counts as a failed connect: gRPC's
            // connection backoff (1 s, then × 1.6) spaces the next ones: 2 or 3 in 2 s.
            #expect(connections >= 1 && connections <= 4, "\(connections) connections")
        }

        /// A server that takes one connection per client (a load balancer's per-client limit):
        /// the pool's attempts to grow fail, and must fail no call, nor keep the channel from
        /// replacing its one connection once the server closed it.
        @Test func failedGrowthNeverBlocksReconnecting() async throws {
            let record = temporaryRecord("one-connection")
            let peer = try faultServer(
                ["max-concurrent", "100"],
                extra: ["--delay-ms", "30", "--one-connection", "--idle-close", "0.2", "--record", record]
            )
            let channel = channel(peer) {
                $0.maxConnections = 4
                $0.targetStreamsPerConnection = 1
            }
            defer { channel.close() }
            // Four at once: the pool tries to grow, and the server turns the new connections away.
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        let error = await failure(channel, timeout: .seconds(5))
                        #expect(error == nil, "call \(index): \(String(describing: error))")
                    }
                }
            }
            #expect(try recordedEvents(record).contains("turned-away"))
            // The server closes the idle connection; the next call connects again at once.
            try await Task.sleep(for: .milliseconds(600))
            let error = await failure(channel, timeout: .seconds(5))
            #expect(error == nil, "\(String(describing: error))")
        }

        @Test func refusedStreamIsRetriedAFewTimesThenUnavailable() async throws {
            let record = temporaryRecord("refuse")
            let peer = try faultServer(["refuse"], extra: ["--record", record])
            let error = await failure(channel(peer))
            #expect(error?.code == .unavailable)
            #expect(error?.isTransparentlyRetryable == true)
            let requests = try recordedEvents(record).filter { $0 == "request" }
            #expect(requests.count == 1 + HTTP2Channel.maxRefusedRetries)
        }

        /// Load balancers close connections idle past their timeout, with GOAWAY (nginx), a
        /// plain close or a reset (AWS NLB): the next call goes out on a new connection.
        @Test(arguments: ["goaway", "fin", "rst"])
        func aConnectionClosedWhileIdleIsReplacedWithoutAnError(style: String) async throws {
            let record = temporaryRecord("idle-\(style)")
            let peer = try faultServer(
                ["ok"], extra: ["--idle-close", "0.3", "--idle-close-style", style, "--record", record])
            let channel = channel(peer)
            defer { channel.close() }
            for call in 0..<3 {
                // Once the server has closed the idle connection (a call sent while it closes
                // may or may not have been processed: that is for the retry policy).
                let giveUp = ContinuousClock.now.advanced(by: .seconds(10))
                while try call > 0 && recordedEvents(record).filter({ $0 == "idle-close" }).count < call {
                    guard ContinuousClock.now < giveUp else { throw CancellationError() }  // never closed
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await Task.sleep(for: .milliseconds(100))
                _ = try await channel.unary(
                    path: "/interop.Test/UnaryCall", request: [UInt8(call)], timeout: .seconds(10))
            }
            let events = try recordedEvents(record)
            #expect(events.filter { $0 == "idle-close" }.count >= 2)
            #expect(events.filter { $0 == "request" }.count == 3)  // none failed and was sent again
        }

        @Test(arguments: [
            ("rst-cancel", GRPCError.Code.cancelled), ("rst-enhance-your-calm", .resourceExhausted),
            ("rst-internal", .internal),
        ])
        func rstStreamCodes(mode: String, expected: GRPCError.Code) async throws {
            let peer = try faultServer([mode])
            #expect(await failure(channel(peer))?.code == expected)
        }

        @Test(arguments: [
            (400, GRPCError.Code.internal), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
            (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown),
        ])
        func httpStatusWithoutGRPCStatus(status: Int, expected: GRPCError.Code) async throws {
            let peer = try faultServer(["http-status", String(status)])
            let error = await failure(channel(peer))
            #expect(error?.code == expected, "\(String(describing: error))")
        }

        @Test func trailersOnlyResponse() async throws {
            let peer = try faultServer(["trailers-only", "5", "no such annotation ☺"])
            let error = await failure(channel(peer))
            #expect(error?.code == .notFound)
            #expect(error?.message == "no such annotation ☺")
        }

        @Test func deadlineOnASilentServerResetsTheStream() async throws {
            let record = FileManager.default.temporaryDirectory.appendingPathComponent("silent-\(UUID()).jsonl").path
            let peer = try faultServer(["silent"], extra: ["--record", record])
            let channel = channel(peer)
            // Connect first (on a loaded machine connecting alone can take the whole deadline,
            // and a call whose deadline passes while connecting never reaches the server).
            _ = await failure(channel, timeout: .seconds(2))
            let start = ContinuousClock.now
            let error = await failure(channel, timeout: .milliseconds(500))
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - start < .seconds(1), "not within 2× the deadline")
            var log = ""
            for _ in 0..<40 where !log.contains("rst-received") {
                try await Task.sleep(for: .milliseconds(50))
                log = (try? String(contentsOfFile: record, encoding: .utf8)) ?? ""
            }
            #expect(
                log.contains(#""event": "rst-received""#) && log.contains("CANCEL"),
                "the server saw no RST_STREAM(CANCEL): \(log)")
            // Request headers in the order of gRPC's PROTOCOL-HTTP2.md.
            #expect(
                log.contains(
                    #"[[":method", "POST"], [":scheme", "http"], [":path", "/interop.Test/UnaryCall"], [":authority", "#
                ))
            #expect(
                log.contains(
                    #"["grpc-timeout", "500000u"], ["content-type", "application/grpc"], ["te", "trailers"], ["user-agent", "#
                ))
        }

        @Test func queuesBeyondTheServersConcurrencyLimit() async throws {
            let peer = try faultServer(["max-concurrent", "4"])
            let channel = channel(peer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let payload: [UInt8] = [UInt8(index)]
                        let response = try await channel.unary(
                            path: "/interop.Test/UnaryCall", request: payload, timeout: .seconds(20))
                        #expect(response.message == payload)
                    }
                }
                try await group.waitForAll()
            }
            let output = peer.stop()
            let maxOpen = output.split(separator: "\n").last { $0.hasPrefix("MAXOPEN ") }.flatMap {
                Int($0.dropFirst(8))
            }
            #expect(maxOpen != nil && maxOpen! <= 4, "server saw \(output)")
        }

        @Test func responseLargerThanTheLimit() async throws {
            let peer = try PeerProcess("grpc_interop_server.py")
            let channel = channel(peer) { $0.maxResponseBodySize = 1 << 20 }
            let request = Array(#"{"bytes": 2000000}"#.utf8)
            do {
                _ = try await channel.unary(path: "/interop.Test/Sized", request: request, timeout: .seconds(10))
                Issue.record("a 2 MB response was accepted with a 1 MiB limit")
            } catch {
                #expect(error.code == .resourceExhausted)
            }
            // The connection is still usable afterwards.
            let small = try await channel.unary(path: "/interop.Test/Sized", request: Array(#"{"bytes": 10}"#.utf8))
            #expect(small.message.count == 10)
        }

        /// The server's SETTINGS arrive in the same segment as the end of the TLS handshake, so
        /// OpenSSL reads them ahead while finishing it; the server then says nothing for 4 s.
        /// The client must find the SETTINGS in OpenSSL's buffer, not wait on the socket.
        @Test func settingsReadAheadWithTheHandshake() async throws {
            let peer = try PeerProcess(
                "h2_early_settings_server.py",
                [
                    "--tls", TestCertificates.path("server.pem"), TestCertificates.path("server.key"), "--quiet", "4",
                ])
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            configuration.connectTimeout = 2
            let start = ContinuousClock.now
            let connection = try await HTTP2Connection.connect(
                to: Endpoint(host: "localhost", port: peer.port, usesTLS: true), configuration: configuration
            )
            defer { connection.close() }
            #expect(ContinuousClock.now - start < .seconds(1))
            let response = try await connection.send(
                HTTP2Request(
                    method: "POST", path: "/x.Y/Echo",
                    headers: [HeaderField("content-type", "application/grpc"), HeaderField("te", "trailers")],
                    body: [0, 0, 0, 0, 3, 7, 8, 9]
                ), deadline: .now + .seconds(10))
            #expect(response.status == 200)
            #expect(response.body == [0, 0, 0, 0, 3, 7, 8, 9])
        }

        @Test func serverThatRefusesH2InALPN() async throws {
            let peer = try faultServer(
                ["ok"], tls: ["--tls", TestCertificates.path("server.pem"), TestCertificates.path("server.key")],
                extra: ["--alpn", "http/1.1"]
            )
            let error = await failure(channel(peer, tls: true) { $0.tls.caFile = TestCertificates.path("ca.pem") })
            #expect(error?.code == .unavailable)
            #expect(error?.cause?.kind == .alpnMismatch || error?.cause?.kind == .tlsFailed)
        }

        @Test(
            arguments: [
                ("selfsigned", "self-signed certificate", "selfsigned.pem"),
                ("expired", "certificate has expired", nil),
                ("wrong-host", "hostname mismatch", nil),
            ] as [(String, String, String?)])
        func badCertificatesAreRefusedByDefault(name: String, reason: String, acceptingCA: String?) async throws {
            let peer = try faultServer(
                ["ok"], tls: ["--tls", TestCertificates.path("\(name).pem"), TestCertificates.path("\(name).key")])
            // Trusting only our test CA: refused, with OpenSSL's own reason.
            let strict = await failure(channel(peer, tls: true) { $0.tls.caFile = TestCertificates.path("ca.pem") })
            #expect(strict?.code == .unavailable)
            #expect(strict?.cause?.kind == .tlsFailed)
            #expect(strict?.message.contains(reason) == true, "\(String(describing: strict))")
            // The system trust store refuses it too.
            #expect(await failure(channel(peer, tls: true))?.cause?.kind == .tlsFailed)
            if let acceptingCA {
                _ = try await channel(peer, tls: true) { $0.tls.caFile = TestCertificates.path(acceptingCA) }
                    .unary(path: "/interop.Test/UnaryCall", request: [1], timeout: .seconds(10))
            }
            // Only an explicit opt-out accepts every one of them.
            _ = try await channel(peer, tls: true) { $0.tls.verifiesPeer = false }
                .unary(path: "/interop.Test/UnaryCall", request: [1], timeout: .seconds(10))
        }

        @Test func unansweredKeepalivePingFailsTheConnection() async throws {
            let peer = try faultServer(["blackhole"])
            let channel = channel(peer) {
                $0.keepaliveInterval = 0.3
                $0.keepaliveTimeout = 0.5
            }
            let start = ContinuousClock.now
            let error = await failure(channel, timeout: .seconds(20))
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("keepalive PING unanswered") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - start < .seconds(5))
        }

        @Test func aDeadlineOnAnUnresponsiveConnectionRetiresIt() async throws {
            // Keepalive off (the default): the PING sent when the first deadline passes goes
            // unanswered, so the connection is closed and the next call does not wait on it.
            let peer = try faultServer(["blackhole"])
            let channel = channel(peer) { $0.unresponsiveTimeout = 0.5 }
            #expect(await failure(channel, timeout: .milliseconds(300))?.code == .deadlineExceeded)
            let connection = try await HTTP2Connection.connect(
                to: Endpoint(host: "127.0.0.1", port: peer.port, usesTLS: false),
                configuration: {
                    var c = ConnectionConfiguration()
                    c.unresponsiveTimeout = 0.5
                    return c
                }()
            )
            defer { connection.close() }
            await #expect(throws: TransportError.self) {
                _ = try await connection.send(
                    HTTP2Request(method: "POST", path: "/x"), deadline: .now + .milliseconds(300))
            }
            #expect(connection.isUsable)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(!connection.isUsable)
        }

        @Test func tooManyPingsDoublesTheKeepaliveInterval() async throws {
            // grpcio's default policy answers frequent idle PINGs with GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
            let peer = try PeerProcess("grpc_interop_server.py")
            let channel = channel(peer) { $0.keepaliveInterval = 0.3 }
            _ = try await channel.unary(path: "/interop.Test/EmptyCall", request: [], timeout: .seconds(5))
            try await Task.sleep(for: .seconds(3))
            _ = try await channel.unary(path: "/interop.Test/EmptyCall", request: [], timeout: .seconds(5))
            #expect(channel.currentKeepaliveInterval == 0.6)
        }

        @Test func cancellingAThousandInFlightCalls() async throws {
            let peer = try PeerProcess("grpc_interop_server.py")
            let channel = channel(peer)
            _ = try await channel.unary(path: "/interop.Test/EmptyCall", request: [])
            let sleep = Array(#"{"ms": 20000}"#.utf8)
            let start = ContinuousClock.now
            let outcomes = await withTaskGroup(of: GRPCError.Code?.self) { group in
                for _ in 0..<1000 {
                    group.addTask { () -> GRPCError.Code? in
                        do {
                            _ = try await channel.unary(
                                path: "/interop.Test/Sleep", request: sleep, timeout: .seconds(60))
                            return nil
                        } catch let error as GRPCError {
                            return error.code
                        } catch {
                            return .unknown
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(500))
                group.cancelAll()
                var codes: [GRPCError.Code?] = []
                for await code in group { codes.append(code) }
                return codes
            }
            #expect(outcomes.count == 1000)
            #expect(outcomes.allSatisfy { $0 == .cancelled })
            #expect(ContinuousClock.now - start < .seconds(10))
            // The connection survives: a new call still works.
            _ = try await channel.unary(path: "/interop.Test/EmptyCall", request: [], timeout: .seconds(10))
        }
    }
}
