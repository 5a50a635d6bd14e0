import KubeClient
import ModelAPI
import Testing
@testable import Placement

/// Properties that must hold for any cluster and any batch, checked over seeded random cases.
@Suite("Placement properties")
struct PlacementPropertyTests {
    static let seeds: [UInt64] = Array(1...150)

    @Test("no placement breaks a constraint or overcommits a resource", arguments: seeds)
    func placementsRespectEveryConstraint(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let nodes = Clusters.randomNodes(&rng, count: Int.random(in: 1...40, using: &rng))
        let workloads = Clusters.randomWorkloads(&rng, count: Int.random(in: 1...30, using: &rng), nodeNames: nodes.map(\.name))
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        let problems = PlanChecker.violations(nodes: nodes, workloads: workloads, plan: plan)
        #expect(problems.isEmpty, "seed \(seed): \(problems)")
        #expect(plan.models.count == workloads.count)
        #expect(plan.figures.replicasPlaced == plan.models.reduce(0) { $0 + $1.placedReplicas })
        #expect(plan.figures.gpusUsed >= plan.figures.gpusLowerBound)
        for model in plan.models {
            if let reason = model.unplaceable {
                #expect(reason.unplacedReplicas == model.requestedReplicas - model.placedReplicas)
                #expect(reason.message.hasPrefix("no ") || reason.message.hasPrefix("placed "), "seed \(seed): \(reason.message)")
            }
        }
    }

