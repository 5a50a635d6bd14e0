import DemoSupport
import Foundation
import KubeClient
import LocalCluster
import Logging
import ModelAPI

/// LocalCluster in-process (demo nodes, simulated Deployment availability, the CRD installed)
/// with `model-operator run` processes electing a leader on one Lease. `withOperators` always
/// kills leftover processes, stops the cluster and removes the temp directory, and prints the
/// processes' logs when the body fails.
final class OperatorProcessWorld: Sendable {
    let demo: DemoEnvironment
    let namespace = "default"
    let leaseName: String
    let processes: [OperatorProcess]

    private init(demo: DemoEnvironment, leaseName: String, processes: [OperatorProcess]) {
        self.demo = demo
        self.leaseName = leaseName
        self.processes = processes
    }

    static func withOperators<T>(count: Int = 2, timings: OperatorProcess.LeaseTimings = .short,
                                 _ body: (OperatorProcessWorld) async throws -> T) async throws -> T {
        var logger = Logger(label: "e2e-process")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-process-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: [],
                                                   simulation: DeploymentSimulationOptions(delay: .milliseconds(100)),
                                                   logger: logger)
        var processes: [OperatorProcess] = []
        let leaseName = "model-operator-\(UUID().uuidString.prefix(8).lowercased())"
        do {
            try await demo.installCRD(repository: E2EHarness.repository)
            for index in 0..<count {
                processes.append(try OperatorProcess.start(
                    name: "replica-\(index)", kubeconfig: demo.kubeconfig, namespace: "default", leaseName: leaseName,
                    timings: timings, logDirectory: work))
            }
            let world = OperatorProcessWorld(demo: demo, leaseName: leaseName, processes: processes)
            let result = try await body(world)
            await world.stop()
            return result
        } catch {
            for process in processes {
                print("---- log of \(process.name) (pid \(process.pid), exit \(process.exitStatus.map(String.init) ?? "running"))")
                print(process.log.split(separator: "\n").suffix(60).joined(separator: "\n"))
            }
            await OperatorProcessWorld(demo: demo, leaseName: leaseName, processes: processes).stop()
            throw error
        }
    }

    private func stop() async {
        for process in processes { await process.terminate() }
        await demo.stop()
        try? FileManager.default.removeItem(at: demo.workDirectory)
    }

    // MARK: - The Lease

    /// The election's Lease, nil until a replica created it.
    func lease() async throws -> Lease? {
        do {
            return try await demo.client.get(Lease.self, namespace: namespace, name: leaseName)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    /// The replica whose `leader_election_master_status` is 1, once exactly one says so and the
    /// Lease names a holder; every other running replica must say 0.
    func waitForSingleLeader(among candidates: [OperatorProcess]? = nil, timeout: Duration = .seconds(60))
        async throws -> OperatorProcess
    {
        let candidates = candidates ?? processes
        let deadline = ContinuousClock.now + timeout
        var seen: [String: Double] = [:]
        while ContinuousClock.now < deadline {
            var leaders: [OperatorProcess] = []
            for process in candidates where process.exitStatus == nil {
                let status = try? await process.scrape().value("leader_election_master_status", ["name": leaseName])
                seen[process.name] = status ?? -1
                if status == 1 { leaders.append(process) }
            }
            let holder = try? await lease()?.spec?.holderIdentity
            if leaders.count == 1, let holder, !holder.isEmpty { return leaders[0] }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EFailure("no single leader within \(timeout); leader_election_master_status per replica: \(seen)")
    }

    /// Polls the Lease until `condition` holds; returns that Lease.
    func waitForLease(timeout: Duration = .seconds(60), _ what: String, _ condition: (LeaseSpec) -> Bool)
        async throws -> Lease
    {
        let deadline = ContinuousClock.now + timeout
        var last: Lease?
        while ContinuousClock.now < deadline {
            if let lease = try? await lease() {
                last = lease
                if let spec = lease.spec, condition(spec) { return lease }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw E2EFailure("the Lease was not \(what) within \(timeout); last: \(String(describing: last?.spec))")
    }

    // MARK: - Models

    /// Creates an image-based InferenceModel (nothing to download) on the cloud nodes.
    func applyImageModel(_ name: String) async throws {
        try await demo.cluster.create(.inferenceModels, namespace: namespace, ImageModels.manifest(name: name, namespace: namespace))
    }

    /// Waits until the model's Ready condition is True.
    func waitUntilReady(_ name: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let object = try? await demo.cluster.get(.inferenceModels, namespace: namespace, name: name),
               ImageModels.isReady(object) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("\(name) did not become Ready within \(timeout)")
    }
}

/// Image-based InferenceModels: the cheapest kind to reconcile (no archive to verify).
enum ImageModels {
    static func manifest(name: String, namespace: String) -> JSONValue {
        [
            "apiVersion": "ai.kubeedge.io/v1alpha1",
            "kind": "InferenceModel",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": [
                "modelName": .string(name),
                "deployToLayer": "cloud",
                "frameworkType": "tensorflow",
                "image": "localhost:5000/models/mobilenet-serving:1.0",
                "servingPort": 8501,
                "replicas": 1,
            ],
        ]
    }

    /// Whether the stored object's Ready condition is True.
    static func isReady(_ object: JSONValue) -> Bool {
        object[path: ["status", "conditions"]]?.arrayValue?.contains {
            $0["type"] == "Ready" && $0["status"] == "True"
        } ?? false
    }
}
