import KubeClient
import KubeModel
import ModelAPI
import Testing
@testable import Placement

/// Issue 11: placement reads the model ModelAPI decoded and validated, with ModelAPI's rules:
/// a GPU memory the CRD accepts places (rounded up to whole MiB), and every `gpu` block needs a GPU.
@Suite("Placement of typed models")
struct PlacementTypedModelTests {
    @Test("gpu.memory 1.5G, not a whole number of MiB, places and asks for 1431 MiB (rounded up)")
    func fractionalMebibytesPlace() throws {
        let model = try Models.model("decimal", spec: """
            deployToLayer: edge
            replicas: 2
            gpu: {memory: 1.5G, products: [Tesla-P4]}
            """)
        #expect(InferenceModelValidator.validate(model).isEmpty)
        let workload = try PlacementWorkload(model: model)
        // 1.5e9 bytes are 1430.5 MiB: a replica gets at least what it asked for.
        #expect(workload.gpuMemoryMiB == 1431)
        let nodes = [Clusters.p4("edge-p4-1"), Clusters.p4("edge-p4-2"), Clusters.arm("edge-arm")]
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [workload])
        let placement = try #require(plan.placement(for: workload.key))
        #expect(placement.placedReplicas == 2 && placement.unplaceable == nil)
        #expect(placement.assignments.allSatisfy { $0.node.hasPrefix("edge-p4") && $0.gpuIndex == 0 && $0.gpuMemoryMiB == 1431 })
        #expect(PlanChecker.violations(nodes: nodes, workloads: [workload], plan: plan).isEmpty)
    }

    @Test("1.5G is counted as 1431 MiB: a GPU of 1430 MiB cannot hold a replica, one of 1431 MiB can")
    func roundingIsUpward() throws {
        let workload = try Models.workload("m", spec: "deployToLayer: edge\ngpu: {memory: 1.5G}")
        for (gpuMiB, placed) in [(Int64(1430), 0), (1431, 1)] {
            var node = Clusters.p4("edge-p4")
            node.gpuMemoryMiB = gpuMiB
            let plan = PlacementPlanner.plan(nodes: [node], workloads: [workload])
            #expect(plan.placement(for: workload.key)?.placedReplicas == placed, "a GPU of \(gpuMiB) MiB")
        }
    }

    @Test("gpu: {products: [Tesla-P4]} never lands on an Arm node without a GPU", arguments: [1, 3, 8])
    func productsOnlyNeedAGPU(replicas: Int) throws {
        let workload = try Models.workload("p4", spec: "deployToLayer: edge\nreplicas: \(replicas)\ngpu: {products: [Tesla-P4]}")
        #expect(workload.needsGPU && workload.gpuMemoryMiB == 0)
        // The Arm box has the most room for CPU-only replicas; the P4 box is the only node with a GPU.
        var arm = Clusters.arm("edge-arm")
        arm.cpuMillis = 64_000
        arm.memoryBytes = 256 * Clusters.gib
        let p4 = Clusters.p4("edge-p4", sliced: 4)
        let plan = PlacementPlanner.plan(nodes: [arm, p4], workloads: [workload])
        let placement = try #require(plan.placement(for: workload.key))
        #expect(placement.assignments.allSatisfy { $0.node == "edge-p4" && $0.gpuIndex == 0 })
        #expect(placement.placedReplicas == min(replicas, 4))
        #expect(PlanChecker.violations(nodes: [arm, p4], workloads: [workload], plan: plan).isEmpty)

        // Without the P4 box (cordoned), the model gets a reason, not the Arm box.
        var cordoned = p4
        cordoned.unschedulable = true
        let alone = PlacementPlanner.plan(nodes: [arm, cordoned], workloads: [workload])
        #expect(alone.placement(for: workload.key)?.assignments.isEmpty == true)
        #expect(alone.placement(for: workload.key)?.unplaceable != nil)
    }

    @Test("placement's needsGPU is ModelAPI's, for every shape of the gpu block", arguments: [
        "", "gpu: {}", "gpu: {products: [Tesla-P4]}", "gpu: {memory: 6Gi}", "gpu: {exclusive: true}",
        "gpu: {exclusive: false}", "gpu: {memory: ''}", "gpu: null",
    ])
    func oneDefinitionOfNeedingAGPU(gpu: String) throws {
        let model = try Models.model("m", spec: "deployToLayer: cloud\n" + gpu)
        let workload = try PlacementWorkload(model: model)
        #expect(workload.needsGPU == model.spec.needsGPU)
        #expect(workload.needsGPU == (gpu.hasPrefix("gpu: {")))
    }
}
