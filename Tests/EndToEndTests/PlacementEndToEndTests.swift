import Foundation
import KubeModel
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

    // The demo fleet's T4 nodes by name, and a node removed under the model.
    @Test(.localClusterOnly("needs LocalCluster's simulated T4 nodes and removes one of them"))
    func aGPUModelIsPinnedToAT4NodeAndMovesWhenTheNodeGoesAway() async throws {
        try await E2EHarness.run { harness in
            let cluster = try #require(harness.localCluster)
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

            try await cluster.removeNode(name: first.node)
            let moved = try await harness.waitForModel("gpu", "moved off \(first.node)") {
                $0.status?.placements?.first.map { $0.node != first.node } == true && $0.status?.condition(.ready)?.status == .true
            }
            let second = try #require(moved.status?.placements?.first)
            #expect(["cloud-gpu-1", "cloud-gpu-2"].contains(second.node))
            #expect(moved.status?.condition(.scheduled)?.message.contains(second.node) == true)
            try await eventually("the old node's Deployment deleted") {
                try await harness.kubectl(["get", "deployment", "gpu-\(first.node)"]).status != 0
            }
            _ = try await harness.getJSON(["deployment", "gpu-\(second.node)"])
        }
    }

    @Test func aModelNoNodeCanHostSaysWhyInItsStatus() async throws {
        try await E2EHarness.run { harness in
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
        }
    }

    // Issue 11: placement reads the model as ModelAPI validated it.

    @Test(.localClusterOnly("needs LocalCluster's simulated P4 edge boxes"))
    func aGPUMemoryThatIsNotWholeMiBIsPlacedRoundedUp() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "decimal", layer: "edge", replicas: 1, extra: """
                  gpu:
                    memory: 1.5G
                    products: [Tesla-P4]
                """))
            let placed = try await harness.waitUntilReady("decimal", version: "1")
            let placement = try #require(placed.status?.placements?.first)
            #expect(placed.status?.placements?.count == 1)
            #expect(["edge-gpu-1", "edge-gpu-2"].contains(placement.node))
            #expect(placement.gpu?.product == "Tesla-P4")
            #expect(placement.gpu?.memoryMiB == 1431)
            let deployment = try await harness.getJSON(["deployment", "decimal-\(placement.node)"])
            let env = deployment[path: ["spec", "template", "spec", "containers"]]?[0]?["env"]?.arrayValue ?? []
            #expect(env.contains(["name": "MODEL_GPU_MEMORY_MIB", "value": "1431"]))
            // kubectl describe reads the reservation as a quantity, not "Memory Mi B".
            let describe = try await harness.kubectl(["describe", "inferencemodel", "decimal"]).out
            #expect(describe.range(of: #"Memory:\s+1431Mi"#, options: .regularExpression) != nil, "\(describe)")
            #expect(!describe.contains("Mi B"), "\(describe)")
        }
    }

    @Test(.localClusterOnly("needs LocalCluster's simulated P4 and Arm edge boxes"))
    func aGPUBlockWithOnlyProductsRunsOnlyOnNodesWithThatGPU() async throws {
        try await E2EHarness.run { harness in
            // Image-based, so the serving image runs on Arm too: only the GPU keeps it off the Arm boxes.
            try await harness.apply("""
                apiVersion: ai.kubeedge.io/v1alpha1
                kind: InferenceModel
                metadata: {name: p4-only, namespace: \(harness.namespace)}
                spec:
                  modelName: p4-only
                  deployToLayer: edge
                  image: \(harness.imageModelImage)
                  servingPort: 8080
                  replicas: 2
                  gpu: {products: [Tesla-P4]}
                """)
            let placed = try await harness.waitUntilReady("p4-only", version: harness.imageModelImage)
            let placements = placed.status?.placements ?? []
            #expect(placements.reduce(0) { $0 + $1.replicas } == 2)
            #expect(placements.allSatisfy { $0.node.hasPrefix("edge-gpu-") && $0.gpu?.product == "Tesla-P4" })
            let pods = try await harness.kubectl(["get", "pods", "-o",
                                                  "jsonpath={.items[*].spec.nodeName}"])
            let nodes = pods.out.split(separator: " ").map(String.init)
            #expect(!nodes.isEmpty && nodes.allSatisfy { $0.hasPrefix("edge-gpu-") }, "pods on \(nodes)")
        }
    }
}
