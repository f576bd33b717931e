// Our gRPC client under load: H2Transport's GRPCChannel (libnghttp2 + OpenSSL) with requests
// built and responses decoded by ProtoWire, against the C++ gRPC echo server.
// Run by scripts/bench_transport.sh; options and schedule in Sources/BenchSupport/LoadRunner.swift.
//
//   TransportBench --port N [--tls --ca ca.pem] --payload-dir DIR [--server-pid PID] [--only thr_64]
import BenchSupport
import H2Transport
import ProtoWire

let options = BenchOptions.parse()

var configuration = ConnectionConfiguration()
if options.tls {
    configuration.tls.caFile = options.caFile
    configuration.tls.serverName = options.serverName
}
let channel = GRPCChannel(
    endpoint: Endpoint(host: options.host, port: options.port, usesTLS: options.tls),
    configuration: configuration
)

// The same messages as scripts/bench_transport_payloads.py writes (checked below).
var postRequest = PostAnnotationsRequest()
postRequest.userAppID = UserAppIDSet(userID: "me", appID: "bench-app")
var annotation = Annotation()
annotation.inputID = "bench-input-0001"
var box = BoundingBox()
(box.topRow, box.leftCol, box.bottomRow, box.rightCol) = (0.125, 0.25, 0.625, 0.75)
var regionInfo = RegionInfo()
regionInfo.boundingBox = box
var concept = Concept()
(concept.id, concept.name, concept.value) = ("ai_8S2Vq3cR", "dog", 1.0)
var regionData = ClarifaiData()
regionData.concepts = [concept]
var region = Region()
region.regionInfo = regionInfo
region.data = regionData
var data = ClarifaiData()
data.regions = [region]
annotation.data = data
postRequest.annotations = [annotation]

var listRequest = ListAnnotationsRequest()
listRequest.userAppID = UserAppIDSet(userID: "me", appID: "bench-app")
listRequest.page = 1
listRequest.perPage = 20

var runner = LoadRunner(client: "ours", options: options)
if postRequest.serializedBytes() != options.payload("post_request.bin") {
    runner.checks.append("ProtoWire's PostAnnotationsRequest differs from post_request.bin")
}
if listRequest.serializedBytes() != options.payload("list_request_20.bin") {
    runner.checks.append("ProtoWire's ListAnnotationsRequest differs from list_request_20.bin")
}

let metadata = [HeaderField("authorization", "Key bench-token")]
let post = postRequest
let list = listRequest
let prepared = runner
do {  // a local copy: top-level variables are main-actor isolated
    var runner = prepared
    await runner.run(
        post: {
            let response = try await channel.unary(
                path: "/clarifai.api.V2/PostAnnotations", request: post.serializedBytes(), metadata: metadata)
            let decoded = try MultiAnnotationResponse(serializedBytes: response.message)
            return decoded.annotations.count
        },
        list: {
            let response = try await channel.unary(
                path: "/clarifai.api.V2/ListAnnotations", request: list.serializedBytes(), metadata: metadata)
            let decoded = try MultiAnnotationResponse(serializedBytes: response.message)
            return decoded.annotations.count
        }
    )
}
channel.close()
