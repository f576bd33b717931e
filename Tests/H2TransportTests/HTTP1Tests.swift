import Foundation
import TestPeers
import Testing

@testable import H2Transport

/// The HTTP/1.1 response reader, byte vectors in and out.
struct HTTP1ResponseParserTests {
    /// Feeds `text` in pieces of `step` bytes; returns the response once complete.
    private func parse(
        _ text: String, step: Int = .max, isHead: Bool = false, limit: Int = 1 << 20, atEOF: Bool = false
    ) throws -> (HTTP2Response, Bool)? {
        var parser = HTTP1ResponseParser(isHeadRequest: isHead, maxBodySize: limit)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + min(step, bytes.count))
            bytes[offset..<end].withUnsafeBytes { parser.append($0) }
            offset = end
            if let result = try parser.parse() { return result }
        }
        return atEOF ? (try parser.endOfInput(), false) : nil
    }

    @Test(arguments: [1, 3, 1000])
    func contentLengthBodies(step: Int) throws {
        let (response, keepAlive) = try #require(
            try parse(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello", step: step))
        #expect(response.status == 201)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == Array("hello".utf8))
        #expect(keepAlive)
    }

    @Test(arguments: [1, 2, 1000])
    func chunkedBodiesWithExtensionsAndTrailers(step: Int) throws {
        let text =
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nx-t: 1\r\n\r\n"
        let (response, keepAlive) = try #require(try parse(text, step: step))
        #expect(String(decoding: response.body, as: UTF8.self) == "Wikipedia in\r\n\r\nchunks.")
        #expect(response.trailers == [HeaderField("x-t", "1")])
        #expect(keepAlive)
    }

    @Test func interimResponsesAreSkipped() throws {
        let (response, _) = try #require(
            try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"))
        #expect(response.status == 200)
        #expect(response.body == Array("ok".utf8))
    }

    @Test func connectionCloseAndHTTP10EndKeepAlive() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")?.1 == false)
        #expect(try parse("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n")?.1 == false)
        #expect(try parse("HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n")?.1 == true)
    }

    @Test func bodiesWithoutLengthLastUntilTheConnectionCloses() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\n\r\npartial") == nil)
        let (response, keepAlive) = try #require(try parse("HTTP/1.1 200 OK\r\n\r\nall of it", atEOF: true))
        #expect(response.body == Array("all of it".utf8))
        #expect(!keepAlive)
    }

    @Test func headResponsesAnd204HaveNoBody() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n", isHead: true)?.0.body == [])
        #expect(try parse("HTTP/1.1 204 No Content\r\n\r\n")?.0.status == 204)
    }

    @Test(arguments: [
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 200\tOK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\ncontent-length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
    ])
    func malformedResponsesAreProtocolErrors(_ text: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            (error as? TransportError)?.kind == .protocolError
        }
    }

    @Test func limitsAreEnforced() {
        #expect { _ = try parse("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n", limit: 10) } throws: {
            ($0 as? TransportError)?.kind == .responseTooLarge
        }
        #expect {
            _ = try parse("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", limit: 10)
        } throws: {
            ($0 as? TransportError)?.kind == .responseTooLarge
        }
        #expect { _ = try parse("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 11), limit: 10) } throws: {
            ($0 as? TransportError)?.kind == .responseTooLarge
        }
        #expect { _ = try parse("HTTP/1.1 200 OK\r\nx: " + String(repeating: "a", count: 70_000)) } throws: {
            ($0 as? TransportError)?.kind == .responseTooLarge
        }
    }

    @Test func anEarlyCloseIsAConnectionErrorRetryableOnlyBeforeTheFirstByte() throws {
        var parser = HTTP1ResponseParser(maxBodySize: 100)
        #expect { _ = try parser.endOfInput() } throws: { error in
            let error = error as? TransportError
            return error?.kind == .connectionClosed && error?.isRetryable == true
        }
        Array("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab".utf8).withUnsafeBytes { parser.append($0) }
        #expect(try parser.parse() == nil)
        #expect { _ = try parser.endOfInput() } throws: { error in
            let error = error as? TransportError
            return error?.kind == .connectionClosed && error?.isRetryable == false
        }
    }

    @Test func requestsCarryHostLengthAndNoInjectedLines() {
        let request = HTTP2Request(
            method: "PATCH", path: "/v2/annotations",
            headers: [
                HeaderField("authorization", "Key k\r\nx-evil: 1"), HeaderField(":authority", "x"),
                HeaderField("content-length", "9"),
            ], body: Array("{}".utf8))
        let text = String(decoding: HTTP1Message.request(request, authority: "h:1", userAgent: "ua"), as: UTF8.self)
        #expect(
            text
                == "PATCH /v2/annotations HTTP/1.1\r\nhost: h:1\r\nauthorization: Key kx-evil: 1\r\nuser-agent: ua\r\ncontent-length: 2\r\n\r\n{}"
        )
        let get = String(
            decoding: HTTP1Message.request(HTTP2Request(method: "GET", path: "/"), authority: "h", userAgent: "ua"),
            as: UTF8.self)
        #expect(get == "GET / HTTP/1.1\r\nhost: h\r\nuser-agent: ua\r\n\r\n")
    }
}