    @Test("shuffling nodes, models and previous placements gives the same plan", arguments: seeds.prefix(60))
    func orderDoesNotMatter(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let nodes = Clusters.randomNodes(&rng, count: Int.random(in: 1...40, using: &rng))
        let workloads = Clusters.randomWorkloads(&rng, count: Int.random(in: 1...30, using: &rng), nodeNames: nodes.map(\.name))
        let first = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        let more = Clusters.randomWorkloads(&rng, count: 10, nodeNames: nodes.map(\.name), prefix: "late")
        let existing = first.assignmentsByModel.mapValues { $0.shuffled(using: &rng) }

        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads + more, existing: existing)
        let shuffled = PlacementPlanner.plan(nodes: nodes.shuffled(using: &rng), workloads: (workloads + more).shuffled(using: &rng), existing: existing)
        #expect(plan == shuffled, "seed \(seed)")
        #expect(first == PlacementPlanner.plan(nodes: nodes.reversed(), workloads: workloads.reversed()), "seed \(seed)")
    }

    @Test("a second batch leaves the first batch's placements where they are", arguments: seeds.prefix(80))
    func secondBatchKeepsFirst(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let nodes = Clusters.randomNodes(&rng, count: Int.random(in: 5...40, using: &rng))
        let firstBatch = Clusters.randomWorkloads(&rng, count: Int.random(in: 1...20, using: &rng), nodeNames: nodes.map(\.name))
        let secondBatch = Clusters.randomWorkloads(&rng, count: Int.random(in: 1...20, using: &rng), nodeNames: nodes.map(\.name), prefix: "second")
        let first = PlacementPlanner.plan(nodes: nodes, workloads: firstBatch)
        let second = PlacementPlanner.plan(nodes: nodes, workloads: firstBatch + secondBatch, existing: first.assignmentsByModel)

        #expect(PlanChecker.violations(nodes: nodes, workloads: firstBatch + secondBatch, plan: second).isEmpty, "seed \(seed)")
        for before in first.models {
            let after = second.placement(for: before.key)
            #expect(after?.keptReplicas == before.placedReplicas, "seed \(seed): \(before.key)")
            if before.isFullyPlaced {
                #expect(after?.assignments == before.assignments, "seed \(seed): \(before.key) moved")
            } else {
                // Replicas that found no room before may find room now, but the placed ones stay.
                for assignment in before.assignments {
                    let same = after?.assignments.first { $0.node == assignment.node && $0.gpuIndex == assignment.gpuIndex }
                    #expect((same?.replicas ?? 0) >= assignment.replicas, "seed \(seed): \(before.key) moved")
                }
            }
        }
    }

    @Test("a model that allows only Tesla-P4 never lands on a T4", arguments: seeds.prefix(40))
    func productRestrictionHolds(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let nodes = Clusters.randomNodes(&rng, count: 30)
        var workloads = Clusters.randomWorkloads(&rng, count: 20, nodeNames: nodes.map(\.name))
        for i in workloads.indices where i % 2 == 0 {
            var gpu = workloads[i].gpu ?? GPUWorkload()
            gpu.products = ["Tesla-P4"]
            gpu.memoryMiB = max(gpu.memoryMiB, 1024)
            workloads[i].gpu = gpu
        }
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        let products = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0.gpuProduct) })
        for (i, workload) in workloads.enumerated() where i % 2 == 0 {
            for assignment in plan.placement(for: workload.key)?.assignments ?? [] {
                #expect(products[assignment.node] == "Tesla-P4", "seed \(seed): \(workload.key) on \(assignment.node)")
            }
        }
    }

    @Test("a node that goes away or turns NotReady loses its models to other nodes", arguments: seeds.prefix(60))
    func failedNodeMovesItsModels(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var nodes = Clusters.randomNodes(&rng, count: Int.random(in: 8...40, using: &rng))
        let workloads = Clusters.randomWorkloads(&rng, count: Int.random(in: 3...20, using: &rng), nodeNames: nodes.map(\.name))
        let first = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        let usedNodes = Set(first.models.flatMap { $0.assignments.map(\.node) })
        guard let victim = usedNodes.sorted().randomElement(using: &rng) else { return }
        let remove = Bool.random(using: &rng)
        if remove {
            nodes.removeAll { $0.name == victim }
        } else {
            let index = try #require(nodes.firstIndex { $0.name == victim })
            nodes[index].ready = false
        }
        let second = PlacementPlanner.plan(nodes: nodes, workloads: workloads, existing: first.assignmentsByModel)
        #expect(PlanChecker.violations(nodes: nodes, workloads: workloads, plan: second).isEmpty, "seed \(seed)")
        for before in first.models {
            let after = try #require(second.placement(for: before.key))
            #expect(!after.assignments.contains { $0.node == victim }, "seed \(seed): \(before.key) still on \(victim)")
            // Replicas on healthy nodes stay; only the victim's replicas are counted as not kept.
            let onVictim = before.assignments.filter { $0.node == victim }.reduce(0) { $0 + $1.replicas }
            #expect(after.keptReplicas == before.placedReplicas - onVictim, "seed \(seed): \(before.key)")
            for assignment in before.assignments where assignment.node != victim {
                let same = after.assignments.first { $0.node == assignment.node && $0.gpuIndex == assignment.gpuIndex }
                #expect((same?.replicas ?? 0) >= assignment.replicas, "seed \(seed): \(before.key) left \(assignment.node)")
            }
        }
    }

    @Test("the figures agree with the plan", arguments: seeds.prefix(40))
    func figuresAgree(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let nodes = Clusters.randomNodes(&rng, count: 30)
        let workloads = Clusters.randomWorkloads(&rng, count: 25, nodeNames: nodes.map(\.name))
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads)
        var usedGPUs = Set<String>()
        for model in plan.models { for a in model.assignments { if let gpu = a.gpuIndex { usedGPUs.insert("\(a.node)#\(gpu)") } } }
        #expect(plan.figures.gpusUsed == usedGPUs.count, "seed \(seed)")
        #expect(plan.figures.replicasRequested == workloads.reduce(0) { $0 + $1.replicas })
        #expect(plan.figures.fragmentedGPUMemoryMiB <= plan.figures.freeGPUMemoryOnUsedGPUsMiB)
    }
}
