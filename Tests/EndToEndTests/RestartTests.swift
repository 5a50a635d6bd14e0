import Foundation
import KubeClient
import LocalCluster
import ModelAPI
import Operator
import Testing

/// An operator restart rewrites nothing that is unchanged.
@Suite struct RestartTests {
    @Test func aRestartedOperatorMakesNoWrites() async throws {
        let harness = try await E2EHarness.start()
        defer { Task { await harness.stop() } }
        for name in ["r-edge", "r-cloud"] {
            try await harness.apply(harness.modelYAML(name: name, layer: name == "r-edge" ? "edge" : "cloud",
                                                versions: ["1", "2"]))
        }
        try await harness.apply(harness.modelYAML(name: "r-image", replicas: 1)
            .replacingOccurrences(of: "  frameworkType: tensorflow", with: "  image: registry.local/m:1"))
        for name in ["r-edge", "r-cloud"] { _ = try await harness.waitUntilReady(name, version: "2") }
        _ = try await harness.waitUntilReady("r-image", version: "registry.local/m:1")
        await harness.runtime.stop()
        _ = try? await harness.operatorTask.value

        let cluster = harness.demo.cluster
        func operatorWrites() async -> Int {
            var total = 0
            for resource in ["deployments", "services", "events"] {
                for verb in ["create", "update", "patch", "delete"] { total += await cluster.writeCount(verb: verb, resource: resource) }
            }
            for verb in ["update/status", "patch/status"] { total += await cluster.writeCount(verb: verb, resource: "inferencemodels") }
            return total
        }
        let before = await operatorWrites()
        let (restarted, task) = harness.demo.startOperator(options: E2EHarness.fastOptions)
        try await harness.wait("restarted operator synced and idle") {
            await restarted.isSynced
        }
        // Every model is reconciled once after the initial list; wait until the queue drained.
        try await Task.sleep(for: .milliseconds(300))
        try await harness.wait("queue drained") {
            await restarted.queue.depth + restarted.queue.inFlight == 0
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(await operatorWrites() == before, "the restarted operator wrote to the API")
        #expect(await restarted.writes.total == 0)
        await restarted.stop()
        _ = try? await task.value
        await harness.stop()
    }
}
