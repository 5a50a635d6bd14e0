extension Solver {
    /// The best slot for one more replica of `job`, or nil when none is free.
    ///
    /// Nodes that do not run the job yet come first (replicas spread over nodes when possible);
    /// then preferred nodes before ones with untolerated PreferNoSchedule taints; then, for GPU
    /// jobs, best fit: the GPU left with the least free memory, partly used GPUs before empty
    /// ones of the same free memory.
    mutating func findSlot(for job: Int, avoidingGPU avoided: Int = -1) -> (node: Int, gpu: Int)? {
        let needsGPU = jobs[job].needsGPU
        // A gap smaller than every pending request is dead. While the pending replicas need more
        // room than the open GPUs have left, prefer slots that leave no dead gap (a 7 GiB model
        // next to another 7 GiB one on a T4 wastes 1 GiB; alone it leaves 8 GiB for 6 + 2).
        let deadBelow = needsGPU && !jobs[job].exclusive ? deadGapLimit(for: job) : 0
        for pass in 0..<2 {
            let spread = pass == 0
            for t in groups[jobs[job].group].tiers {
                if needsGPU {
                    if deadBelow > 1, let gpu = bestFitGPU(job, tier: t, spread: spread, avoiding: avoided, deadBelow: deadBelow) {
                        return (gpuNode[gpu], gpu)
                    }
                    if let gpu = bestFitGPU(job, tier: t, spread: spread, avoiding: avoided, deadBelow: 0) {
                        return (gpuNode[gpu], gpu)
                    }
                } else if let node = nextNode(job, tier: t, spread: spread) {
                    return (node, -1)
                }
            }
        }
        return nil
    }

    private func bestFitGPU(_ job: Int, tier t: Int, spread: Bool, avoiding avoided: Int, deadBelow: Int) -> Int? {
        let demand = jobs[job].demandUnits
        let exclusive = jobs[job].exclusive
        guard demand <= maxCapacityUnits else { return nil }
        for units in demand...maxCapacityUnits {
            let gap = units - demand
            if gap > 0 && gap < deadBelow { continue }
            for empty in (exclusive ? 1 : 0)...1 {
                for gpu in tiers[t].buckets[units * 2 + empty] where gpu != avoided {
                    let node = gpuNode[gpu]
                    if spread && jobNodes[job][node] != nil { continue }
                    if !exclusiveGPU[gpu] && nodeFits(job, node) { return gpu }
                }
            }
        }
        return nil
    }

    /// Round robin over the tier's CPU candidates (nodes without GPUs first), starting after the
    /// last node chosen.
    private mutating func nextNode(_ job: Int, tier t: Int, spread: Bool) -> Int? {
        for segment in tiers[t].cpuNodes.indices {
            let candidates = tiers[t].cpuNodes[segment]
            guard !candidates.isEmpty else { continue }
            let start = tiers[t].cursors[segment] % candidates.count
            for step in 0..<candidates.count {
                let at = (start + step) % candidates.count
                let node = candidates[at]
                if spread && jobNodes[job][node] != nil { continue }
                if nodeFits(job, node) {
                    tiers[t].cursors[segment] = at + 1
                    return node
                }
            }
        }
        return nil
    }
}
