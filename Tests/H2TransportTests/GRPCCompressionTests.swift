import Foundation
import ProtoWire
import Synchronization
import TestPeers
import Testing

@testable import H2Transport

/// gRPC message compression as PROTOCOL-HTTP2.md negotiates it, for what a client reads: a
/// message flagged compressed is inflated when the stream's `grpc-encoding` is gzip, with the
/// size limit on what it inflates to; without an encoding it knows it is an error.
struct GRPCCompressionTests {
    @Test func aCompressedUnaryMessageIsInflated() throws {
        let message = Array("a message worth compressing, compressing, compressing".utf8)
        let body = GRPCWire.frameCompressed(message)
        #expect(try GRPCWire.unframeSingle(body, encoding: "gzip").get() == message)
        // Flag 0 is read as it is, whatever the encoding says.
        #expect(try GRPCWire.unframeSingle(GRPCWire.frame(message), encoding: "gzip").get() == message)
    }

    @Test(arguments: [nil, "identity", "deflate", "br"] as [String?])
    func aCompressedMessageWithoutGzipIsInternal(_ encoding: String?) {
        let error = #expect(throws: GRPCError.self) {
            try GRPCWire.unframeSingle(GRPCWire.frameCompressed([1, 2, 3]), encoding: encoding).get()
        }
        #expect(error?.code == .internal)
    }

    @Test func invalidFlagsAndBrokenMembersAreInternal() {
        var flagged = GRPCWire.frame([1])
        flagged[0] = 2
        #expect((try? GRPCWire.unframeSingle(flagged, encoding: "gzip").get()) == nil)
        var broken = GRPCWire.frame([0x1f, 0x8b, 8, 0, 0])
        broken[0] = 1
        let error = #expect(throws: GRPCError.self) { try GRPCWire.unframeSingle(broken, encoding: "gzip").get() }
        #expect(error?.code == .internal)
        #expect(error?.message.hasPrefix("compressed message: gzip:") == true)
    }

    @Test func aBombIsResourceExhaustedUnaryAndStreamed() throws {
        let bomb = GRPCWire.frameCompressed([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 100_000)
        let unary = #expect(throws: GRPCError.self) {
            try GRPCWire.unframeSingle(bomb, encoding: "gzip", maxMessageSize: 1 << 20).get()
        }
        #expect(unary?.code == .resourceExhausted)

        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20, encoding: "gzip")
        deframer.append(GRPCWire.frameCompressed([9, 9]) + bomb + GRPCWire.frameCompressed([8]))
        #expect(try deframer.next() == [9, 9])
        let streamed = #expect(throws: GRPCError.self) { try deframer.next() }
        #expect(streamed?.code == .resourceExhausted)
        // After a failure, the same error: the message after the bomb is never read.
        #expect(throws: GRPCError.self) { try deframer.next() }
    }

    @Test func theDeframerInflatesMessagesCutAnywhere() throws {
        let messages: [[UInt8]] = [[], Array("x".utf8), [UInt8](repeating: 5, count: 100_000), Array("last".utf8)]
        let body = messages.flatMap { GRPCWire.frameCompressed($0) }
        for cut in [1, 3, 7, 4096] {
            var deframer = GRPCMessageDeframer(encoding: "gzip")
            var read: [[UInt8]] = []
            for start in stride(from: 0, to: body.count, by: cut) {
                deframer.append(body[start..<min(start + cut, body.count)])
                while let message = try deframer.next() { read.append(message) }
            }
            try deframer.finish()
            #expect(read == messages, "cut \(cut)")
        }
    }
}

