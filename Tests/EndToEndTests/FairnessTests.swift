import DemoSupport
import Foundation
import KubeModel
import LocalCluster
import Logging
import Operator
import Testing

/// Backpressure and fairness: items of the initial list wait behind real changes, so a model
/// applied while thousands of others are being listed does not wait for all of them. The
/// cluster looks as after an operator restart (each model has its Service), so the operator's
/// informers list thousands of models and Services, and the new model arrives in the middle.
extension OperationTests {
    /// Models in the initial list: `FAIRNESS_MODELS`, default the 10,000 (creating them
    /// and their Services in-process takes a few seconds in a debug build).
    static var fairnessModelCount: Int {
        ProcessInfo.processInfo.environment["FAIRNESS_MODELS"].flatMap(Int.init) ?? 10_000
    }

    // It reads the in-process operator's queue and creates its thousands of objects straight
    // into LocalCluster's store; on a real cluster that would be 20,000 API writes.
    @Test("A model applied while thousands are in the initial list becomes Ready before the backlog is reconciled",
          .localClusterOnly("watches the in-process operator's work queue and fills LocalCluster's store directly"))
    func newModelOvertakesTheInitialList() async throws {
        let count = Self.fairnessModelCount
        let world = try await FairnessWorld.start(backlog: count)
        do {
            let (runtime, task) = world.demo.startOperator(options: OperatorOptions(workers: 2,
                                                                                    placementWindow: .milliseconds(50)))
            defer { task.cancel() }
            // The initial list has arrived once the queue fills with it.
            try await eventually("the initial list queued", every: .milliseconds(200)) { await runtime.queue.depth > 0 }
            let result = try await world.timeToReady(of: "urgent", timeout: .seconds(60))
            print("time to Ready of a model applied during an initial list of \(count): "
                + "\(result.elapsed.secondsText) s (backlog reconciled by then: \(result.backlogReconciled) of \(count))")
            #expect(result.backlogReconciled < count,
                    "the new model waited until the whole initial list of \(count) was reconciled")
            await runtime.stop()
            _ = try? await task.value
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }
}

/// LocalCluster with the CRD and `backlog` image-based models created in-process (fast).
struct FairnessWorld {
    let demo: DemoEnvironment
    let namespace = "default"

    static func start(backlog: Int) async throws -> FairnessWorld {
        var logger = Logger(label: "e2e-fairness")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-fairness-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: [],
                                                   simulation: DeploymentSimulationOptions(delay: .milliseconds(100)),
                                                   historyWindow: max(10_000, backlog * 4), logger: logger)
        let world = FairnessWorld(demo: demo)
        do {
            try await demo.installCRD(repository: E2EHarness.repository)
            // As after a restart: every model already has the Service the operator emitted, so the
            // operator lists thousands of Services too, and a real change arrives while they are listed.
            for index in 0..<backlog {
                let name = String(format: "backlog-%05d", index)
                let model = try await demo.cluster.create(.inferenceModels, namespace: world.namespace,
                                                          ImageModels.manifest(name: name, namespace: world.namespace))
                try await demo.cluster.create(.services, namespace: world.namespace,
                                              ownedService(name: name, namespace: world.namespace, owner: model))
            }
        } catch {
            await world.stop()
            throw error
        }
        return world
    }

    /// The Service the operator emits for a model (labelled as its own, controlled by the model).
    static func ownedService(name: String, namespace: String, owner: JSONValue) -> JSONValue {
        let labels: JSONValue = ["app.kubernetes.io/managed-by": .string(ModelLabels.managedBy),
                                 ModelLabels.model: .string(name)]
        let reference: JSONValue = [
            "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel", "name": .string(name),
            "uid": owner[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": true,
        ]
        return [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels,
                         "ownerReferences": [reference]],
            "spec": ["selector": labels, "ports": [["name": "http", "port": .int(Int64(ImageModels.servingPort)),
                                                    "targetPort": .int(Int64(ImageModels.servingPort))]]],
        ]
    }

    /// Creates the model now and waits until it is Ready: how long that took, and how many
    /// backlog models had a status by then.
    func timeToReady(of name: String, timeout: Duration) async throws -> (elapsed: Duration, backlogReconciled: Int) {
        let started = ContinuousClock.now
        try await demo.cluster.create(.inferenceModels, namespace: namespace, ImageModels.manifest(name: name, namespace: namespace))
        return try await eventuallyValue("\(name) Ready", timeout: timeout, every: .milliseconds(20)) {
            let object = try await demo.cluster.get(.inferenceModels, namespace: namespace, name: name)
            guard ImageModels.isReady(object) else { return nil }
            let elapsed = ContinuousClock.now - started
            let models = try await demo.cluster.list(.inferenceModels, namespace: namespace)
            let reconciled = models.filter {
                $0[path: ["metadata", "name"]]?.stringValue?.hasPrefix("backlog-") == true
                    && $0[path: ["status", "conditions"]]?.arrayValue?.isEmpty == false
            }
            return (elapsed, reconciled.count)
        }
    }

    func stop() async {
        await demo.stop()
        try? FileManager.default.removeItem(at: demo.workDirectory)
    }
}
