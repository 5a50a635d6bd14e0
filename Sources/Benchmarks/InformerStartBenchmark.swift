import Controller
import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Logging

/// Informer start: list (paged) and watch of 10,000 Deployments from LocalCluster over loopback
/// HTTP until the cache is synced — wall time, objects/s, and the process's resident-memory
/// growth while the informer started (the cluster's own objects exist before the baseline).
/// `INFORMER_BENCH_OBJECTS` overrides the count.
enum InformerStartBenchmark {
    static let benchmark = Benchmark(name: "informer-start") {
        let count = ProcessInfo.processInfo.environment["INFORMER_BENCH_OBJECTS"].flatMap(Int.init) ?? 10_000
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let cluster = try await LocalCluster.start(LocalClusterOptions(historyWindow: count + 1000, logger: logger))
        for index in 0..<count {
            _ = try await cluster.create(.deployments, namespace: "default", deployment(index))
        }
        let client = RESTClient(transport: KubeHTTPTransport(config: ClusterConfig(server: cluster.baseURL.absoluteString)))
        let before = ResidentMemory.current
        let started = ContinuousClock.now
        let informer = Informer<Deployment>(client: client, namespace: "default", logger: logger)
        await informer.start()
        try await informer.waitForSync()
        let seconds = (ContinuousClock.now - started).inSeconds
        let cached = await informer.count
        let after = ResidentMemory.peak
        await informer.stop()
        await cluster.stop()
        guard cached == count else { throw BenchmarkFailure("cached \(cached) of \(count) objects") }
        print(String(format: "  %d Deployments listed (pages of 500) and watched: synced in %.2f s, %.0f objects/s",
                     count, seconds, Double(count) / seconds))
        print(String(format: "  resident memory: %.1f MiB before, peak %.1f MiB after (+%.1f MiB, %.1f KiB/object)",
                     Double(before) / 1_048_576, Double(after) / 1_048_576, Double(after - before) / 1_048_576,
                     Double(after - before) / 1024 / Double(count)))
    }

    static func deployment(_ index: Int) -> JSONValue {
        let name = JSONValue.string("app-\(index)")
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": name, "namespace": "default",
                         "labels": ["app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "bench"]],
            "spec": [
                "replicas": 2, "selector": ["matchLabels": ["app": name]],
                "template": [
                    "metadata": ["labels": ["app": name]],
                    "spec": ["containers": [[
                        "name": "server", "image": "registry.local/server:1.0",
                        "args": ["--port=8080", "--model=/models/m"], "ports": [["containerPort": 8080, "name": "http"]],
                        "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                        "env": [["name": "MODEL_NAME", "value": name], ["name": "MODEL_VERSION", "value": "1"]],
                    ]]],
                ],
            ],
        ]
    }
}

/// This process's resident memory from /proc/self/status.
enum ResidentMemory {
    static var current: Int64 { field("VmRSS:") }
    static var peak: Int64 { field("VmHWM:") }

    private static func field(_ name: String) -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }
}