extension NetworkTests {
    /// Against grpcio's server with compression on: it compresses every answer to a client that
    /// accepts gzip, and a channel with compression on says it does.
    @Suite(.timeLimit(.minutes(2)))
    struct GRPCCompressionInteropTests {
        @Test func responsesOfACompressingServerAreInflated() async throws {
            let peer = try PeerProcess("clarifai_v2_server.py", ["--compression", "gzip"])
            // Compression on: the channel asks for compressed answers (and never does otherwise).
            var configuration = ConnectionConfiguration()
            configuration.compression = .gzip
            let channel = GRPCChannel(
                endpoint: Endpoint(host: "127.0.0.1", port: peer.port, usesTLS: false),
                configuration: configuration)
            var post = PostAnnotationsRequest()
            post.userAppID = UserAppIDSet(userID: "me", appID: "app")
            post.annotations = (0..<50).map { index in
                var annotation = Annotation()
                annotation.inputID = "input-\(index)"
                var data = ClarifaiData()
                data.concepts = [Concept(id: "a-concept-with-a-long-repeated-name", value: 1)]
                annotation.data = data
                return annotation
            }
            let metadata = [HeaderField("authorization", "Key test-key")]
            let posted = try await channel.unary(
                path: "/clarifai.api.V2/PostAnnotations", request: post.serializedBytes(), metadata: metadata,
                timeout: .seconds(10))
            #expect(posted.headers["grpc-encoding"] == "gzip")
            #expect(try MultiAnnotationResponse(serializedBytes: posted.message).annotations.count == 50)

            var list = ListAnnotationsRequest()
            list.userAppID = post.userAppID
            list.perPage = 100
            let stream = try await channel.serverStreaming(
                path: "/clarifai.api.V2/ListAnnotations", request: list.serializedBytes(), metadata: metadata,
                timeout: .seconds(10))
            #expect(stream.headers["grpc-encoding"] == "gzip")
            var listed: [MultiAnnotationResponse] = []
            for try await message in stream { listed.append(try MultiAnnotationResponse(serializedBytes: message)) }
            #expect(listed.count == 1)
            #expect(listed.first?.annotations.map(\.inputID).sorted() == (0..<50).map { "input-\($0)" }.sorted())
            channel.close()
            _ = peer.stop()
        }

        @Test func requestsToGrpcioAreCompressedOnceItSaysItReadsGzip() async throws {
            let peer = try PeerProcess("clarifai_v2_server.py")
            var configuration = ConnectionConfiguration()
            configuration.compression = .gzip(minimumSize: 0)
            let channel = GRPCChannel(
                endpoint: Endpoint(host: "127.0.0.1", port: peer.port, usesTLS: false),
                configuration: configuration)
            let knownAtFirst = channel.serverAcceptsGzip.load(ordering: .relaxed)
            #expect(!knownAtFirst)
            for index in 0..<3 {
                var post = PostAnnotationsRequest()
                post.userAppID = UserAppIDSet(userID: "me", appID: "app")
                var annotation = Annotation()
                annotation.inputID = "compressed-\(index)"
                post.annotations = [annotation]
                let answer = try await channel.unary(
                    path: "/clarifai.api.V2/PostAnnotations", request: post.serializedBytes(),
                    metadata: [HeaderField("authorization", "Key test-key")], timeout: .seconds(10))
                #expect(
                    try MultiAnnotationResponse(serializedBytes: answer.message).annotations.first?.inputID
                        == "compressed-\(index)")
                // grpcio says "identity, deflate, gzip" on every answer: the next requests go compressed.
                let accepts = channel.serverAcceptsGzip.load(ordering: .relaxed)
                #expect(accepts)
            }
            channel.close()
            _ = peer.stop()
        }
    }
}

/// What a client sends: requests compressed only when configured, large enough, and once the
/// server said it reads gzip; each seen by an in-process server that records the requests.
struct GRPCRequestCompressionTests {
    /// Every request the server saw: its `grpc-encoding` and its message as sent and inflated.
    final class Seen: Sendable {
        let requests = Mutex<[(encoding: String?, flag: UInt8, message: [UInt8])]>([])
        /// The `grpc-accept-encoding` of each request.
        let accepted = Mutex<[String?]>([])
    }

