import Foundation
import Testing

@testable import H2Transport

/// The server's HTTP/1.1 request reader (RFC 9112), byte vectors in, requests or refusals out.
struct HTTP1RequestParserTests {
    enum Outcome: Equatable {
        case request(method: String, path: String, body: String)
        case continueExpected
        case refused(Int)
    }

    /// Feeds `text` in pieces of `step` bytes; the events in order, a refusal ending them.
    private func events(_ text: String, step: Int = .max, maxHead: Int = 1024, maxBody: Int = 1 << 16) -> [Outcome] {
        var parser = HTTP1RequestParser(maxHeadSize: maxHead, maxBodySize: maxBody)
        let bytes = Array(text.utf8)
        var outcomes: [Outcome] = []
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + min(step, bytes.count))
            parser.append(bytes[offset..<end])
            offset = end
            do {
                while let event = try parser.next() {
                    switch event {
                    case .continueExpected: outcomes.append(.continueExpected)
                    case .request(let request):
                        outcomes.append(
                            .request(
                                method: request.method, path: request.path,
                                body: String(decoding: request.body, as: UTF8.self)))
                    }
                }
            } catch {
                outcomes.append(.refused(error.status))
                return outcomes
            }
        } while offset < bytes.count
        return outcomes
    }

    private func request(_ text: String) throws -> ServerRequest {
        var parser = HTTP1RequestParser(maxHeadSize: 1024, maxBodySize: 1 << 16)
        parser.append(Array(text.utf8))
        guard case .request(let request)? = try parser.next() else { throw ParseFailed() }
        return request
    }

    struct ParseFailed: Error {}

    // MARK: Accepted

    @Test(arguments: [1, 3, 1000])
    func contentLengthBodiesAndPipelinedRequests(step: Int) {
        let text = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b?q=1 HTTP/1.1\r\nhost: x\r\n\r\n"
        #expect(
            events(text, step: step) == [
                .request(method: "POST", path: "/a", body: "hello"), .request(method: "GET", path: "/b?q=1", body: ""),
            ])
    }

    @Test(arguments: [1, 2, 1000])
    func chunkedBodiesAreDecodedWithExtensionsAndTrailersSkipped(step: Int) {
        let text =
            "POST /c HTTP/1.1\r\nhost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5 ; a=\"b\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nx-trailer: 1\r\nother: 2\r\n\r\n"
            + "GET /next HTTP/1.1\r\nhost: x\r\n\r\n"
        #expect(
            events(text, step: step) == [
                .request(method: "POST", path: "/c", body: "Wikipedia in\r\n\r\nchunks."),
                .request(method: "GET", path: "/next", body: ""),
            ])
    }

    @Test func aChunkedRequestLosesItsTransferEncodingAndKeepsItsOtherFields() throws {
        let request = try request(
            "POST / HTTP/1.1\r\nhost: x\r\nx-a:  spaced value \t\r\ntransfer-encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"
        )
        #expect(request.headers == [HeaderField("host", "x"), HeaderField("x-a", "spaced value")])
        #expect(request.body == Array("z".utf8))
        #expect(request.httpVersion == "1.1")
    }

    @Test func connectionHeadersAreNormalised() throws {
        #expect(
            try request("GET / HTTP/1.1\r\nhost: x\r\nConnection: keep-alive, Close\r\n\r\n").headers["connection"]
                == "close")
        #expect(try request("GET / HTTP/1.1\r\nhost: x\r\nConnection: keep-alive\r\n\r\n").headers["connection"] == nil)
        #expect(try request("GET / HTTP/1.0\r\n\r\n").headers["connection"] == "close")
        #expect(try request("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n").headers["connection"] == nil)
    }

    @Test func emptyLinesBeforeARequestLineAreSkipped() {
        #expect(events("\r\n\r\nGET / HTTP/1.1\r\nhost: x\r\n\r\n") == [.request(method: "GET", path: "/", body: "")])
    }

    // MARK: Expect: 100-continue

    @Test(arguments: [1, 1000])
    func expectContinueIsAnsweredBeforeTheBodyArrives(step: Int) {
        var parser = HTTP1RequestParser(maxHeadSize: 1024, maxBodySize: 1 << 16)
        parser.append(Array("POST / HTTP/1.1\r\nhost: x\r\nexpect: 100-Continue\r\ncontent-length: 3\r\n\r\n".utf8))
        guard case .continueExpected? = try? parser.next() else {
            Issue.record("no 100-continue event")
            return
        }
        #expect((try? parser.next()) == nil)
        parser.append(Array("abc".utf8))
        guard case .request(let request)? = try? parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body == Array("abc".utf8))
    }

    @Test func expectContinueIsNotAnsweredWhenTheBodyCameAlreadyOrThereIsNone() {
        #expect(
            events("POST / HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 3\r\n\r\nabc")
                == [.request(method: "POST", path: "/", body: "abc")])
        #expect(
            events("GET / HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n\r\n") == [
                .request(method: "GET", path: "/", body: "")
            ])
        // RFC 9110 §10.1.1: ignored in HTTP/1.0.
        #expect(
            !events("POST / HTTP/1.0\r\nexpect: 100-continue\r\ncontent-length: 1\r\n\r\nz").contains(.continueExpected)
        )
        #expect(
            events("POST / HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ntransfer-encoding: chunked\r\n\r\n")
                == [.continueExpected])
    }

    @Test func aBodyTooLargeIsRefusedWithoutAskingForIt() {
        #expect(
            events("POST / HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 70000\r\n\r\n") == [
                .refused(413)
            ])
    }

    // MARK: Refused: framing (RFC 9112 §6.3)

    @Test(arguments: [
        // Content-Length: digits only, exactly one field.
        ("content-length: -1", 400), ("content-length: +5", 400), ("content-length: 5 5", 400),
        ("content-length: 0x5", 400),
        ("content-length: 5, 5", 400), ("content-length:", 400), ("content-length: 1e3", 400),
        ("content-length: 5\r\ncontent-length: 6", 400), ("content-length: 5\r\ncontent-length: 5", 400),
        ("content-length: 99999999999999999999999999", 413), ("content-length: 65537", 413),
        // Transfer-Encoding.
        ("transfer-encoding: chunked\r\ncontent-length: 5", 400),
        ("content-length: 5\r\ntransfer-encoding: chunked", 400),
        ("transfer-encoding: gzip", 400), ("transfer-encoding: chunked, gzip", 400),
        ("transfer-encoding: chunked, chunked", 400),
        ("transfer-encoding: chunked\r\ntransfer-encoding: chunked", 400), ("transfer-encoding: chunked,", 400),
        ("transfer-encoding: gzip, chunked", 501), ("transfer-encoding: identity", 400),
        // Field syntax.
        ("content-length : 5", 400), ("content-length\t: 5", 400), ("x a: 1", 400), (": 1", 400), ("no colon", 400),
        (" folded: 1", 400), ("x-a: 1\r\n continued", 400), ("x-a: a\u{01}b", 400), ("x-a: a\u{7f}", 400),
        ("x-a: bare\rcr", 400), ("x-a: bare\nlf", 400), ("x-a: nul\u{00}", 400),
        // Expectations other than 100-continue.
        ("expect: 200-ok", 417),
    ])
    func refusesAmbiguousHeads(field: String, status: Int) {
        let text = "POST / HTTP/1.1\r\nhost: x\r\n\(field)\r\n\r\nhello"
        #expect(events(text).last == .refused(status), "\(field.debugDescription)")
        #expect(events(text, step: 1).last == .refused(status), "\(field.debugDescription), a byte at a time")
    }

    @Test(arguments: [
        ("GET  / HTTP/1.1", 400), ("GET / HTTP/1.1 extra", 400), ("GET /", 400), ("GET / http/1.1", 400),
        ("G(T / HTTP/1.1", 400), ("GET /a\u{7f} HTTP/1.1", 400), ("GET / HTTP/2.0", 505), ("GET / HTTP/1.2", 505),
        (" GET / HTTP/1.1", 400), ("GET / HTTP/1.1 ", 400), ("", 400),
    ])
    func refusesMalformedRequestLines(line: String, status: Int) {
        #expect(events("\(line)\r\nhost: x\r\n\r\n").last == .refused(status), "\(line.debugDescription)")
    }

    @Test func transferEncodingIsRefusedInHTTP10() {
        #expect(events("POST / HTTP/1.0\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n") == [.refused(400)])
    }

    @Test(arguments: [
        "x\r\n", "-1\r\n", "+1\r\n", "0x1\r\n", " 1\r\n", "1 \r\nz\r\n0\r\n\r\n", "1\nz\r\n0\r\n\r\n", "1\r\nzz\r\n",
        "1\r\nz\n0\r\n\r\n",
        "1\r\nz\r\n0\r\nnot a field\r\n\r\n", "1\r\nz\r\n0\r\nx : y\r\n\r\n", "\r\n",
    ])
    func refusesBadChunks(chunks: String) {
        let text = "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n" + chunks
        #expect(events(text).last == .refused(400), "\(chunks.debugDescription)")
        #expect(events(text, step: 1).last == .refused(400), "\(chunks.debugDescription), a byte at a time")
    }

    @Test func theDecodedChunkedSizeCountsAgainstTheBodyLimit() {
        let head = "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
        let chunk = "400\r\n" + String(repeating: "a", count: 1024) + "\r\n"
        #expect(events(head + String(repeating: chunk, count: 4) + "0\r\n\r\n", maxBody: 4096).count == 1)
        #expect(events(head + String(repeating: chunk, count: 4) + "1\r\n", maxBody: 4096) == [.refused(413)])
        #expect(events(head + "fffffffffffffffffff\r\n", maxBody: 4096) == [.refused(413)])
    }

    @Test func headsAndTrailerSectionsHaveALimit() {
        let big = String(repeating: "a", count: 2000)
        #expect(events("GET / HTTP/1.1\r\nx: \(big)\r\n\r\n") == [.refused(431)])
        #expect(events("GET / HTTP/1.1\r\nx: \(big)", step: 100) == [.refused(431)])
        let trailers = "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n0\r\nx: \(big)\r\n\r\n"
        #expect(events(trailers) == [.refused(431)])
    }

    // MARK: Smuggling

    /// The classic CL.CL, CL.TE and TE.CL payloads: refused, and the request hidden in the
    /// body never comes out of the parser.
    @Test(arguments: [
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\ncontent-length: 44\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 6\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
        "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding : chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length : 35\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
    ])
    func smugglingAttemptsRunNoSecondRequest(text: String) {
        for step in [1, 7, Int.max] {
            let outcomes = events(text + "GET /after HTTP/1.1\r\nhost: x\r\n\r\n", step: step)
            #expect(outcomes == [.refused(400)], "\(text.debugDescription), step \(step)")
        }
    }

    @Test func nothingIsReadAfterARefusal() throws {
        var parser = HTTP1RequestParser(maxHeadSize: 1024, maxBodySize: 1024)
        parser.append(Array("GET / HTTP/1.1\r\nbad line\r\n\r\n".utf8))
        #expect(throws: HTTP1RequestParser.Refusal.self) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nhost: x\r\n\r\n".utf8))
        #expect(try parser.next() == nil)
    }

    // MARK: State seen by the connection

    @Test func partialRequestsAndHeadsAreReported() throws {
        var parser = HTTP1RequestParser(maxHeadSize: 1024, maxBodySize: 1024)
        #expect(!parser.hasPartialRequest && !parser.isReadingHead && parser.headsRead == 0)
        parser.append(Array("POST / HTTP/1.1\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialRequest && parser.isReadingHead)
        parser.append(Array("content-length: 2\r\n\r\na".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialRequest && !parser.isReadingHead && parser.headsRead == 1)
        parser.append(Array("b".utf8))
        #expect(try parser.next() != nil)
        #expect(!parser.hasPartialRequest && !parser.isReadingHead && parser.bufferedCount == 0)
    }
}

/// The connection's limits and the conversions that used to trap.
struct ServerLimitsTests {
    @Test func valuesOutOfRangeAreBroughtIntoIt() {
        var limits = ServerLimits()
        limits.maxHeaderListSize = -1
        limits.maxBodySize = .max
        limits.maxConnections = 0
        limits.maxConnectionsPerPeer = 5000
        limits.headerTimeout = .nan
        limits.idleTimeout = -.infinity
        let normalized = limits.normalized
        #expect(normalized.maxHeaderListSize == 1)
        #expect(normalized.maxBodySize == 1 << 40)
        #expect(normalized.maxConnections == 1)
        #expect(normalized.maxConnectionsPerPeer == 1)
        #expect(normalized.headerTimeout == ServerLimits().headerTimeout)
        #expect(normalized.idleTimeout == 0.001)
        #expect(ServerLimits().maxConnectionsPerPeer < ServerLimits().maxConnections)
    }

    @Test(
        arguments: [
            (0.0, Int32(0)), (-5, 0), (.nan, 0), (0.0001, 1), (0.25, 250), (3_000_000, .max), (.infinity, .max),
            (Double(Int32.max) / 1000 - 1, 2_147_482_647),
        ] as [(Double, Int32)])
    func pollWaitsNeverTrap(seconds: Double, milliseconds: Int32) {
        #expect(pollMilliseconds(seconds) == milliseconds)
    }

    @Test func peersAreAddressesOrIPv6Slash64s() {
        func peer(_ text: String) -> PeerAddress {
            var storage = sockaddr_storage()
            if text.contains(":") {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                _ = inet_pton(AF_INET6, text, &address.sin6_addr)
                withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                _ = inet_pton(AF_INET, text, &address.sin_addr)
                withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            }
            return PeerAddress(storage)
        }
        #expect(peer("127.0.0.1").bytes == [127, 0, 0, 1])
        #expect(peer("::ffff:127.0.0.1") == peer("127.0.0.1"))
        #expect(peer("127.0.0.2") != peer("127.0.0.1"))
        #expect(peer("2001:db8:1:2::1") == peer("2001:db8:1:2:ffff::9"))
        #expect(peer("2001:db8:1:3::1") != peer("2001:db8:1:2::1"))
        #expect(peer("::1") != peer("0.0.0.1"))
    }
}
