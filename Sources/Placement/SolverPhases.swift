extension Solver {
    /// Keeps the previous plan's replicas of `job` that are still feasible and still fit.
    ///
    /// A replica moves when its node is gone, NotReady, cordoned or no longer matches the
    /// model's constraints, when its GPU slot is gone or its GPU request changed, or when the
    /// model asks for fewer replicas (the nodes holding the most replicas give them up first).
    mutating func keep(_ job: Int, previous: [PlacementAssignment]) {
        let workload = jobs[job].workload
        let tiersOfJob = Set(groups[jobs[job].group].tiers)
        // Where each still-feasible assignment lives: (node, GPU id or -1, replicas).
        var slots: [(node: Int, gpu: Int, count: Int)] = []
        for assignment in previous.sorted() where assignment.replicas > 0 {
            guard let node = nodeIndex[assignment.node], workload.rejection(of: nodes[node]) == nil else { continue }
            var gpu = -1
            if workload.needsGPU {
                guard let slot = assignment.gpuIndex, slot >= 0, slot < nodes[node].usableGPUCount,
                      assignment.gpuMemoryMiB == workload.gpuMemoryMiB, assignment.gpuExclusive == workload.gpuExclusive
                else { continue }
                gpu = firstGPU[node] + slot
                guard gpuTiers[gpu].contains(where: tiersOfJob.contains) else { continue }
            } else if assignment.gpuIndex != nil {
                continue
            }
            slots.append((node, gpu, assignment.replicas))
        }
        // Scaled down: the slots holding the most replicas give them up first (the last such on ties).
        var surplus = slots.reduce(0) { $0 + $1.count } - max(0, workload.replicas)
        while surplus > 0, let largest = slots.indices.max(by: { (slots[$0].count, $0) < (slots[$1].count, $1) }) {
            slots[largest].count -= 1
            surplus -= 1
        }
        for slot in slots {
            for _ in 0..<slot.count where jobs[job].remaining > 0 {
                guard nodeFits(job, slot.node), slot.gpu < 0 || gpuFits(job, slot.gpu) else { break }
                place(job, node: slot.node, gpu: slot.gpu, kept: true)
            }
        }
    }

    /// Places the remaining replicas of every job, largest GPU demand first, best fit.
    mutating func placeGreedily(order: [Int]) {
        for job in order {
            while jobs[job].remaining > 0, let slot = findSlot(for: job) {
                place(job, node: slot.node, gpu: slot.gpu, kept: false)
            }
        }
    }

    /// Spreads again, onto `reopened` nodes (uncordoned, Ready again or back), the jobs that
    /// kept several replicas on one node: one replica at a time moves from the node holding the
    /// most of them to a reopened node that runs none and has room. Only fully placed jobs with
    /// kept replicas move; nothing else leaves a node that is still fine.
    mutating func respread(order: [Int], reopened: [Int]) {
        guard !reopened.isEmpty else { return }
        for job in order where hasKept[job] && jobs[job].remaining == 0 {
            let wanted = max(0, jobs[job].workload.replicas)
            while jobNodes[job].count < wanted {
                guard let source = jobNodes[job].max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), source.value > 1,
                      let slot = reopenedSlot(for: job, among: reopened),
                      let moving = replicas.indices.last(where: { replicas[$0]?.job == job && replicas[$0]?.node == source.key })
                else { break }
                unplace(moving)
                place(job, node: slot.node, gpu: slot.gpu, kept: false)
            }
        }
    }

    /// A slot for one more replica of `job` on a reopened node that does not run it yet: the
    /// GPU it fills most (best fit), or -1 for jobs without a GPU.
    private func reopenedSlot(for job: Int, among reopened: [Int]) -> (node: Int, gpu: Int)? {
        let workload = jobs[job].workload
        for node in reopened where jobNodes[job][node] == nil && workload.rejection(of: nodes[node]) == nil && nodeFits(job, node) {
            guard jobs[job].needsGPU else { return (node, -1) }
            let gpus = firstGPU[node]..<(firstGPU[node] + nodes[node].usableGPUCount)
            if let gpu = gpus.filter({ gpuFits(job, $0) }).min(by: { (freeUnits[$0], $0) < (freeUnits[$1], $1) }) {
                return (node, gpu)
            }
        }
        return nil
    }

    /// For GPU jobs left with unplaced replicas: makes room on a GPU by moving replicas placed
    /// in this run (never kept ones) to other GPUs, one level deep, undoing any attempt that fails.
    /// Bounded: once a (candidates, request) pair fails, equal requests are not retried, and the
    /// whole step stops after `budget` attempts, so a full cluster cannot make planning slow.
    mutating func repair(order: [Int], attemptsPerReplica: Int = 256, budget: Int = 5_000) {
        struct Request: Hashable { var group: Int, demand: Int, exclusive: Bool }
        var failed = Set<Request>()
        var attemptsLeft = budget
        for job in order where jobs[job].remaining > 0 && jobs[job].needsGPU {
            let request = Request(group: jobs[job].group, demand: jobs[job].demandUnits, exclusive: jobs[job].exclusive)
            if failed.contains(request) { continue }
            while jobs[job].remaining > 0 && attemptsLeft > 0 {
                if let slot = findSlot(for: job) {
                    place(job, node: slot.node, gpu: slot.gpu, kept: false)
                } else if !makeRoom(for: job, attempts: min(attemptsPerReplica, attemptsLeft), used: &attemptsLeft) {
                    failed.insert(request)
                    break
                }
            }
        }
    }

    private mutating func makeRoom(for job: Int, attempts: Int, used attemptsLeft: inout Int) -> Bool {
        let demand = jobs[job].demandUnits
        let exclusive = jobs[job].workload.gpuExclusive
        var candidates: [Int] = []
        for t in groups[jobs[job].group].tiers {
            for bucket in tiers[t].buckets {
                for gpu in bucket where capacityUnits[gpu] >= demand && nodeFits(job, gpuNode[gpu]) {
                    let movable = gpuReplicas[gpu].allSatisfy { replicas[$0]?.kept == false }
                    if exclusive ? movable : (!exclusiveGPU[gpu] || movable) { candidates.append(gpu) }
                }
            }
        }
        // Most free memory first: the fewest replicas to move.
        candidates.sort { (freeUnits[$0], -$0) > (freeUnits[$1], -$1) }
        for gpu in candidates.prefix(attempts) {
            attemptsLeft -= 1
            if tryMakeRoom(for: job, on: gpu) { return true }
        }
        return false
    }

    private mutating func tryMakeRoom(for job: Int, on gpu: Int) -> Bool {
        let demand = jobs[job].demandUnits
        let movable = gpuReplicas[gpu].filter { replicas[$0]?.kept == false }
            .sorted { (unitsOf($0), $0) > (unitsOf($1), $1) }
        var evicted: [PlacedReplica] = []
        var evictedIDs: [Int] = []
        if jobs[job].workload.gpuExclusive || exclusiveGPU[gpu] {
            evictedIDs = movable
        } else {
            var needed = demand - freeUnits[gpu]
            // The smallest single replica that frees enough, else the largest ones until enough.
            if let single = movable.last(where: { unitsOf($0) >= needed }) {
                evictedIDs = [single]
            } else {
                for id in movable where needed > 0 {
                    evictedIDs.append(id)
                    needed -= unitsOf(id)
                }
                if needed > 0 { return false }
            }
        }
        guard !evictedIDs.isEmpty else { return false }
        for id in evictedIDs {
            if let replica = replicas[id] { evicted.append(replica) }
            unplace(id)
        }
        var placedNow: [Int] = []
        if gpuFits(job, gpu) && nodeFits(job, gpuNode[gpu]) {
            placedNow.append(place(job, node: gpuNode[gpu], gpu: gpu, kept: false))
            var ok = true
            for replica in evicted {
                guard let slot = findSlot(for: replica.job, avoidingGPU: gpu) else { ok = false; break }
                placedNow.append(place(replica.job, node: slot.node, gpu: slot.gpu, kept: false))
            }
            if ok { return true }
        }
        for id in placedNow.reversed() { unplace(id) }
        for replica in evicted { place(replica.job, node: replica.node, gpu: replica.gpu, kept: false) }
        return false
    }

    private func unitsOf(_ replica: Int) -> Int {
        guard let job = replicas[replica]?.job else { return 0 }
        return jobs[job].workload.gpuExclusive ? capacityUnits[replicas[replica]?.gpu ?? 0] : jobs[job].demandUnits
    }
}