    /// Answers every call OK with an empty message, saying it reads gzip when `advertises`.
    static func server(_ seen: Seen, advertises: Bool) throws -> HTTPServer {
        try HTTPServer { request in
            let encoding = request.headers["grpc-encoding"]
            let message = (try? GRPCWire.unframeSingle(request.body, encoding: encoding).get()) ?? []
            seen.requests.withLock { $0.append((encoding, request.body.first ?? 255, message)) }
            seen.accepted.withLock { $0.append(request.headers["grpc-accept-encoding"]) }
            var headers = [HeaderField("content-type", "application/grpc")]
            if advertises { headers.append(HeaderField("grpc-accept-encoding", "identity, deflate, gzip")) }
            return ServerResponse(
                status: 200, headers: headers, body: GRPCWire.frame([]),
                trailers: [HeaderField("grpc-status", "0")])
        }
    }

    static func channel(_ server: HTTPServer, _ compression: MessageCompression) -> GRPCChannel {
        var configuration = ConnectionConfiguration()
        configuration.compression = compression
        return GRPCChannel(
            endpoint: Endpoint(host: "127.0.0.1", port: server.port, usesTLS: false),
            configuration: configuration)
    }

    @Test func requestsAreCompressedOnceTheServerSaysItReadsGzip() async throws {
        let seen = Seen()
        let server = try Self.server(seen, advertises: true)
        defer { server.stop() }
        let channel = Self.channel(server, .gzip)
        defer { channel.close() }
        let large = [UInt8](repeating: 0x61, count: 4096)
        let small = [UInt8](repeating: 0x62, count: 100)
        for message in [large, large, small, large] {
            _ = try await channel.unary(path: "/t.T/M", request: message, timeout: .seconds(5))
        }
        let requests = seen.requests.withLock { $0 }
        // The first goes plain: nothing was known of the server yet.
        #expect(requests.map(\.encoding) == [nil, "gzip", nil, "gzip"])
        #expect(requests.map(\.flag) == [0, 1, 0, 1])
        #expect(requests.map(\.message) == [large, large, small, large])
    }

    @Test(arguments: [(true, MessageCompression.none), (false, .gzip), (false, .none)])
    func nothingIsCompressedUnlessBothSidesWantIt(_ advertises: Bool, _ compression: MessageCompression) async throws {
        let seen = Seen()
        defer {
            // Compressed answers are asked for exactly when compression is on.
            #expect(seen.accepted.withLock { $0 } == Array(repeating: compression.encoding, count: 3))
        }
        let server = try Self.server(seen, advertises: advertises)
        defer { server.stop() }
        let channel = Self.channel(server, compression)
        defer { channel.close() }
        for _ in 0..<3 {
            _ = try await channel.unary(
                path: "/t.T/M", request: [UInt8](repeating: 1, count: 8192), timeout: .seconds(5))
        }
        #expect(seen.requests.withLock { $0.map(\.flag) } == [0, 0, 0])
    }

    @Test func acceptEncodingLists() {
        #expect(GRPCWire.acceptsGzip("gzip"))
        #expect(GRPCWire.acceptsGzip("identity, deflate, gzip"))
        #expect(GRPCWire.acceptsGzip("GZIP;q=0.5"))
        #expect(!GRPCWire.acceptsGzip("gzip;q=0"))
        #expect(!GRPCWire.acceptsGzip("identity, deflate"))
        #expect(!GRPCWire.acceptsGzip("x-gzip"))
        #expect(!GRPCWire.acceptsGzip(nil))
        #expect(
            MessageCompression(name: "gzip") == .gzip && MessageCompression(name: "none") == MessageCompression.none)
        #expect(MessageCompression(name: "br") == nil)
        #expect(MessageCompression.gzip.compresses(1024) && !MessageCompression.gzip.compresses(1023))
        #expect(!MessageCompression.none.compresses(1 << 20))
    }
}
