extension Solver {
    /// Gathers the replicas into per-model assignments, explains what is unplaced, and measures the plan.
    func makePlan() -> PlacementPlan {
        var grouped: [[Int: (replicas: Int, kept: Int)]] = Array(repeating: [:], count: jobs.count)
        var keyedGPU: [[Int: Int]] = Array(repeating: [:], count: jobs.count)
        for case let replica? in replicas {
            // One assignment per (node, GPU): GPU ids are unique; CPU-only replicas key by -1 - node.
            let slotKey = replica.gpu >= 0 ? replica.gpu : -1 - replica.node
            grouped[replica.job][slotKey, default: (0, 0)].replicas += 1
            if replica.kept { grouped[replica.job][slotKey, default: (0, 0)].kept += 1 }
            keyedGPU[replica.job][slotKey] = replica.node
        }
        var models: [ModelPlacement] = []
        for (j, job) in jobs.enumerated() {
            var assignments: [PlacementAssignment] = []
            var kept = 0
            for (slotKey, count) in grouped[j] {
                let node = keyedGPU[j][slotKey] ?? 0
                let gpu = slotKey >= 0 ? slotKey : -1
                assignments.append(PlacementAssignment(
                    node: nodes[node].name, replicas: count.replicas,
                    gpuIndex: gpu >= 0 ? gpuSlot[gpu] : nil,
                    gpuMemoryMiB: gpu >= 0 ? job.workload.gpuMemoryMiB : 0,
                    gpuExclusive: gpu >= 0 && job.workload.gpuExclusive))
                kept += count.kept
            }
            assignments.sort()
            let reason = job.remaining > 0 ? explain(j) : nil
            models.append(ModelPlacement(key: job.workload.key, requestedReplicas: max(0, job.workload.replicas),
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
