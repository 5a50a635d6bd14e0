import KubeClient
import Testing
@testable import Placement

/// Targeted behaviour: packing, spreading, keeping and moving placements.
@Suite("Placement behaviour")
struct PlacementBehaviourTests {
    @Test("best fit: a request goes to the GPU it fills most, not the first empty one")
    func bestFit() throws {
        let nodes = [Clusters.t4("a-t4"), Clusters.p4("b-p4", edge: false)]
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [Clusters.model("small", gpuGiB: 7)])
        // 7 GiB fills the P4 (7611 MiB holds 7 GiB) exactly; the T4 stays free.
        #expect(plan.models.first?.assignments == [PlacementAssignment(node: "b-p4", replicas: 1, gpuIndex: 0, gpuMemoryMiB: 7168)])
        #expect(plan.figures.gpusUsed == 1 && plan.figures.gpusLowerBound == 1)
    }

    @Test("shared GPUs pack several models by memory; exclusive takes a whole GPU")
    func sharedAndExclusive() throws {
        let nodes = [Clusters.t4("cloud", gpus: 2)]
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [
            Clusters.model("a", gpuGiB: 8), Clusters.model("b", gpuGiB: 7), Clusters.model("x", gpuGiB: 2, exclusive: true),
        ])
        let slots = plan.models.map { $0.assignments.first?.gpuIndex }
        #expect(slots[0] == slots[1], "a and b share one GPU")
        #expect(slots[2] != slots[0], "x owns the other")
        #expect(plan.models[2].assignments.first?.gpuExclusive == true)
        #expect(plan.figures.gpusUsed == 2 && plan.figures.replicasPlaced == 3)
    }

    @Test("replicas spread over nodes when possible, and share a node when not")
    func spread() throws {
        let spread = PlacementPlanner.plan(nodes: [Clusters.t4("a", gpus: 4), Clusters.t4("b"), Clusters.t4("c")],
                                           workloads: [Clusters.model("m", replicas: 3, gpuGiB: 2)])
        #expect(spread.models[0].assignments.map(\.node) == ["a", "b", "c"])
        let packed = PlacementPlanner.plan(nodes: [Clusters.t4("a")], workloads: [Clusters.model("m", replicas: 3, gpuGiB: 2)])
        #expect(packed.models[0].assignments == [PlacementAssignment(node: "a", replicas: 3, gpuIndex: 0, gpuMemoryMiB: 2048)])
    }

    @Test("repair: a constrained model gets the GPU a flexible model took first")
    func repairMovesFlexibleModel() throws {
        let nodes = [Clusters.p4("n1", edge: false, labels: ["zone": "a"]), Clusters.p4("n2", edge: false, labels: ["zone": "b"])]
        var constrained = Clusters.model("constrained", gpuGiB: 5)
        constrained.nodeSelector = ["zone": "a"]
        let flexible = Clusters.model("flexible", gpuGiB: 6)
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: [flexible, constrained])
        #expect(plan.figures.replicasPlaced == 2)
        #expect(plan.placement(for: constrained.key)?.assignments.map(\.node) == ["n1"])
        #expect(plan.placement(for: flexible.key)?.assignments.map(\.node) == ["n2"])
    }

    @Test("PreferNoSchedule only lowers preference")
    func preferNoSchedule() throws {
        var spot = Clusters.t4("a-spot")
        spot.taints = [PlacementTaint(key: "spot", value: "true", effect: .preferNoSchedule)]
        let nodes = [spot, Clusters.t4("b-regular")]
        let one = PlacementPlanner.plan(nodes: nodes, workloads: [Clusters.model("m", gpuGiB: 4)])
        #expect(one.models[0].assignments.map(\.node) == ["b-regular"])
        let both = PlacementPlanner.plan(nodes: nodes, workloads: [Clusters.model("m", replicas: 2, gpuGiB: 15)])
        #expect(both.models[0].assignments.map(\.node) == ["a-spot", "b-regular"])
    }

    @Test("fewer replicas: the node with the most replicas gives one up; more replicas: only the delta is placed")
    func replicaChanges() throws {
        let nodes = [Clusters.t4("a"), Clusters.t4("b")]
        var model = Clusters.model("m", replicas: 3, gpuGiB: 2)
        let first = PlacementPlanner.plan(nodes: nodes, workloads: [model])
        #expect(first.models[0].assignments.map(\.replicas) == [2, 1])
        model.replicas = 2
        let fewer = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: first.assignmentsByModel)
        #expect(fewer.models[0].assignments.map(\.replicas) == [1, 1])
        #expect(fewer.models[0].keptReplicas == 2)
        model.replicas = 5
        let more = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: fewer.assignmentsByModel)
        #expect(more.models[0].keptReplicas == 2)
        #expect(more.models[0].placedReplicas == 5)
    }

    @Test("scaling down while a node is gone drops the replica on the gone node, not a healthy one")
    func scaleDownWithGoneNode() throws {
        var model = Clusters.model("m", replicas: 3, gpuGiB: 2)
        let first = PlacementPlanner.plan(nodes: [Clusters.t4("a"), Clusters.t4("b"), Clusters.t4("c")], workloads: [model])
        #expect(first.models[0].assignments.map(\.node) == ["a", "b", "c"])
        model.replicas = 2
        let second = PlacementPlanner.plan(nodes: [Clusters.t4("a"), Clusters.t4("b")], workloads: [model], existing: first.assignmentsByModel)
        #expect(second.models[0].assignments.map(\.node) == ["a", "b"])
        #expect(second.models[0].keptReplicas == 2)
    }

    @Test("a changed GPU request or a cordoned node re-places; a deleted model frees its GPU")
    func constraintChanges() throws {
        var nodes = [Clusters.t4("a"), Clusters.t4("b")]
        var model = Clusters.model("m", gpuGiB: 4)
        let first = PlacementPlanner.plan(nodes: nodes, workloads: [model])
        let firstNode = try #require(first.models[0].assignments.first?.node)
        model.gpu?.memoryMiB = 6 * 1024
        let changed = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: first.assignmentsByModel)
        #expect(changed.models[0].keptReplicas == 0)
        #expect(changed.models[0].assignments.first?.gpuMemoryMiB == 6144)
        nodes[nodes.firstIndex { $0.name == firstNode } ?? 0].unschedulable = true
        let cordoned = PlacementPlanner.plan(nodes: nodes, workloads: [model], existing: changed.assignmentsByModel)
        #expect(cordoned.models[0].assignments.first?.node != firstNode)
        let other = Clusters.model("other", gpuGiB: 15)
        let afterDelete = PlacementPlanner.plan(nodes: [Clusters.t4("a")], workloads: [other], existing: first.assignmentsByModel)
        #expect(afterDelete.figures.replicasPlaced == 1)
    }

    @Test("granularity: with whole-GiB requests a 7611 MiB P4 holds 7 GiB")
    func granularity() throws {
        let plan = PlacementPlanner.plan(nodes: [Clusters.p4("p4", edge: false)],
                                         workloads: (0..<8).map { Clusters.model("m\($0)", gpuGiB: 1) })
        #expect(plan.figures.granularityMiB == 1024)
        #expect(plan.figures.replicasPlaced == 7)
        #expect(plan.figures.perClass.first?.usableMemoryMiB == 7168)
    }
}

