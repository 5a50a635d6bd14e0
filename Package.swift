// swift-tools-version:6.0
// model-operator: a Kubernetes operator for the InferenceModel resource (ai.kubeedge.io/v1alpha1).
// Module layout and data flow follow ../shared/DESIGN.md section 4.
import PackageDescription

let package = Package(
    name: "model-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "model-operator", targets: ["model-operator"]),
        .executable(name: "local-cluster", targets: ["local-cluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
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
        // glibc's <malloc.h> (mallopt), for the operator's allocator policy; part of libc6-dev.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // A JSON decoder with JSONDecoder's semantics, faster: for the watch and list paths (no dependencies).
        .target(name: "FastJSON"),
        // JSONValue, Quantity, ObjectMeta, typed Kubernetes objects (pure: no C, no I/O).
        .target(name: "KubeModel", dependencies: ["FastJSON"]),
        // The libcurl engine: one multi handle, streaming bodies, TLS.
        .target(name: "CurlHTTP", dependencies: ["CCurl"]),
        // Cluster config, REST verbs, watch, YAML -> JSON.
        .target(name: "KubeClient", dependencies: [
            "KubeModel", "CurlHTTP", "CYAML", "FastJSON",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Generic controller machinery: the manager (swift-service-lifecycle), informer cache, work
        // queue, controller loop, leader election, probes, metrics.
        .target(name: "Controller", dependencies: [
            "KubeModel", "KubeClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "OrderedCollections", package: "swift-collections"),
            .product(name: "HeapModule", package: "swift-collections"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // InferenceModel types, validation, version resolution (pure).
        .target(name: "ModelAPI", dependencies: ["KubeModel"]),
        // Download (over CurlHTTP, not the Kubernetes client), SHA-256, extraction, digest cache.
        .target(name: "ModelFetch", dependencies: [
            "KubeModel", "CurlHTTP", "CCurl", "COpenSSL", "CZlibSystem",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Batched GPU-aware placement (pure).
        .target(name: "Placement", dependencies: ["KubeModel", "ModelAPI"]),
        // The InferenceModel reconciler: render desired objects (pure), then apply.
        .target(name: "Operator", dependencies: [
            "KubeModel", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Starting a program as a kubelet starts a container (no inherited descriptors, default
        // signal handling) and reaping it on a thread of its own: for DemoSupport, the benchmarks
        // and TestSupport (no dependencies).
        .target(name: "ProcessSpawn"),
        // An embedded API server for the demo, development and tests (loopback only).
        .target(name: "LocalCluster", dependencies: [
            "KubeModel", "KubeClient",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // What the demo, the end-to-end tests and the benchmarks share: sample archives served on
        // loopback, the runnable examples with their digests filled in, LocalCluster with nodes.
        .target(name: "DemoSupport", dependencies: [
            "KubeModel", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Operator", "LocalCluster", "ProcessSpawn",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The operator's command line, what the image ships: run, fetch, render, place, version.
        // It must not link LocalCluster or DemoSupport.
        .executableTarget(name: "model-operator", dependencies: [
            "KubeModel", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement", "Operator", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The development tool: `local-cluster serve` (LocalCluster alone) and `local-cluster demo`
        // (LocalCluster, sample archives and the operator in one process). Not in the image.
        .executableTarget(name: "local-cluster", dependencies: [
            "KubeModel", "KubeClient", "Controller", "ModelAPI", "Operator", "LocalCluster", "DemoSupport",
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `make bench`: every benchmark of the project, printed with units and ratios.
        .executableTarget(name: "Benchmarks", dependencies: [
            "KubeModel", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement", "Operator", "LocalCluster", "DemoSupport",
            "ProcessSpawn", "FastJSON",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // What the test targets share, and only they: the loopback HTTP server, the child-process
        // runner (the built binaries, kubectl, curl), `eventually`, temporary directories.
        .target(name: "TestSupport", dependencies: [
            "ProcessSpawn",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/TestSupport"),

        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel"]),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP"]),
        .testTarget(name: "FastJSONTests", dependencies: ["FastJSON"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeModel", "CurlHTTP", "KubeClient", "LocalCluster", "TestSupport",
                                                            "FastJSON"]),
        .testTarget(name: "ControllerTests", dependencies: [
            "Controller", "KubeModel", "CurlHTTP", "KubeClient", "LocalCluster", "TestSupport",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "ModelAPITests", dependencies: ["ModelAPI", "KubeModel", "KubeClient", "LocalCluster", "FastJSON"]),
        .testTarget(name: "ModelFetchTests", dependencies: ["ModelFetch", "KubeModel", "TestSupport"]),
        .testTarget(name: "PlacementTests", dependencies: ["Placement", "ModelAPI", "KubeModel", "KubeClient"]),
        .testTarget(name: "OperatorTests", dependencies: ["Operator", "Controller", "ModelAPI", "KubeModel", "KubeClient", "Placement",
                                                          "FastJSON"]),
        .testTarget(name: "LocalClusterTests", dependencies: ["LocalCluster", "KubeModel", "KubeClient", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "Operator", "LocalCluster", "DemoSupport", "KubeModel", "KubeClient", "Controller", "ModelAPI", "ModelFetch", "Placement",
            "TestSupport",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
