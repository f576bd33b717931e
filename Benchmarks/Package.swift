// swift-tools-version:6.0
// Benchmarks for the ClarifaiAnnotations package, kept out of the root package so that its
// library targets stay free of Swift package dependencies.
//
//   CodecBench          ProtoWire vs swift-protobuf 1.39 on the reference payload
//                       (run through scripts/bench_codec.sh, i.e. `make bench`)
//   SwiftProtobufPeer   swift-protobuf's generated code for the root package's protos/
//                       (committed; regenerate with scripts/bench_gen_swift_peer.sh)
//   MallocCounter       counts malloc & co. by interposing them in the executable
//
// BENCH_WITHOUT_PROTOWIRE=1 leaves the root package out (CodecBench then measures only
// swift-protobuf), for when ProtoWire does not build.
import Foundation
import PackageDescription

let withProtoWire = ProcessInfo.processInfo.environment["BENCH_WITHOUT_PROTOWIRE"] == nil

var dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
]
var benchSettings: [SwiftSetting] = []
var benchDependencies: [Target.Dependency] = [
    "SwiftProtobufPeer",
    "MallocCounter",
    .product(name: "SwiftProtobuf", package: "swift-protobuf"),
]
if withProtoWire {
    dependencies.append(.package(name: "ClarifaiAnnotations", path: ".."))
    benchDependencies.append(.product(name: "ProtoWire", package: "ClarifaiAnnotations"))
    benchSettings.append(.define("BENCH_PROTOWIRE"))   // enables Sources/CodecBench/ProtoWireCases.swift
}

let package = Package(
    name: "Benchmarks",
    dependencies: dependencies,
    targets: [
        .target(name: "MallocCounter"),
        .target(
            name: "SwiftProtobufPeer",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .executableTarget(name: "CodecBench", dependencies: benchDependencies, swiftSettings: benchSettings),
    ]
)
