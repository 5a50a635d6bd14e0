import DemoSupport
import Foundation
import KubeModel
import LocalCluster
import Logging
import Operator

/// Fairness: the time to Ready of one image-based model applied while the operator works
/// through an initial list of 10,000 others (created in-process before it starts, each with its
/// Service as after an operator restart), against the
/// same model applied to an empty cluster once the operator synced; the ratio shows what the
/// backlog costs a real change. `FAIRNESS_BENCH_MODELS` shrinks the list for a quick check.
enum FairnessBenchmark {
    static let benchmark = Benchmark(name: "fairness") {
        let count = ProcessInfo.processInfo.environment["FAIRNESS_BENCH_MODELS"].flatMap(Int.init) ?? 10_000
        let empty = try await measure(backlog: 0)
        print(String(format: "time to Ready, empty cluster: %.3f s", empty.seconds))
        let loaded = try await measure(backlog: count)
        print(String(format: "time to Ready, applied while %d models are listed and queued: %.3f s "
            + "(backlog models reconciled by then: %d of %d; initial list queued after %.2f s)",
            count, loaded.seconds, loaded.backlogReconciled, count, loaded.listSeconds))
        print(String(format: "ratio loaded / empty: %.2f", loaded.seconds / empty.seconds))
    }

    struct Measurement {
        var seconds: Double
        var backlogReconciled: Int
        var listSeconds: Double
    }

    static func measure(backlog: Int) async throws -> Measurement {
        var logger = Logger(label: "bench-fairness")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-fairness-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: [], demoNodes: false,
                                                   simulation: DeploymentSimulationOptions(delay: .milliseconds(100)),
                                                   historyWindow: max(10_000, backlog * 4), logger: logger)
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            // Room for every backlog model's pod and the urgent one's (all cloud models).
            try await BenchmarkFleet.add(to: demo.cluster, cloudPods: backlog + 1, edgePods: 0)
            try await demo.installCRD(repository: LeaderFailoverBenchmark.repository)
            // As after an operator restart: every model already has the Service the operator emitted.
            for index in 0..<backlog {
                let name = String(format: "backlog-%05d", index)
                let created = try await demo.cluster.create(.inferenceModels, namespace: "default", model(name))
                try await demo.cluster.create(.services, namespace: "default", service(name, owner: created))
            }
            let started = ContinuousClock.now
            let (runtime, task) = demo.startOperator(options: OperatorOptions(placementWindow: .milliseconds(50)))
            // With a backlog: apply once the initial list is queued; without: once synced.
            while true {
                let running: Bool
                if backlog > 0 { running = await runtime.queue.depth > 0 } else { running = await runtime.isSynced }
                if running { break }
                guard ContinuousClock.now - started < .seconds(600) else { throw BenchmarkFailure("the operator never started") }
                try await Task.sleep(for: .milliseconds(5))
            }
            let listed = ContinuousClock.now - started
            let applied = ContinuousClock.now
            try await demo.cluster.create(.inferenceModels, namespace: "default", model("urgent"))
            while true {
                guard ContinuousClock.now - applied < .seconds(600) else { throw BenchmarkFailure("urgent never became Ready") }
                let object = try await demo.cluster.get(.inferenceModels, namespace: "default", name: "urgent")
                if object[path: ["status", "conditions"]]?.arrayValue?.contains(where: {
                    $0["type"] == "Ready" && $0["status"] == "True"
                }) == true { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let elapsed = ContinuousClock.now - applied
            let deployments = try await demo.cluster.list(.deployments, namespace: "default")
            let reconciled = deployments.filter { $0[path: ["metadata", "name"]]?.stringValue?.hasPrefix("backlog-") == true }.count
            await runtime.stop()
            _ = try? await task.value
            await demo.stop()
            return Measurement(seconds: elapsed.inSeconds, backlogReconciled: reconciled, listSeconds: listed.inSeconds)
        } catch {
            await demo.stop()
            throw error
        }
    }

    /// The Service the operator emits for a model: labelled as its own, controlled by the model.
    static func service(_ name: String, owner: JSONValue) -> JSONValue {
        let labels: JSONValue = ["app.kubernetes.io/managed-by": .string(ModelLabels.managedBy),
                                 ModelLabels.model: .string(name)]
        return [
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": .string(name), "namespace": "default", "labels": labels,
                "ownerReferences": [[
                    "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel", "name": .string(name),
                    "uid": owner[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": true,
                ]],
            ],
            "spec": ["selector": labels, "ports": [["name": "http", "port": 8501, "targetPort": 8501]]],
        ]
    }

    /// An image-based model (nothing to download) on the cloud nodes.
    static func model(_ name: String) -> JSONValue {
        [
            "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel",
            "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "modelName": .string(name), "deployToLayer": "cloud", "frameworkType": "tensorflow",
                "image": "localhost:5000/models/mobilenet-serving:1.0", "servingPort": 8501, "replicas": 1,
            ],
        ]
    }
}
