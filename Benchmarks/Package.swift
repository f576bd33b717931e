// swift-tools-version:6.0
// Benchmarks for the ClarifaiAnnotations package, kept out of the root package so that its
// library targets stay free of Swift package dependencies.
//
//   CodecBench          ProtoWire vs swift-protobuf 1.39 on the reference payload
//                       (run through scripts/bench_codec.sh, i.e. `make bench`)
//   TransportBench      our gRPC client (H2Transport + ProtoWire) against the C++ gRPC echo
//                       server (run through scripts/bench_transport.sh, i.e. `make bench`)
//   GRPCSwiftBench      the same load from grpc-swift-2 2.4.3 + grpc-swift-nio-transport 2.9.2
//                       (.http2NIOPosix) + grpc-swift-protobuf 2.4.1 + swift-protobuf 1.39
//   BenchSupport        the load generator, percentiles, CPU accounting and #json output
//                       shared by TransportBench and GRPCSwiftBench
//   SwiftProtobufPeer   swift-protobuf's generated code for the root package's protos/
//                       (committed; regenerate with scripts/bench_gen_swift_peer.sh)
//   MallocCounter       counts malloc & co. by interposing them in the executable
//
// BENCH_WITHOUT_PROTOWIRE=1 leaves the root package out (CodecBench then measures only
// swift-protobuf, and TransportBench does not exist), for when the root package does not build.
import Foundation
import PackageDescription

let withProtoWire = ProcessInfo.processInfo.environment["BENCH_WITHOUT_PROTOWIRE"] == nil

var dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
]
var benchSettings: [SwiftSetting] = []
var benchDependencies: [Target.Dependency] = [
    "SwiftProtobufPeer",
    "MallocCounter",
    .product(name: "SwiftProtobuf", package: "swift-protobuf"),
]
var targets: [Target] = [
    .target(name: "MallocCounter"),
    .target(
        name: "SwiftProtobufPeer",
        dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
    ),
    .target(name: "BenchSupport"),
    .executableTarget(
        name: "GRPCSwiftBench",
        dependencies: [
            "BenchSupport",
            "SwiftProtobufPeer",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        ]
    ),
]
if withProtoWire {
    dependencies.append(.package(name: "ClarifaiAnnotations", path: ".."))
    benchDependencies.append(.product(name: "ProtoWire", package: "ClarifaiAnnotations"))
    benchSettings.append(.define("BENCH_PROTOWIRE"))   // enables Sources/CodecBench/ProtoWireCases.swift
    targets.append(.executableTarget(
        name: "TransportBench",
        dependencies: [
            "BenchSupport",
            .product(name: "ProtoWire", package: "ClarifaiAnnotations"),
            .product(name: "H2Transport", package: "ClarifaiAnnotations"),
        ]
    ))
}
targets.append(.executableTarget(name: "CodecBench", dependencies: benchDependencies, swiftSettings: benchSettings))

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: dependencies,
    targets: targets
)