extension NetworkTests {
    /// `HTTP1Channel` against a raw Python HTTP/1.1 server (Tests/Peers/http1_server.py).
    @Suite(.timeLimit(.minutes(2)))
    struct HTTP1ChannelTests {
        private func channel(_ peer: PeerProcess, configure: (inout ConnectionConfiguration) -> Void = { _ in }) throws
            -> HTTP1Channel
        {
            var configuration = ConnectionConfiguration()
            configure(&configuration)
            return HTTP1Channel(endpoint: try Endpoint("h2c://127.0.0.1:\(peer.port)"), configuration: configuration)
        }

        private let request = HTTP2Request(method: "GET", path: "/v2/annotations")

        @Test(arguments: ["chunked", "until-close", "interim"])
        func readsEveryBodyFraming(_ mode: String) async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", mode])
            let channel = try channel(peer)
            defer { channel.close() }
            for _ in 0..<3 {
                let response = try await channel.send(request, deadline: .now + .seconds(5))
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self).contains("\"code\":10000"))
            }
            let stopped = peer.stop()
            // Keep-alive framings reuse one connection; until-close needs one per request.
            #expect(stopped.contains("CONNECTIONS \(mode == "until-close" ? 3 : 1)"))
        }

        @Test(arguments: ["close-idle", "drop-first"])
        func connectionsTheServerClosedAreNotReusedOrTheRequestIsRetriedOnce(_ mode: String) async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", mode])
            let channel = try channel(peer)
            defer { channel.close() }
            var resent: [Bool] = []
            for _ in 0..<4 {
                let response = try await channel.send(request, deadline: .now + .seconds(5))
                #expect(response.status == 200)
                resent.append(response.wasResent)
                try await Task.sleep(for: .milliseconds(150))
            }
            // A connection found closed before use is replaced, and nothing is sent twice.
            #expect(resent == [false, false, false, false])
        }

        /// A request lost with a reused connection (no byte of answer) is sent once more on a new
        /// one, and its answer says so: the first copy may have been processed, so an "already
        /// exists" may be about it (`AnnotationsClient.post` then lists what it posted).
        @Test func aResentRequestIsMarked() async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", "drop-second"])
            let channel = try channel(peer)
            defer { channel.close() }
            var resent: [Bool] = []
            for _ in 0..<3 {
                let response = try await channel.send(request, deadline: .now + .seconds(5))
                #expect(response.status == 200)
                resent.append(response.wasResent)
            }
            #expect(resent == [false, true, true])
        }

        @Test(arguments: [("garbage", TransportError.Kind.protocolError), ("huge-header", .responseTooLarge)])
        func malformedOrOversizedAnswersFailClearly(_ mode: String, _ kind: TransportError.Kind) async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", mode])
            let channel = try channel(peer)
            defer { channel.close() }
            await #expect { _ = try await channel.send(request, deadline: .now + .seconds(5)) } throws: { error in
                (error as? TransportError)?.kind == kind
            }
        }

        @Test func deadlinesAndCancellationEndTheWaitAndTheConnection() async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", "slow", "--delay-ms", "3000"])
            let channel = try channel(peer)
            defer { channel.close() }
            let started = ContinuousClock.now
            await #expect { _ = try await channel.send(request, deadline: .now + .milliseconds(500)) } throws: {
                error in
                (error as? TransportError)?.kind == .deadlineExceeded
            }
            #expect(ContinuousClock.now - started < .seconds(1))
            #expect(channel.openConnectionCount == 0)

            let task = Task { try await channel.send(request, deadline: .now + .seconds(10)) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let cancelledAt = ContinuousClock.now
            await #expect { _ = try await task.value } throws: { error in
                (error as? TransportError)?.kind == .cancelled
            }
            #expect(ContinuousClock.now - cancelledAt < .seconds(1))
        }

        @Test func requestsBeyondThePoolWaitForAFreeConnection() async throws {
            let peer = try PeerProcess("http1_server.py", ["--mode", "slow", "--delay-ms", "100"])
            let channel = try channel(peer) { $0.maxHTTP1Connections = 2 }
            defer { channel.close() }
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await channel.send(request, deadline: .now + .seconds(10)).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(channel.openConnectionCount == 2)
            // A waiter whose deadline passes while the pool is busy gives up in time.
            async let busy1 = channel.send(request, deadline: .now + .seconds(10))
            async let busy2 = channel.send(request, deadline: .now + .seconds(10))
            try await Task.sleep(for: .milliseconds(20))
            await #expect { _ = try await channel.send(request, deadline: .now + .milliseconds(30)) } throws: { error in
                (error as? TransportError)?.kind == .deadlineExceeded
            }
            _ = try await (busy1, busy2)
            #expect(peer.stop().contains("CONNECTIONS 2"))
        }

        @Test func refusedConnectionsAreRetryableTransportErrors() async throws {
            let channel = HTTP1Channel(endpoint: try Endpoint("h2c://127.0.0.1:1"))
            await #expect { _ = try await channel.send(request, deadline: .now + .seconds(5)) } throws: { error in
                (error as? TransportError)?.kind == .connectFailed
            }
            #expect(channel.openConnectionCount == 0)
        }
    }
}