/// Packing quality beyond plain best fit.
@Suite("Placement packing")
struct PlacementPackingTests {
    @Test("two 7 GiB models do not pair up on a T4 when 6 + 2 GiB models can fill the gaps")
    func avoidsDeadGaps() {
        let nodes = [Clusters.t4("a"), Clusters.t4("b"), Clusters.t4("c")]
        let sizes: [Int64] = [7, 7, 6, 6, 2, 2]
        let workloads = sizes.enumerated().map { Clusters.model("m\($0.offset)", gpuGiB: $0.element) }
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        // 7 + 6 + 2 fills a T4 (15 GiB) exactly, twice; plain best fit would pair the 7s and need a third GPU.
        #expect(plan.figures.replicasPlaced == 6)
        #expect(plan.figures.gpusUsed == 2)
        #expect(plan.figures.gpusLowerBound == 2)
    }

    @Test("batches that fill the GPUs exactly, with 5% spare GPUs, are placed completely", arguments: Array(UInt64(1)...30))
    func placesEverythingWhenCapacityAllows(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let gpus = 40
        // Cut every GPU's 15 GiB into random whole-GiB requests, so a perfect packing exists.
        var sizes: [Int64] = []
        for _ in 0..<gpus {
            var left: Int64 = 15
            while left > 0 {
                let size = min(left, Int64.random(in: 1...8, using: &rng))
                sizes.append(size)
                left -= size
            }
        }
        sizes.shuffle(using: &rng)
        let workloads = sizes.enumerated().map { Clusters.model("m\($0.offset)", gpuGiB: $0.element, layer: .cloud) }
        let nodes = (0..<(gpus + 2)).map { Clusters.t4("t4-\($0)") }
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        #expect(plan.figures.replicasPlaced == sizes.count, "seed \(seed)")
        #expect(plan.figures.gpusUsed <= gpus + 1, "seed \(seed)")
    }
}
