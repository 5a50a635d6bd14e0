import Foundation
import KubeModel
import Logging

/// Issue 14's race: N image-mode InferenceModels exist before the operator starts (as a process,
/// client-side limit lifted); printed are the wall time until every model has its Deployment,
/// Service and `status.url`, the operator's CPU time, peak RSS and API writes per model, then the
/// same after a restart of the operator over the same models (where writes should be 0).
///
/// `BENCH_RACE_MODELS` sets N (default 1,000). `BENCH_KUBECONFIG` runs it against that cluster
/// in a namespace of its own (deleted afterwards) instead of an in-process LocalCluster.
/// `BENCH_RACE_PERF=FILE` runs the operator's first start under `perf record -g` into FILE.
enum RaceBenchmark {
    static let benchmark = Benchmark(name: "race") { try await run() }

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        let count = try environment["BENCH_RACE_MODELS"].map {
            guard let count = Int($0), count > 0 else { throw BenchmarkFailure("BENCH_RACE_MODELS must be a number above 0") }
            return count
        } ?? 1000
        let binary = try OperatorProcess.locateBinary()
        var logger = Logger(label: "bench-race")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let target: RaceTarget
        if let kubeconfig = environment["BENCH_KUBECONFIG"] {
            target = try await RaceTarget.external(kubeconfig: kubeconfig)
        } else {
            target = try await RaceTarget.localCluster(models: count, work: work, logger: logger)
        }
        let observer: any RaceObserving = target.localCluster.map {
            LocalClusterRaceObserver(cluster: $0, namespace: target.namespace)
        } ?? RaceObserver(client: target.client, namespace: target.namespace, logger: logger)
        do {
            print("  \(count) image-mode InferenceModels (1 replica, cloud) on \(target.summary)")
            let creating = ContinuousClock.now
            try await createModels(count: count, target: target)
            print(String(format: "  models created before the operator starts in %.1f s; operator: `run --namespace %@ "
                + "--kube-api-qps %d --kube-api-burst %d`, 4 workers", (ContinuousClock.now - creating).inSeconds,
                target.namespace, RaceRun.qps, RaceRun.burst))
            try await observer.start()
            let race = RaceRun(binary: binary, target: target, observer: observer, count: count, work: work)
            let first = try await race.measure(.firstStart, profile: environment["BENCH_RACE_PERF"])
            first.report(count: count)
            let restart = try await race.measure(.restart, profile: nil)
            restart.report(count: count)
        } catch {
            await observer.stop()
            await target.cleanUp()
            throw error
        }
        await observer.stop()
        await target.cleanUp()
    }

    /// Creates the models through the API, 16 requests at a time.
    static func createModels(count: Int, target: RaceTarget) async throws {
        let client = target.client, namespace = target.namespace
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let body = model(name: String(format: "race-%05d", next), namespace: namespace)
                group.addTask { _ = try await client.create(.inferenceModels, namespace: namespace, body: body) }
                next += 1
            }
            while next < min(16, count) { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
    }

    /// An image-based model (nothing to download) with one replica on the cloud layer.
    static func model(name: String, namespace: String) -> JSONValue {
        [
            "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": [
                "modelName": .string(name), "deployToLayer": "cloud", "frameworkType": "tensorflow",
                "image": "localhost:5000/models/mobilenet-serving:1.0", "servingPort": 8501, "replicas": 1,
            ],
        ]
    }
}
