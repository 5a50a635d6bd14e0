import Testing
@testable import Placement

/// The words a person reads when a model cannot be placed.
@Suite("Unplaceable reasons")
struct PlacementReasonTests {
    private func reason(_ nodes: [PlacementNode], _ workloads: [PlacementWorkload], for name: String) throws -> Unplaceable {
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        let model = try #require(plan.placement(for: ModelKey(namespace: "default", name: name)))
        return try #require(model.unplaceable)
    }

    @Test("GPU memory exhausted names the product, the node count and the largest free slot")
    func gpuMemoryExhausted() throws {
        let nodes = [Clusters.t4("edge-a", edge: true), Clusters.t4("edge-b", edge: true), Clusters.t4("edge-c", edge: true),
                     Clusters.p4("edge-p4")]
        let blocker = Clusters.model("blocker", replicas: 3, gpuGiB: 11, products: ["Tesla-T4"], layer: .edge)
        let wanted = Clusters.model("wanted", gpuGiB: 6, products: ["Tesla-T4"], layer: .edge)
        let unplaceable = try reason(nodes, [blocker, wanted], for: "wanted")
        #expect(unplaceable.kind == .gpuMemoryExhausted)
        #expect(unplaceable.message == "no edge node with a Tesla-T4 and 6 GiB free GPU memory: 3 nodes have the product, the largest free slot is 4 GiB; free GPU memory, add GPUs, or lower spec.gpu.memory")
    }

    @Test("a product no node has lists the products that exist")
    func missingProduct() throws {
        let nodes = [Clusters.t4("cloud-a"), Clusters.t4("cloud-b"), PlacementNode(name: "cpu-1", cpuMillis: 4000, memoryBytes: 8 * Clusters.gib)]
        let unplaceable = try reason(nodes, [Clusters.model("m", gpuGiB: 4, products: ["Tesla-P4"], layer: .cloud)], for: "m")
        #expect(unplaceable.kind == .gpuProduct)
        #expect(unplaceable.message == "no cloud node with a Tesla-P4 and 4 GiB free GPU memory: none of the 3 matching nodes has a Tesla-P4 (they have: Tesla-T4 on 2 nodes, no GPU on 1 node); allow another product in spec.gpu.products or add such nodes")
    }

    @Test("a request larger than any GPU says how large the GPUs are")
    func gpuTooSmall() throws {
        let unplaceable = try reason([Clusters.p4("edge-1"), Clusters.p4("edge-2")],
                                     [Clusters.model("big", gpuGiB: 8, products: ["Tesla-P4"], layer: .edge)], for: "big")
        #expect(unplaceable.kind == .gpuTooSmall)
        #expect(unplaceable.message == "no edge node with a Tesla-P4 and 8 GiB free GPU memory: 2 nodes have the product, but the largest of their GPUs has 7611 MiB; lower spec.gpu.memory or allow a larger GPU")
    }

    @Test("untolerated taints are listed with the nodes that carry them")
    func taints() throws {
        var a = Clusters.t4("cloud-a"), b = Clusters.t4("cloud-b")
        a.taints = [PlacementTaint(key: "dedicated", value: "vision", effect: .noSchedule)]
        b.taints = [PlacementTaint(key: "dedicated", value: "vision", effect: .noSchedule)]
        let unplaceable = try reason([a, b, Clusters.p4("edge-1")], [Clusters.model("m", gpuGiB: 2, layer: .cloud)], for: "m")
        #expect(unplaceable.kind == .taints)
        #expect(unplaceable.message == "no cloud node with a GPU and 2 GiB free GPU memory: all 2 matching nodes carry taints the model does not tolerate: dedicated=vision:NoSchedule on 2 nodes; add tolerations or pick other nodes")
    }

    @Test("an edge model tolerates the edge taint; a cloud-layer model is never sent to the edge")
    func edgeTaintRule() throws {
        let nodes = [Clusters.p4("edge-1")]
        let edge = PlacementPlanner.plan(nodes: nodes, workloads: [Clusters.model("e", gpuGiB: 2, layer: .edge)])
        #expect(edge.models.first?.assignments.map(\.node) == ["edge-1"])
        let anyLayer = try reason(nodes, [Clusters.model("any", gpuGiB: 2)], for: "any")
        #expect(anyLayer.kind == .taints)
        #expect(anyLayer.message.contains("node-role.kubernetes.io/edge:NoSchedule on 1 node"))
        let cloud = try reason(nodes, [Clusters.model("c", gpuGiB: 2, layer: .cloud)], for: "c")
        #expect(cloud.kind == .layer)
        #expect(cloud.message == "no cloud node with a GPU and 2 GiB free GPU memory: the only ready node is an edge node (labelled node-role.kubernetes.io/edge); deploy to the edge layer or add cloud nodes")
    }

