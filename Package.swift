// swift-tools-version:6.0
// model-operator: a Kubernetes operator for the InferenceModel resource (ai.kubeedge.io/v1alpha1).
// Module layout and data flow follow ../shared/DESIGN.md section 4.
import PackageDescription

let package = Package(
    name: "model-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "model-operator", targets: ["model-operator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CZlibSystem", path: "Sources/CZlibSystem", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // A JSON decoder with JSONDecoder's semantics, faster: for the watch and list paths (no dependencies).
        .target(name: "FastJSON"),
        // Cluster config, HTTP over libcurl, REST verbs, watch, YAML -> JSON, object models.
        .target(name: "KubeClient", dependencies: [
            "CCurl", "CYAML", "FastJSON",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Generic controller machinery: informer cache, work queue, leader election, probes, metrics.
        .target(name: "Controller", dependencies: [
            "KubeClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        // InferenceModel types, validation, version resolution (pure).
        .target(name: "ModelAPI", dependencies: ["KubeClient"]),
        // Download, SHA-256, extraction, digest cache.
        .target(name: "ModelFetch", dependencies: [
            "KubeClient", "CCurl", "COpenSSL", "CZlibSystem",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Batched GPU-aware placement (pure).
        .target(name: "Placement", dependencies: ["KubeClient", "ModelAPI"]),
        // The InferenceModel reconciler: render desired objects (pure), then apply.
        .target(name: "Operator", dependencies: [
            "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // An embedded API server for the demo, development and tests (loopback only).
        .target(name: "LocalCluster", dependencies: [
            "KubeClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // What the demo, the end-to-end tests and the benchmarks share: sample archives served on
        // loopback, the runnable examples with their digests filled in, LocalCluster with nodes.
        .target(name: "DemoSupport", dependencies: [
            "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Operator", "LocalCluster",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The command line: run, fetch, render, place, local-cluster, demo, version.
        .executableTarget(name: "model-operator", dependencies: [
            "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement", "Operator", "LocalCluster", "DemoSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `make bench`: every benchmark of the project, printed with units and ratios.
        .executableTarget(name: "Benchmarks", dependencies: [
            "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement", "Operator", "LocalCluster", "DemoSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "KubeClientTests", dependencies: [
            "KubeClient", "LocalCluster", "FastJSON",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "FastJSONTests", dependencies: ["FastJSON"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "KubeClient", "LocalCluster"]),
        .testTarget(name: "ModelAPITests", dependencies: ["ModelAPI", "KubeClient", "LocalCluster", "FastJSON"]),
        .testTarget(name: "ModelFetchTests", dependencies: [
            "ModelFetch", "KubeClient",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "PlacementTests", dependencies: ["Placement", "ModelAPI", "KubeClient"]),
        .testTarget(name: "OperatorTests", dependencies: ["Operator", "ModelAPI", "KubeClient", "Placement", "FastJSON"]),
        .testTarget(name: "LocalClusterTests", dependencies: ["LocalCluster", "KubeClient"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "Operator", "LocalCluster", "DemoSupport", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
