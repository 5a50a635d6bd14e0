import DemoSupport
import Foundation
import KubeModel
import LocalCluster
import Logging
import ModelAPI

/// Issue 3: 1,000 InferenceModels applied at once until every one is Ready (wall time,
/// reconciles per second, API writes per model, operator peak memory), and the operator's memory
/// with 10,000 models. The operator runs as its own process; LocalCluster runs in this one.
enum OperatorScaleBenchmark {
    static let benchmark = Benchmark(name: "operator: models applied at once until Ready") {
        let environment = ProcessInfo.processInfo.environment
        let burst = Int(environment["BENCH_MODELS"] ?? "") ?? 1000
        let large = Int(environment["BENCH_MODELS_LARGE"] ?? "") ?? 10_000
        let binary = try OperatorProcess.locateBinary()
        print("  operator: 4 workers, client-side API limit \(OperatorProcess.apiQPS) requests/s "
            + "(the default, 20/s, would bound it at about 2 models/s at ~10 writes per model)")
        try await measureBurst(count: burst, binary: binary)
        try await measureMemory(count: large, binary: binary)
    }

    /// Applies `count` models with the operator running and waits until all are Ready.
    static func measureBurst(count: Int, binary: String) async throws {
        let world = try await World.start(models: count)
        let metricsPort = try freePort()
        let operatorProcess = try OperatorProcess(binary: binary, kubeconfig: world.demo.kubeconfig.path, metricsPort: metricsPort)
        try await world.waitUntil(seconds: 30) { try await world.operatorServesMetrics(metricsPort: metricsPort) }

        let writesBefore = await world.operatorWrites()
        let started = ContinuousClock.now
        try await world.applyModels(count: count, through: .api)
        try await world.waitUntilAllReady(count: count, timeout: .seconds(1800))
        let seconds = (ContinuousClock.now - started).inSeconds
        let reconciles = try await world.reconcileCount(metricsPort: metricsPort)
        let writes = await world.operatorWrites() - writesBefore
        let peak = operatorProcess.peakMemory
        await operatorProcess.stop()
        print(String(format: "  %d models applied at once, all Ready in %.2f s", count, seconds))
        print(String(format: "  reconciles: %d (%.1f per model), %.0f reconciles/s", reconciles,
                     Double(reconciles) / Double(count), Double(reconciles) / seconds))
        print(String(format: "  API writes by the operator: %d, %.2f writes/model", writes, Double(writes) / Double(count)))
        print(String(format: "  operator peak memory (RSS): %.1f MiB", Double(peak) / 1_048_576))
        await world.stop()
    }

    /// Starts the operator over `count` existing models and reports its memory once all are Ready.
    static func measureMemory(count: Int, binary: String) async throws {
        let world = try await World.start(models: count)
        try await world.applyModels(count: count, through: .inProcess)
        let metricsPort = try freePort()
        let started = ContinuousClock.now
        let operatorProcess = try OperatorProcess(binary: binary, kubeconfig: world.demo.kubeconfig.path, metricsPort: metricsPort)
        try await world.waitUntilAllReady(count: count, timeout: .seconds(3600))
        let seconds = (ContinuousClock.now - started).inSeconds
        let peak = operatorProcess.peakMemory
        await operatorProcess.stop()
        print(String(format: "  %d models: operator start to all Ready %.1f s, peak memory (RSS) %.1f MiB (%.1f KiB/model)",
                     count, seconds, Double(peak) / 1_048_576, Double(peak) / 1024 / Double(count)))
        await world.stop()
    }

    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkFailure("no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// LocalCluster, the CRD and a sample archive, for the scale benchmarks, on a ``BenchmarkFleet``
/// with room for every model's pod (half the models go to the edge, half to the cloud).
struct World: Sendable {
    enum Path { case api, inProcess }

    let demo: DemoEnvironment

    static func start(models: Int) async throws -> World {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: ["bench-1"], demoNodes: false,
                                                   simulation: DeploymentSimulationOptions(delay: .milliseconds(50)),
                                                   historyWindow: 200_000, logger: logger)
        try await BenchmarkFleet.add(to: demo.cluster, cloudPods: models - models / 2, edgePods: models / 2)
        try await demo.installCRD(repository: try ExampleManifests.locate().deletingLastPathComponent())
        return World(demo: demo)
    }

    func stop() async {
        await demo.stop()
        try? FileManager.default.removeItem(at: demo.workDirectory)
    }

    func model(_ index: Int) -> JSONValue {
        [
            "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel",
            "metadata": ["name": .string("bench-\(index)"), "namespace": "default"],
            "spec": [
                "modelName": .string("bench-\(index)"), "deployToLayer": index % 2 == 0 ? "edge" : "cloud",
                "frameworkType": "tensorflow", "servingPort": 8080, "replicas": 1,
                "manifest": [["version": "1", "downloadURL": .string(demo.archiveURL("bench-1")),
                              "sha256sum": .string(demo.digest("bench-1"))]],
            ],
        ]
    }

    /// Creates the models through the REST API (16 at a time) or straight into the store.
    func applyModels(count: Int, through path: Path) async throws {
        let demo = self.demo
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let body = model(next)
                group.addTask {
                    switch path {
                    case .api: _ = try await demo.client.create(.inferenceModels, namespace: "default", body: body)
                    case .inProcess: _ = try await demo.cluster.create(.inferenceModels, namespace: "default", body)
                    }
                }
                next += 1
            }
            while next < min(16, count) { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
    }

    func waitUntilAllReady(count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let models = try await demo.cluster.list(.inferenceModels, namespace: "default")
            let ready = models.filter { model in
                model[path: ["status", "conditions"]]?.arrayValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } ?? false
            }.count
            if ready >= count { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchmarkFailure("not every model became Ready within \(timeout)")
    }

    /// Writes the operator made: children, events and model status (not the availability simulator's).
    func operatorWrites() async -> Int {
        var total = 0
        for resource in ["deployments", "services", "events"] {
            for verb in ["create", "update", "patch", "delete"] { total += await demo.cluster.writeCount(verb: verb, resource: resource) }
        }
        for verb in ["update/status", "patch/status"] { total += await demo.cluster.writeCount(verb: verb, resource: "inferencemodels") }
        return total
    }

    /// The operator's controller_runtime_reconcile_total, summed over results.
    func reconcileCount(metricsPort: Int) async throws -> Int {
        try await OperatorMetrics.scrape(port: metricsPort).reconciles
    }

    func operatorServesMetrics(metricsPort: Int) async throws -> Bool {
        (try? await OperatorMetrics.scrape(port: metricsPort)) != nil
    }

    func waitUntil(seconds: Int, _ ready: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await ready() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkFailure("the operator did not start within \(seconds) s")
    }
}
