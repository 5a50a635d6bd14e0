import KubeClient
import KubeModel
import Testing
@testable import Placement

/// Issue 12: placement true to what the cluster really holds.
@Suite("Placement sees the cluster as kube-scheduler does")
struct PlacementClusterTruthTests {
    private func assignments(_ plan: PlacementPlan, _ name: String) -> [PlacementAssignment] {
        plan.placement(for: ModelKey(namespace: "default", name: name))?.assignments ?? []
    }

    // MARK: 1. Other pods' requests

    @Test("GPUs held by other pods are not handed out again")
    func foreignGPUPods() throws {
        // Stock device plugin: one nvidia.com/gpu per GPU. A training pod holds both GPUs of cloud-a.
        let nodes = [Clusters.t4("cloud-a", gpus: 2, sliced: 1), Clusters.t4("cloud-b", gpus: 1, sliced: 1)]
        let training = PlacementPod(node: "cloud-a", cpuMillis: 4000, memoryBytes: 16 * Clusters.gib, gpuDevices: 2)
        let model = Clusters.model("x", replicas: 2, gpuGiB: 14, products: ["Tesla-T4"], exclusive: true)
        let blind = PlacementPlanner.plan(nodes: nodes, workloads: [model])
        #expect(blind.figures.replicasPlaced == 2)

        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [model], pods: [training])
        #expect(assignments(plan, "x").map(\.node) == ["cloud-b"])
        let reason = try #require(plan.placement(for: model.key)?.unplaceable)
        #expect(reason.kind == .gpuDevicesExhausted)
        #expect(reason.message.hasPrefix("placed 1 of 2 replicas"))
        #expect(PlanChecker.violations(nodes: nodes, workloads: [model], plan: plan, pods: [training]).isEmpty)
    }

    @Test("CPU, memory and the pod count that other pods take are not offered")
    func foreignCPUMemoryAndPods() throws {
        var small = Clusters.arm("arm-1")
        small.allocatablePods = 10
        let daemon = PlacementPod(node: "arm-1", cpuMillis: 3500, memoryBytes: 1 * Clusters.gib)
        let model = Clusters.model("web", replicas: 1, layer: .edge, cpu: 1000)
        let cpuTaken = PlacementPlanner.plan(nodes: [small], workloads: [model], pods: [daemon])
        #expect(cpuTaken.placement(for: model.key)?.unplaceable?.kind == .cpuOrMemoryExhausted)

        let crowd = PlacementPod(node: "arm-1", count: 10)
        let full = PlacementPlanner.plan(nodes: [small], workloads: [model], pods: [crowd])
        #expect(full.placement(for: model.key)?.unplaceable?.kind == .podsExhausted)
        #expect(PlacementPlanner.plan(nodes: [small], workloads: [model]).figures.replicasPlaced == 1)
    }

    @Test("a model's own pods on its placement are not counted twice; elsewhere they count")
    func ownPods() throws {
        let nodes = [Clusters.arm("arm-1"), Clusters.arm("arm-2")]
        let model = Clusters.model("web", replicas: 1, layer: .edge, cpu: 3000)
        let first = PlacementPlanner.plan(nodes: nodes, workloads: [model])
        let node = try #require(assignments(first, "web").first?.node)
        let own = PlacementPod(node: node, cpuMillis: 3000, model: model.key)
        let again = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: first.assignmentsByModel, pods: [own])
        #expect(assignments(again, "web") == assignments(first, "web"))
        #expect(again.placement(for: model.key)?.keptReplicas == 1)

        // A pod still draining on the other node takes its CPU there.
        let other = node == "arm-1" ? "arm-2" : "arm-1"
        let draining = PlacementPod(node: other, cpuMillis: 3000, model: model.key)
        let two = Clusters.model("web", replicas: 2, layer: .edge, cpu: 3000)
        let scaled = PlacementPlanner.plan(nodes: nodes, workloads: [two], existing: first.assignmentsByModel, pods: [own, draining])
        #expect(scaled.figures.replicasPlaced == 1)
    }

    // MARK: 2. Sharing the cluster knows about

    @Test("shared replicas take a device-plugin unit each: one per GPU on a stock plugin, more under time-slicing")
    func sharedReplicasTakeDeviceUnits() throws {
        let model = Clusters.model("s", replicas: 3, gpuGiB: 2, products: ["Tesla-T4"])
        let stock = PlacementPlanner.plan(nodes: [Clusters.t4("a", gpus: 1, sliced: 1)], workloads: [model])
        #expect(stock.figures.replicasPlaced == 1)
        #expect(stock.placement(for: model.key)?.unplaceable?.kind == .gpuDevicesExhausted)

        let sliced = PlacementPlanner.plan(nodes: [Clusters.t4("a", gpus: 1, sliced: 4)], workloads: [model])
        #expect(sliced.figures.replicasPlaced == 3)
        #expect(sliced.figures.gpusUsed == 1)

        var legacy = model
        legacy.gpuAllocation = .exclusiveOnly
        #expect(legacy.gpuDevicesPerReplica == 0)
        let unseen = PlacementPlanner.plan(nodes: [Clusters.t4("a", gpus: 1, sliced: 1)], workloads: [legacy])
        #expect(unseen.figures.replicasPlaced == 3)
    }

    @Test("the device plugin's resource name is read from allocatable")
    func gpuResourceName() throws {
        let yaml = """
            metadata: {name: t4, labels: {nvidia.com/gpu.count: "2", nvidia.com/gpu.memory: "15360"}}
            status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110", nvidia.com/gpu.shared: "8"}}
            """
        let renamed = try PlacementNode(node: YAML.parse(yaml), gpuResource: "nvidia.com/gpu.shared")
        #expect(renamed.allocatableGPUs == 8 && renamed.usableGPUCount == 2 && renamed.allocatablePods == 110)
        let stock = try PlacementNode(node: YAML.parse(yaml))
        #expect(stock.allocatableGPUs == nil)
    }

    // MARK: 3. Every model that asks for a GPU

    @Test("a gpu block without memory still needs a GPU of an allowed product")
    func gpuBlockWithoutMemory() throws {
        let nodes = [Clusters.t4("cloud-t4"), Clusters.p4("edge-p4"), Clusters.arm("edge-arm")]
        let anyGPU = try Models.workload("any", spec: "deployToLayer: edge\nreplicas: 2\ngpu: {}")
        #expect(anyGPU.needsGPU && anyGPU.gpuMemoryMiB == 0)
        let p4Only = try Models.workload("p4", spec: "deployToLayer: edge\ngpu: {products: [Tesla-P4]}")
        let a100 = try Models.workload("a100", spec: "deployToLayer: edge\ngpu: {products: [A100]}")
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [anyGPU, p4Only, a100])
        #expect(assignments(plan, "any").allSatisfy { $0.node == "edge-p4" && $0.gpuIndex == 0 })
        #expect(plan.placement(for: anyGPU.key)?.placedReplicas == 2)
        #expect(assignments(plan, "p4").map(\.node) == ["edge-p4"])
        #expect(assignments(plan, "a100").isEmpty)
        #expect(plan.placement(for: a100.key)?.unplaceable?.kind == .gpuProduct)
        #expect(PlanChecker.violations(nodes: nodes, workloads: [anyGPU, p4Only, a100], plan: plan).isEmpty)
    }

    // MARK: 4. Moves and spread

    @Test("spread is restored onto a reopened node, and only onto one")
    func respreadOntoReopenedNode() throws {
        var nodes = [Clusters.p4("edge-1"), Clusters.p4("edge-2")]
        let model = Clusters.model("m", replicas: 2, gpuGiB: 3, products: ["Tesla-P4"], layer: .edge)
        let spread = PlacementPlanner.plan(nodes: nodes, workloads: [model])
        #expect(Set(assignments(spread, "m").map(\.node)) == ["edge-1", "edge-2"])

        nodes[0].unschedulable = true
        let cordoned = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: spread.assignmentsByModel)
        #expect(assignments(cordoned, "m").map(\.node) == ["edge-2"])
        #expect(assignments(cordoned, "m").first?.replicas == 2)

        nodes[0].unschedulable = false
        let unchanged = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: cordoned.assignmentsByModel)
        #expect(assignments(unchanged, "m") == assignments(cordoned, "m"))
        let uncordoned = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: cordoned.assignmentsByModel,
                                               reopened: ["edge-1"])
        #expect(Set(assignments(uncordoned, "m").map(\.node)) == ["edge-1", "edge-2"])
        #expect(uncordoned.placement(for: model.key)?.keptReplicas == 1)
    }

    @Test("a node is open again only once the lifecycle controller's taint is gone too")
    func openAgain() {
        var node = Clusters.p4("edge-1")
        node.unschedulable = true
        node.taints.append(PlacementTaint(key: "node.kubernetes.io/unschedulable", effect: .noSchedule))
        #expect(!node.isOpen)
        node.unschedulable = false
        #expect(node.acceptsNewWork && !node.isOpen)
        node.taints.removeAll { $0.key == "node.kubernetes.io/unschedulable" }
        #expect(node.isOpen)
    }

    // MARK: 5. Contradictions for models kube-scheduler places

    @Test("constraints no known node can meet are named before anything is deployed")
    func conflicts() throws {
        let nodes = [Clusters.t4("cloud-gpu-1"), Clusters.p4("edge-gpu-1"), Clusters.arm("edge-arm-1")]
        func check(_ workload: PlacementWorkload) -> Unplaceable? { PlacementPlanner.conflict(of: workload, nodes: nodes) }
        var pinned = Clusters.model("pinned", layer: .edge)
        pinned.nodeName = "cloud-gpu-1"
        #expect(check(pinned)?.kind == .layer)
        #expect(check(pinned)?.message.contains("cloud-gpu-1") == true)
        pinned.nodeName = "no-such-node"
        #expect(check(pinned)?.kind == .nodeNameNotFound)
        var selected = Clusters.model("selected", layer: .edge)
        selected.nodeSelector = ["disk": "ssd"]
        #expect(check(selected)?.kind == .nodeSelector)
        var armOnly = Clusters.model("tf", layer: .edge)
        armOnly.nodeSelector = ["kubernetes.io/arch": "arm64"]
        armOnly.architectures = ["amd64"]
        // The arch label, as real nodes carry it.
        var labelled = nodes
        labelled[2].labels["kubernetes.io/arch"] = "arm64"
        #expect(PlacementPlanner.conflict(of: armOnly, nodes: labelled)?.kind == .architecture)
        #expect(PlacementPlanner.conflict(of: armOnly, nodes: labelled)?.message.contains("amd64") == true)

        // Not a contradiction: the only matching node is cordoned (that passes), or nothing is known.
        var cordoned = nodes
        cordoned[1].unschedulable = true
        var edgeGPU = Clusters.model("e", layer: .edge)
        edgeGPU.nodeName = "edge-gpu-1"
        #expect(PlacementPlanner.conflict(of: edgeGPU, nodes: cordoned) == nil)
        #expect(PlacementPlanner.conflict(of: pinned, nodes: []) == nil)
    }
}
