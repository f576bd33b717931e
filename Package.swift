// swift-tools-version:6.0
import PackageDescription

// The library targets depend on no Swift package: users' main complaint about the
// official clients is protobuf/gRPC version conflicts. Only the command-line tool
// uses swift-argument-parser, and HdrHistogram for `annotations bench`; the separate
// `AnnotationsObservability` product adapts the client's observer to swift-log, swift-metrics and
// swift-distributed-tracing, for those who want them. swift-docc-plugin only adds the
// `generate-documentation` command that `make docs` runs.
let package = Package(
    name: "ClarifaiAnnotations",
    products: [
        .library(name: "ProtoWire", targets: ["ProtoWire"]),
        .library(name: "H2Transport", targets: ["H2Transport"]),
        .library(name: "ClarifaiV2", targets: ["ClarifaiV2"]),
        .library(name: "AnnotationsRPC", targets: ["AnnotationsRPC"]),
        .library(name: "AnnotationsObservability", targets: ["AnnotationsObservability"]),
        // The local emulator, for users' own test targets (`let emulator = try Emulator()`).
        .library(name: "AnnotationsEmulator", targets: ["AnnotationsEmulator"]),
        .executable(name: "annotations", targets: ["annotations"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.0"),
        // `make docs` only (the `generate-documentation` command); no target depends on it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "ProtoWire"),
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CTimerFD"),
        .target(name: "H2Transport", dependencies: ["CNGHTTP2", "COpenSSL", "CZlib", "CTimerFD"]),
        // The V2 contract: every method once (paths, types, REST binding, rules).
        .target(name: "ClarifaiV2", dependencies: ["ProtoWire"]),
        .target(name: "AnnotationsRPC", dependencies: ["ProtoWire", "ClarifaiV2", "H2Transport"]),
        // `ClientObserver` adapters for swift-log, swift-metrics and swift-distributed-tracing.
        .target(
            name: "AnnotationsObservability",
            dependencies: [
                "AnnotationsRPC",
                "H2Transport",
                "ProtoWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The documented requests, shared by `annotations demo` and the tests.
        .target(name: "SeedCatalog", dependencies: ["ProtoWire", "AnnotationsRPC"]),
        // The emulator's semantics: an in-memory store answering the annotation RPCs.
        .target(name: "AnnotationsEmulator", dependencies: ["ProtoWire", "ClarifaiV2", "H2Transport"]),
        .executableTarget(
            name: "annotations",
            dependencies: [
                "ProtoWire",
                "ClarifaiV2",
                "SeedCatalog",
                "AnnotationsRPC",
                "AnnotationsEmulator",
                "H2Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The fuzz targets of `make fuzz` (libFuzzer), and the binary that runs them.
        .target(
            name: "FuzzTargets", dependencies: ["ProtoWire", "H2Transport", "AnnotationsRPC", "AnnotationsEmulator"]),
        .systemLibrary(name: "CFuzzerDriver"),
        .executableTarget(name: "annotations-fuzz", dependencies: ["FuzzTargets", "CFuzzerDriver"]),
        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire", "SeedCatalog"]),
        .testTarget(name: "ClarifaiV2Tests", dependencies: ["ClarifaiV2", "ProtoWire"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "ProtoWire"]),
        // Starts the Python peers of Tests/Peers for the network tests.
        .target(name: "TestPeers", path: "Tests/TestPeers"),
        .testTarget(name: "H2TransportTests", dependencies: ["H2Transport", "ProtoWire", "TestPeers"]),
        .testTarget(
            name: "AnnotationsRPCTests",
            dependencies: ["AnnotationsRPC", "ClarifaiV2", "AnnotationsEmulator", "SeedCatalog", "TestPeers"]),
        .testTarget(
            name: "AnnotationsEmulatorTests", dependencies: ["AnnotationsEmulator", "ClarifaiV2", "SeedCatalog"]),
        .testTarget(
            name: "AnnotationsObservabilityTests",
            dependencies: [
                "AnnotationsObservability",
                "AnnotationsRPC",
                "AnnotationsEmulator",
                "H2Transport",
                "ProtoWire",
                "TestPeers",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)
