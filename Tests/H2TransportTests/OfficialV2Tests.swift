import Foundation
import ProtoWire
import Testing

@testable import H2Transport

/// A real PostAnnotations round trip against a grpcio server on the official clarifai-grpc stubs.
extension NetworkTests {
    @Suite(.timeLimit(.minutes(2)))
    struct OfficialV2Tests {
        @Test(arguments: [false, true])
        func postAnnotationsRoundTrip(tls: Bool) async throws {
            let record = FileManager.default.temporaryDirectory.appendingPathComponent("v2-\(UUID()).jsonl").path
            let tlsArguments =
                tls ? ["--tls", TestCertificates.path("server.pem"), TestCertificates.path("server.key")] : []
            let peer = try PeerProcess("clarifai_v2_server.py", ["--record", record] + tlsArguments)
            var configuration = ConnectionConfiguration()
            configuration.tls.caFile = TestCertificates.path("ca.pem")
            let channel = GRPCChannel(
                endpoint: Endpoint(host: tls ? "localhost" : "127.0.0.1", port: peer.port, usesTLS: tls),
                configuration: configuration
            )

            var annotation = Annotation()
            annotation.inputID = "input-1"
            var data = ClarifaiData()
            data.concepts = [Concept(id: "tree", value: 1), Concept(id: "water", value: 0)]
            annotation.data = data
            var request = PostAnnotationsRequest()
            request.userAppID = UserAppIDSet(userID: "me", appID: "app")
            request.annotations = [annotation]

            let response = try await channel.unary(
                path: "/clarifai.api.V2/PostAnnotations", request: request.serializedBytes(),
                metadata: [HeaderField("authorization", "Key test-key")], timeout: .seconds(10)
            )
            let decoded = try MultiAnnotationResponse(serializedBytes: response.message)
            #expect(decoded.status?.code == .success)
            #expect(decoded.annotations.count == 1)
            #expect(decoded.annotations.first?.inputID == "input-1")
            #expect(decoded.annotations.first?.id.isEmpty == false)
            #expect(decoded.annotations.first?.status?.code == .annotationSuccess)
            #expect(decoded.annotations.first?.data?.concepts.map(\.id) == ["tree", "water"])
            #expect(decoded.annotations.first?.createdAt != nil)

            // The server decoded exactly the bytes we sent, and re-serialised them identically.
            let line =
                try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(entry?["method"] as? String == "PostAnnotations")
            let raw = (entry?["raw_b64"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
            let reserialized = (entry?["request_b64"] as? String).flatMap { Data(base64Encoded: $0) }.map {
                [UInt8]($0)
            }
            #expect(raw == request.serializedBytes())
            #expect(reserialized == request.serializedBytes())
            #expect((entry?["metadata"] as? [String: Any])?["authorization"] as? String == "Key test-key")
        }

        @Test func missingKeyIsAClarifaiStatusNotAGRPCError() async throws {
            let peer = try PeerProcess("clarifai_v2_server.py")
            let channel = GRPCChannel(endpoint: Endpoint(host: "127.0.0.1", port: peer.port, usesTLS: false))
            let response = try await channel.unary(
                path: "/clarifai.api.V2/ListAnnotations", request: ListAnnotationsRequest().serializedBytes(),
                timeout: .seconds(10)
            )
            #expect(try MultiAnnotationResponse(serializedBytes: response.message).status?.code == .connKeyInvalid)
        }
    }
}
