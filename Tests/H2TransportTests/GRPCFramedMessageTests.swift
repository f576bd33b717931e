import Foundation
import ProtoWire
import Synchronization
import TestPeers
import Testing

@testable import H2Transport

/// A request framed in place and sent from its own bytes (NGHTTP2_DATA_FLAG_NO_COPY), and a
/// response read where it arrived: the bytes must be exactly those of the copying paths.
struct GRPCFramedMessageTests {
    @Test func headroomTakesThePrefixInPlace() throws {
        let framed = try #require(GRPCFramedMessage(headroomed: [9, 9, 9, 9, 9, 8, 1]))
        #expect(framed.bytes == [0, 0, 0, 0, 2, 8, 1])
        #expect(framed.messageCount == 2)
        #expect(framed.message == [8, 1])
        #expect(GRPCFramedMessage(headroomed: [0, 0, 0, 0, 0])?.bytes == [0, 0, 0, 0, 0])
        // Shorter than the room for a prefix: nothing to frame.
        #expect(GRPCFramedMessage(headroomed: [0, 0, 0, 0]) == nil)
        #expect(GRPCFramedMessage(headroomed: []) == nil)
    }

    @Test func copyingFramesAsGRPCWireDoes() {
        let message = [UInt8]((0..<1000).map { UInt8($0 % 256) })
        #expect(GRPCFramedMessage(copying: message).bytes == GRPCWire.frame(message))
        #expect(GRPCFramedMessage(copying: []).bytes == [0, 0, 0, 0, 0])
    }

    @Test func aMessageEncodedWithHeadroomFramesToWhatFramingItsBytesGives() throws {
        var request = PostAnnotationsRequest()
        request.userAppID = UserAppIDSet(userID: "me", appID: "app")
        request.annotations = (0..<300).map { index in
            var annotation = Annotation()
            annotation.inputID = "input-\(index)"
            return annotation
        }
        let plain = request.serializedBytes()
        let headroomed = request.serializedBytes(headroom: GRPCWire.messagePrefixSize)
        #expect(Array(headroomed.prefix(5)) == [0, 0, 0, 0, 0])
        #expect(Array(headroomed.dropFirst(5)) == plain)
        #expect(GRPCFramedMessage(headroomed: headroomed)?.bytes == GRPCWire.frame(plain))
        // No room asked for, or a negative one: the plain encoding.
        #expect(request.serializedBytes(headroom: 0) == plain)
        #expect(request.serializedBytes(headroom: -3) == plain)
        #expect(PostAnnotationsRequest().serializedBytes(headroom: 5) == [0, 0, 0, 0, 0])
    }

    @Test func aResponseIsReadWhereItLies() throws {
        let body = GRPCWire.frame([7, 8, 9])
        let response = HTTP2Response(
            status: 200, headers: [HeaderField("content-type", "application/grpc")], body: body,
            trailers: [HeaderField("grpc-status", "0")])
        var answer = try GRPCChannel.interpret(response).get()
        #expect(answer.messageCount == 3)
        #expect(answer.message == [7, 8, 9])
        #expect(answer.withUnsafeMessageBytes { Array($0) } == [7, 8, 9])
        answer.message = [1]
        #expect(answer.messageCount == 1)
        #expect(answer.withUnsafeMessageBytes { Array($0) } == [1])
        // A compressed message is read from what it inflates to.
        let compressed = HTTP2Response(
            status: 200,
            headers: [HeaderField("content-type", "application/grpc"), HeaderField("grpc-encoding", "gzip")],
            body: GRPCWire.frameCompressed([UInt8](repeating: 5, count: 2000)),
            trailers: [HeaderField("grpc-status", "0")])
        let inflated = try GRPCChannel.interpret(compressed).get()
        #expect(inflated.messageCount == 2000)
        #expect(inflated.withUnsafeMessageBytes { Array($0) } == [UInt8](repeating: 5, count: 2000))
        #expect(GRPCResponse(message: [4], headers: [], trailers: []).withUnsafeMessageBytes { $0.count } == 1)
    }

    @Test func throwsThroughWithUnsafeMessageBytes() {
        let answer = GRPCResponse(message: [0xff], headers: [], trailers: [])
        #expect(throws: WireError.self) {
            try answer.withUnsafeMessageBytes { bytes throws(WireError) in try Annotation(serializedBytes: bytes) }
        }
    }

    /// Bodies around nghttp2's 16 KiB DATA frames and the 64 KiB initial window, many at once
    /// on one connection, so that frames of different streams interleave and wait for window:
    /// the server must see every byte of every request, in order.
    @Test(arguments: [false, true])
    func bodiesSentWithoutCopyArriveWhole(tls: Bool) async throws {
        let server = try HTTPServer(
            tls: tls
                ? ServerTLSConfiguration(
                    certificateFile: TestCertificates.path("server.pem"),
                    keyFile: TestCertificates.path("server.key")) : nil
        ) { request in
            // Echoes the message, so that the client checks what the server got.
            let message = (try? GRPCWire.unframeSingle(request.body).get()) ?? [0xee]
            return ServerResponse(
                status: 200, headers: [HeaderField("content-type", "application/grpc")],
                body: GRPCWire.frame(message), trailers: [HeaderField("grpc-status", "0")])
        }
        defer { server.stop() }
        var configuration = ConnectionConfiguration()
        configuration.tls.caFile = TestCertificates.path("ca.pem")
        let channel = GRPCChannel(
            endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: server.port, usesTLS: tls),
            configuration: configuration)
        defer { channel.close() }
        let sizes = [0, 1, 16_378, 16_379, 16_384, 65_530, 65_536, 70_000, 1 << 20]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, size) in (sizes + sizes).enumerated() {
                group.addTask {
                    var message = [UInt8](repeating: 0, count: size + GRPCWire.messagePrefixSize)
                    for at in message.indices { message[at] = UInt8(truncatingIfNeeded: at &* 31 &+ index) }
                    let expected = Array(message.dropFirst(GRPCWire.messagePrefixSize))
                    let framed = try #require(GRPCFramedMessage(headroomed: message))
                    let answer = try await channel.unary(path: "/t.T/Echo", framed: framed, timeout: .seconds(30))
                    #expect(answer.messageCount == size)
                    #expect(answer.message == expected, "size \(size)")
                }
            }
            try await group.waitForAll()
        }
    }
}
