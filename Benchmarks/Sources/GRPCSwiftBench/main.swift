// The grpc-swift-2 peer under the same load as TransportBench: grpc-swift-2 2.4.3 with
// grpc-swift-nio-transport 2.9.2's HTTP/2 client transport (.http2NIOPosix, on NIO's
// singleton event loop group) and grpc-swift-protobuf 2.4.1's serializers over
// swift-protobuf 1.39's generated types (Sources/SwiftProtobufPeer): what a grpc-swift-2
// user of the Clarifai API would write, minus the generated service stubs (the client's
// generic `unary(request:descriptor:serializer:deserializer:options:)` is what they call).
//
//   GRPCSwiftBench --port N [--tls --ca ca.pem] --payload-dir DIR [--server-pid PID]
import BenchSupport
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf
import SwiftProtobufPeer

let options = BenchOptions.parse()

var postRequest = Clarifai_Api_PostAnnotationsRequest()
postRequest.userAppID.userID = "me"
postRequest.userAppID.appID = "bench-app"
var annotation = Clarifai_Api_Annotation()
annotation.inputID = "bench-input-0001"
var region = Clarifai_Api_Region()
region.regionInfo.boundingBox.topRow = 0.125
region.regionInfo.boundingBox.leftCol = 0.25
region.regionInfo.boundingBox.bottomRow = 0.625
region.regionInfo.boundingBox.rightCol = 0.75
var concept = Clarifai_Api_Concept()
concept.id = "ai_8S2Vq3cR"
concept.name = "dog"
concept.value = 1.0
region.data.concepts = [concept]
annotation.data.regions = [region]
postRequest.annotations = [annotation]

var listRequest = Clarifai_Api_ListAnnotationsRequest()
listRequest.userAppID.userID = "me"
listRequest.userAppID.appID = "bench-app"
listRequest.page = 1
listRequest.perPage = 20

var runner = LoadRunner(client: "grpc-swift-2", options: options)
if (try? postRequest.serializedBytes() as [UInt8]) != options.payload("post_request.bin") {
    runner.checks.append("swift-protobuf's PostAnnotationsRequest differs from post_request.bin")
}
if (try? listRequest.serializedBytes() as [UInt8]) != options.payload("list_request_20.bin") {
    runner.checks.append("swift-protobuf's ListAnnotationsRequest differs from list_request_20.bin")
}

let security: HTTP2ClientTransport.Posix.TransportSecurity
if options.tls {
    let caFile = options.caFile
    security = .tls { tls in
        if let caFile { tls.trustRoots = .certificates([.file(path: caFile, format: .pem)]) }
    }
} else {
    security = .plaintext
}
let serverName = options.serverName
let transport = try HTTP2ClientTransport.Posix(
    target: .ipv4(address: options.host, port: options.port),
    transportSecurity: security,
    config: .defaults { config in
        if options.tls { config.http2.authority = serverName }  // SNI + hostname verification
    }
)

let postMethod = MethodDescriptor(fullyQualifiedService: "clarifai.api.V2", method: "PostAnnotations")
let listMethod = MethodDescriptor(fullyQualifiedService: "clarifai.api.V2", method: "ListAnnotations")
let metadata: Metadata = ["authorization": "Key bench-token"]
let post = postRequest
let list = listRequest

let prepared = runner  // a local copy below: top-level variables are main-actor isolated
do {
    try await withGRPCClient(transport: transport) { client in
        var runner = prepared
        await runner.run(
            post: {
                try await client.unary(
                    request: ClientRequest(message: post, metadata: metadata),
                    descriptor: postMethod,
                    serializer: ProtobufSerializer<Clarifai_Api_PostAnnotationsRequest>(),
                    deserializer: ProtobufDeserializer<Clarifai_Api_MultiAnnotationResponse>(),
                    options: .defaults
                ) { response in
                    try response.message.annotations.count
                }
            },
            list: {
                try await client.unary(
                    request: ClientRequest(message: list, metadata: metadata),
                    descriptor: listMethod,
                    serializer: ProtobufSerializer<Clarifai_Api_ListAnnotationsRequest>(),
                    deserializer: ProtobufDeserializer<Clarifai_Api_MultiAnnotationResponse>(),
                    options: .defaults
                ) { response in
                    try response.message.annotations.count
                }
            }
        )
    }
} catch {
    log("grpc-swift-2: the client stopped: \(error)")
    throw error
}
