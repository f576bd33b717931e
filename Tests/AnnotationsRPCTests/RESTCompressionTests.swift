import H2Transport
import Testing

@testable import AnnotationsRPC

/// REST content codings in the client: what `compression` adds to a request, and how an
/// answer that came gzip-compressed is read (at most to the response size limit).
struct RESTCompressionTests {
    static func request(bodySize: Int) -> HTTP2Request {
        HTTP2Request(
            method: "POST", path: "/v2/annotations", headers: [], body: [UInt8](repeating: 0x7b, count: bodySize))
    }

    @Test func aLargeBodyIsCompressedAndGzipAnswersAreAskedFor() throws {
        var request = Self.request(bodySize: 4096)
        RESTCompression.prepare(&request, .gzip, acceptsCompressed: true)
        #expect(request.headers["content-encoding"] == "gzip")
        #expect(request.headers["accept-encoding"] == "gzip")
        #expect(try Gzip.decompress(request.body, limit: 4096) == [UInt8](repeating: 0x7b, count: 4096))
    }

    @Test func aSmallBodyOrAStreamOrNoCompressionChangesLess() {
        var small = Self.request(bodySize: 100)
        RESTCompression.prepare(&small, .gzip, acceptsCompressed: true)
        #expect(small.headers["content-encoding"] == nil && small.body.count == 100)
        #expect(small.headers["accept-encoding"] == "gzip")
        var stream = Self.request(bodySize: 100)
        RESTCompression.prepare(&stream, .gzip, acceptsCompressed: false)
        #expect(stream.headers.isEmpty)
        var plain = Self.request(bodySize: 1 << 20)
        RESTCompression.prepare(&plain, .none, acceptsCompressed: true)
        #expect(plain.headers.isEmpty && plain.body.count == 1 << 20)
    }

    @Test func anEmptyBodyIsNeverCompressedNorInflated() throws {
        var empty = Self.request(bodySize: 0)
        RESTCompression.prepare(&empty, .gzip(minimumSize: 0), acceptsCompressed: true)
        #expect(empty.body.isEmpty && empty.headers["content-encoding"] == nil)
        var plainAgain = Self.request(bodySize: 4096)
        RESTCompression.prepare(&plainAgain, .gzip, acceptsCompressed: true, compressesBody: false)
        #expect(plainAgain.body.count == 4096 && plainAgain.headers["content-encoding"] == nil)
        let noContent = HTTP2Response(status: 204, headers: [HeaderField("content-encoding", "gzip")], body: [])
        #expect(try RESTCompression.inflated(noContent, limit: 10).body.isEmpty)
    }

    @Test func answersAreInflatedWithinTheLimit() throws {
        let json = Array(#"{"status":{"code":10000}}"#.utf8)
        let answer = HTTP2Response(
            status: 200, headers: [HeaderField("content-encoding", "gzip")], body: Gzip.compress(json))
        #expect(try RESTCompression.inflated(answer, limit: 1000).body == json)
        let plain = HTTP2Response(status: 200, headers: [], body: json)
        #expect(try RESTCompression.inflated(plain, limit: 1000).body == json)

        let bomb = HTTP2Response(
            status: 200, headers: [HeaderField("content-encoding", "GZIP")],
            body: Gzip.compress([UInt8](repeating: 0, count: 8 << 20)))
        let tooLarge = #expect(throws: TransportError.self) { try RESTCompression.inflated(bomb, limit: 1 << 20) }
        #expect(tooLarge?.kind == .responseTooLarge)
        #expect(GRPCError(tooLarge!).code == .resourceExhausted)

        let broken = HTTP2Response(status: 200, headers: [HeaderField("content-encoding", "gzip")], body: json)
        #expect(
            (#expect(throws: TransportError.self) { try RESTCompression.inflated(broken, limit: 1000) })?.kind
                == .protocolError)
        let other = HTTP2Response(status: 200, headers: [HeaderField("content-encoding", "br")], body: json)
        #expect(
            (#expect(throws: TransportError.self) { try RESTCompression.inflated(other, limit: 1000) })?.kind
                == .protocolError)
    }
}
