import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI
@testable import Operator
import Testing

/// The placement coordinator reading nodes and models from a cluster in memory.
@Suite struct PlacementCoordinatorTests {
    /// An edge node with one time-sliced GPU (four shares of 7611 MiB).
    static func gpuNode(_ name: String) throws -> JSONValue {
        try #require(try YAML.parseDocuments("""
            apiVersion: v1
            kind: Node
            metadata:
              name: \(name)
              labels: {kubernetes.io/arch: amd64, node-role.kubernetes.io/edge: "", nvidia.com/gpu.product: Tesla-P4, nvidia.com/gpu.memory: "7611", nvidia.com/gpu.count: "1"}
            spec: {taints: [{key: node-role.kubernetes.io/edge, effect: NoSchedule}]}
            status:
              allocatable: {cpu: "8", memory: 32Gi, pods: "110", nvidia.com/gpu: "4"}
              conditions: [{type: Ready, status: "True"}]
            """).first)
    }

    static func nodes(of state: SchedulingState) -> [String] {
        if case .placed(let placements) = state { return placements.map(\.node) }
        return []
    }

    /// The model's placement once the coordinator's next batch decided it (it requeues the model then).
    static func nextPlacement(of model: InferenceModel, by coordinator: PlacementCoordinator, requeued: KeyLog) async throws
        -> SchedulingState
    {
        try await VerificationGateTests.waitFor { requeued.contains(ClusterScenario.key(model)) }
        return await coordinator.schedule(model, deployable: true)
    }

    @Test("a node that goes away: the replicas it held are placed on another node")
    func replacementWhenANodeGoesAway() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(Self.gpuNode("edge-gpu-1"), in: .nodes)
        try await cluster.seed(Self.gpuNode("edge-gpu-2"), in: .nodes)
        let model = try await cluster.seed(RenderFixtures.model(layer: .edge, replicas: 1, gpu: GPURequirements(memory: "3Gi")))
        let requeued = KeyLog()
        let coordinator = PlacementCoordinator(cache: cluster, window: .milliseconds(1), logger: Logger(label: "test"),
                                               requeue: { requeued.append($0) })

        #expect(await coordinator.schedule(model, deployable: true) == .pending, "placed in the next batch")
        let first = Self.nodes(of: try await Self.nextPlacement(of: model, by: coordinator, requeued: requeued))
        #expect(first.count == 1)
        let held = try #require(first.first)
        #expect(Self.nodes(of: await coordinator.schedule(model, deployable: true)) == [held],
                "asked again without a change, the answer stands")

        #expect(await cluster.remove(.nodes, namespace: nil, name: held))
        requeued.removeAll()
        await coordinator.nodesChanged()
        let second = Self.nodes(of: try await Self.nextPlacement(of: model, by: coordinator, requeued: requeued))
        let other = held == "edge-gpu-1" ? "edge-gpu-2" : "edge-gpu-1"
        #expect(second == [other])
        await coordinator.stop()
    }

    @Test("a model without a GPU goes to kube-scheduler, unless no known node could ever run it")
    func modelsWithoutAGPU() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(Self.gpuNode("edge-gpu-1"), in: .nodes)
        let coordinator = PlacementCoordinator(cache: cluster, window: .milliseconds(1), logger: Logger(label: "test"),
                                               requeue: { _ in })
        let edge = RenderFixtures.model(layer: .edge, replicas: 1)
        #expect(await coordinator.schedule(edge, deployable: true) == .byScheduler)
        let armOnly = RenderFixtures.model(layer: .edge, replicas: 1, nodeSelector: ["kubernetes.io/arch": "arm64"])
        guard case .unplaceable(let reason) = await coordinator.schedule(armOnly, deployable: true) else {
            Issue.record("a model no node can run is not reported")
            return
        }
        #expect(reason.contains("arm64") || reason.contains("arch"), "\(reason)")
    }
}
