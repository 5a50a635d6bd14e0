extension Solver {
    /// Gathers the replicas into per-model assignments, explains what is unplaced, and measures the plan.
    func makePlan() -> PlacementPlan {
        // Per job, one slot key per replica: the GPU id, or -1 - node for replicas without a GPU.
        var slots: [[(slot: Int, kept: Bool)]] = Array(repeating: [], count: jobs.count)
        for case let replica? in replicas {
            slots[replica.job].append((replica.gpu >= 0 ? replica.gpu : -1 - replica.node, replica.kept))
        }
        var models: [ModelPlacement] = []
        models.reserveCapacity(jobs.count)
        var explanations: [ExplanationKey: (Unplaceable.Kind, String)] = [:]
        for j in jobs.indices {
            let workload = jobs[j].workload
            var assignments: [PlacementAssignment] = []
            var kept = 0
            let sortedSlots = slots[j].sorted { $0.slot < $1.slot }
            var at = 0
            while at < sortedSlots.count {
                let slot = sortedSlots[at].slot
                var count = 0
                while at < sortedSlots.count && sortedSlots[at].slot == slot {
                    if sortedSlots[at].kept { kept += 1 }
                    count += 1
                    at += 1
                }
                let gpu = slot >= 0 ? slot : -1
                let node = slot >= 0 ? gpuNode[slot] : -1 - slot
                assignments.append(PlacementAssignment(
                    node: nodes[node].name, replicas: count,
                    gpuIndex: gpu >= 0 ? gpuSlot[gpu] : nil,
                    gpuMemoryMiB: gpu >= 0 ? workload.gpuMemoryMiB : 0,
                    gpuExclusive: gpu >= 0 && workload.gpuExclusive))
            }
            assignments.sort()
            let reason = jobs[j].remaining > 0 ? explain(j, cache: &explanations) : nil
            models.append(ModelPlacement(key: workload.key, requestedReplicas: max(0, workload.replicas),
                                         assignments: assignments, unplaceable: reason, keptReplicas: kept))
        }
        return PlacementPlan(models: models, figures: figures())
    }

    func figures() -> PlacementFigures {
        struct ClassKey: Hashable, Comparable {
            var product: String
            var memory: Int64
            static func < (a: ClassKey, b: ClassKey) -> Bool { (a.product, a.memory) < (b.product, b.memory) }
        }
        var classes: [ClassKey: GPUClassFigures] = [:]
        var sharedUnits: [ClassKey: Int] = [:]
        let smallestRequest = jobs.filter { $0.workload.needsGPU && !$0.workload.gpuExclusive && $0.workload.replicas > 0 }
            .map(\.demandUnits).min()
        var fragmented = 0
        var freeOnUsed = 0
        for gpu in gpuNode.indices {
            let node = nodes[gpuNode[gpu]]
            let key = ClassKey(product: node.gpuProduct ?? "unknown", memory: node.gpuMemoryMiB ?? 0)
            var entry = classes[key] ?? GPUClassFigures(
                product: key.product, memoryMiB: key.memory,
                usableMemoryMiB: Int64(capacityUnits[gpu]) * granularityMiB,
                gpusInCluster: 0, gpusUsed: 0, gpusLowerBound: 0)
            entry.gpusInCluster += 1
            if !gpuReplicas[gpu].isEmpty {
                entry.gpusUsed += 1
                if exclusiveGPU[gpu] {
                    entry.gpusLowerBound += 1
                } else {
                    sharedUnits[key, default: 0] += capacityUnits[gpu] - freeUnits[gpu]
                    freeOnUsed += freeUnits[gpu]
                    if freeUnits[gpu] > 0 && freeUnits[gpu] < (smallestRequest ?? Int.max) { fragmented += freeUnits[gpu] }
                }
            }
            classes[key] = entry
        }
        for (key, units) in sharedUnits {
            let perGPU = Int((classes[key]?.usableMemoryMiB ?? 0) / granularityMiB)
            if perGPU > 0 { classes[key]?.gpusLowerBound += (units + perGPU - 1) / perGPU }
        }
        let perClass = classes.keys.sorted().compactMap { classes[$0] }
        let requested = jobs.reduce(0) { $0 + max(0, $1.workload.replicas) }
        let unplaced = jobs.reduce(0) { $0 + $1.remaining }
        let kept = replicas.reduce(0) { $0 + (($1?.kept ?? false) ? 1 : 0) }
        return PlacementFigures(
            replicasRequested: requested, replicasPlaced: requested - unplaced, replicasKept: kept,
            granularityMiB: granularityMiB,
            gpusUsed: perClass.reduce(0) { $0 + $1.gpusUsed },
            gpusLowerBound: perClass.reduce(0) { $0 + $1.gpusLowerBound },
            fragmentedGPUMemoryMiB: Int64(fragmented) * granularityMiB,
            freeGPUMemoryOnUsedGPUsMiB: Int64(freeOnUsed) * granularityMiB,
            perClass: perClass)
    }
}