    @Test("nodeName that names no node, and a NotReady pinned node")
    func nodeName() throws {
        var model = Clusters.model("pinned", gpuGiB: 2)
        model.nodeName = "gpu-7"
        let missing = try reason([Clusters.t4("gpu-1")], [model], for: "pinned")
        #expect(missing.kind == .nodeNameNotFound)
        #expect(missing.message == "no node named gpu-7 with a GPU and 2 GiB free GPU memory: nodeName gpu-7 names no node in the cluster; fix spec.nodeName or remove it")
        var down = Clusters.t4("gpu-7")
        down.ready = false
        let notReady = try reason([Clusters.t4("gpu-1"), down], [model], for: "pinned")
        #expect(notReady.message.hasSuffix("node gpu-7 is NotReady or cordoned"))
    }

    @Test("architecture mismatch counts the architectures present")
    func architecture() throws {
        var model = Clusters.model("arm-only", layer: .edge)
        model.architectures = ["arm64"]
        let unplaceable = try reason([Clusters.p4("edge-1"), Clusters.p4("edge-2")], [model], for: "arm-only")
        #expect(unplaceable.kind == .architecture)
        #expect(unplaceable.message == "no edge node for arm64 with 100m CPU and 256 MiB memory free: the 2 matching nodes are amd64 on 2 nodes, the serving image supports arm64; build the image for one of them or widen spec.architectures")
    }

    @Test("nodeSelector and a cluster of NotReady nodes")
    func selectorAndReadiness() throws {
        var model = Clusters.model("zoned", gpuGiB: 1)
        model.nodeSelector = ["zone": "z9"]
        let selector = try reason([Clusters.t4("a", labels: ["zone": "z1"])], [model], for: "zoned")
        #expect(selector.kind == .nodeSelector)
        #expect(selector.message == "no node matching zone=z9 with a GPU and 1 GiB free GPU memory: none of the 1 ready node has the labels zone=z9; check spec.nodeSelector")
        var down = Clusters.t4("a")
        down.ready = false
        var cordoned = Clusters.t4("b")
        cordoned.unschedulable = true
        let unavailable = try reason([down, cordoned], [Clusters.model("m", gpuGiB: 1)], for: "m")
        #expect(unavailable.kind == .nodesNotReady)
        #expect(unavailable.message.hasSuffix("all 2 nodes are unavailable (1 NotReady, 1 cordoned)"))
    }

    @Test("a partly placed model says how many replicas are placed")
    func partial() throws {
        let unplaceable = try reason([Clusters.p4("edge-1"), Clusters.p4("edge-2")],
                                     [Clusters.model("m", replicas: 3, gpuGiB: 5, layer: .edge)], for: "m")
        #expect(unplaceable.unplacedReplicas == 1)
        #expect(unplaceable.message == "placed 2 of 3 replicas; the other 1 found no edge node with a GPU and 5 GiB free GPU memory: 2 nodes have a GPU, the largest free slot is 2491 MiB; free GPU memory, add GPUs, or lower spec.gpu.memory")
    }

    @Test("exclusive GPUs in use, and CPU exhausted")
    func exclusiveAndCPU() throws {
        let nodes = [Clusters.t4("cloud-a", gpus: 2)]
        let taken = try reason(nodes, [Clusters.model("x", replicas: 3, gpuGiB: 4, exclusive: true)], for: "x")
        #expect(taken.kind == .gpuExhausted)
        #expect(taken.message == "placed 2 of 3 replicas; the other 1 found no node with a whole free GPU of at least 4 GiB: 1 node has a GPU, all 2 of their GPUs are in use; free a GPU, add one, or share GPUs (spec.gpu.exclusive: false)")
        let hungry = try reason([Clusters.arm("arm-1")], [Clusters.model("h", replicas: 2, layer: .edge, cpu: 3000)], for: "h")
        #expect(hungry.kind == .cpuOrMemoryExhausted)
        #expect(hungry.message == "placed 1 of 2 replicas; the other 1 found no edge node with 3 CPU and 256 MiB memory free: 1 node qualifies, none has 3 CPU and 256 MiB memory free; the most free is 1 CPU and 7936 MiB memory")
    }
}
