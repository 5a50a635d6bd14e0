import DemoSupport
import Foundation
import KubeClient
import LocalCluster
import Logging
import Operator
import Testing

/// Backpressure and fairness: items of the initial list wait behind real changes, so a model
/// applied while thousands of others are being listed does not wait for all of them.
extension OperationTests {
    /// Models in the initial list: `FAIRNESS_MODELS`, default 2,000 (a debug build on two cores
    /// reconciles them in well under a minute; the benchmark uses 10,000).
    static var fairnessModelCount: Int {
        ProcessInfo.processInfo.environment["FAIRNESS_MODELS"].flatMap(Int.init) ?? 2_000
    }

    @Test("A model applied while thousands are in the initial list becomes Ready before the backlog is reconciled")
    func newModelOvertakesTheInitialList() async throws {
        let count = Self.fairnessModelCount
        let world = try await FairnessWorld.start(backlog: count)
        do {
            let (runtime, task) = world.demo.startOperator(options: OperatorOptions(workers: 2,
                                                                                    placementWindow: .milliseconds(50)))
            defer { task.cancel() }
            // The initial list has arrived once the queue fills with it.
            #expect(try await eventually(timeout: .seconds(60)) { await runtime.queue.depth > 0 }, "nothing was queued")
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
            for index in 0..<backlog {
                try await demo.cluster.create(.inferenceModels, namespace: world.namespace,
                                              ImageModels.manifest(name: String(format: "backlog-%05d", index),
                                                                   namespace: world.namespace))
            }
        } catch {
            await world.stop()
            throw error
        }
        return world
    }

    /// Creates the model now and waits until it is Ready: how long that took, and how many
    /// backlog models had their Deployment by then.
    func timeToReady(of name: String, timeout: Duration) async throws -> (elapsed: Duration, backlogReconciled: Int) {
        let started = ContinuousClock.now
        try await demo.cluster.create(.inferenceModels, namespace: namespace, ImageModels.manifest(name: name, namespace: namespace))
        while ContinuousClock.now - started < timeout {
            if let object = try? await demo.cluster.get(.inferenceModels, namespace: namespace, name: name),
               ImageModels.isReady(object) {
                let elapsed = ContinuousClock.now - started
                let deployments = try await demo.cluster.list(.deployments, namespace: namespace)
                let backlog = deployments.filter { $0[path: ["metadata", "name"]]?.stringValue?.hasPrefix("backlog-") == true }.count
                return (elapsed, backlog)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw E2EFailure("\(name) did not become Ready within \(timeout)")
    }

    func stop() async {
        await demo.stop()
        try? FileManager.default.removeItem(at: demo.workDirectory)
    }
}
