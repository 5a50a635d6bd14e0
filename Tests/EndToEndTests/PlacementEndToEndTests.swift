import Foundation
import KubeClient
import ModelAPI
import Testing

/// Issue 5 end to end: GPU models are placed by the placement core, pinned per node, and moved
/// when their node goes away.
@Suite struct PlacementEndToEndTests {
    static let gpu = """
          gpu:
            memory: 6Gi
            products: [Tesla-T4]
        """

    @Test func aGPUModelIsPinnedToAT4NodeAndMovesWhenTheNodeGoesAway() async throws {
        let harness = try await E2EHarness.start()
        defer { Task { await harness.stop() } }
        try await harness.apply(harness.modelYAML(name: "gpu", layer: "cloud", replicas: 1, extra: Self.gpu))
        let placed = try await harness.waitUntilReady("gpu", version: "1")
        let first = try #require(placed.status?.placements?.first)
        #expect(placed.status?.placements?.count == 1)
        #expect(["cloud-gpu-1", "cloud-gpu-2"].contains(first.node))
        #expect(first.gpu?.product == "Tesla-T4")
        #expect(first.gpu?.memoryMiB == 6144)
        let pinned = try await harness.getJSON(["deployment", "gpu-\(first.node)"])
        let fields = pinned[path: ["spec", "template", "spec", "affinity", "nodeAffinity",
                                   "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?[0]?["matchFields"]
        #expect(fields == [["key": "metadata.name", "operator": "In", "values": [.string(first.node)]]])

        try await harness.demo.cluster.removeNode(name: first.node)
        let moved = try await harness.waitForModel("gpu", "moved off \(first.node)") {
            $0.status?.placements?.first.map { $0.node != first.node } == true && $0.status?.condition(.ready)?.status == .true
        }
        let second = try #require(moved.status?.placements?.first)
        #expect(["cloud-gpu-1", "cloud-gpu-2"].contains(second.node))
        #expect(moved.status?.condition(.scheduled)?.message.contains(second.node) == true)
        try await harness.wait("the old node's Deployment deleted") {
            try await harness.kubectl(["get", "deployment", "gpu-\(first.node)"]).status != 0
        }
        _ = try await harness.getJSON(["deployment", "gpu-\(second.node)"])
        await harness.stop()
    }

    @Test func aModelNoNodeCanHostSaysWhyInItsStatus() async throws {
        let harness = try await E2EHarness.start()
        defer { Task { await harness.stop() } }
        let tooBig = Self.gpu.replacingOccurrences(of: "memory: 6Gi", with: "memory: 40Gi")
        try await harness.apply(harness.modelYAML(name: "huge", layer: "cloud", replicas: 1, extra: tooBig))
        let model = try await harness.waitForModel("huge", "unschedulable") {
            $0.status?.condition(.scheduled)?.status == .false
        }
        #expect(model.status?.condition(.scheduled)?.reason == .unschedulable)
        #expect(model.status?.condition(.scheduled)?.message.contains("Tesla-T4") == true)
        #expect(model.status?.condition(.ready)?.status == .false)
        let deployments = try await harness.kubectl(["get", "deployments", "-o", "name"])
        #expect(!deployments.out.contains("huge"))
        await harness.stop()
    }
}
