// swift-tools-version:6.0
import PackageDescription

// A user's package, as the README tells one to write it: its own test target depends on the
// `AnnotationsEmulator` and `AnnotationsRPC` products of this repository, by path. `make test`
// builds and runs it, so the products stay usable from outside (public API, product list).
let package = Package(
    name: "ConsumerPackage",
    dependencies: [
        .package(name: "ClarifaiAnnotations", path: "../..")
    ],
    targets: [
        .testTarget(
            name: "ConsumerTests",
            dependencies: [
                .product(name: "AnnotationsEmulator", package: "ClarifaiAnnotations"),
                .product(name: "AnnotationsRPC", package: "ClarifaiAnnotations"),
            ]
        )
    ]
)
