/// One replica the solver has put somewhere.
struct PlacedReplica {
    var job: Int
    var node: Int
    /// Global GPU id, or -1 without a GPU.
    var gpu: Int
    /// Kept from the previous plan; never moved by the repair step.
    var kept: Bool
}

/// A workload with its derived figures.
struct Job {
    var workload: PlacementWorkload
    /// GPU memory per replica in granularity units (0 without a GPU).
    var demandUnits: Int
    var group: Int
    /// Replicas still to place.
    var remaining: Int
}

/// Candidate nodes of one preference tier of a feasibility group, with GPUs bucketed by free memory.
struct Tier {
    /// GPU ids by level (`freeUnits * 2 + (empty ? 1 : 0)`), each bucket in a deterministic order.
    var buckets: [[Int]]
    /// Position of each GPU in its bucket, -1 when the GPU is not a member of this tier.
    var position: [Int]
    /// Candidate nodes for workloads without a GPU, in two segments tried in turn: nodes without
    /// GPUs, then GPU nodes (whose CPU and memory are best kept for GPU work).
    var cpuNodes: [[Int]]
    /// Round-robin position in each segment.
    var cursors: [Int] = [0, 0]
}

/// Candidates for one feasibility key: the preferred tier first, then nodes with untolerated
/// PreferNoSchedule taints.
struct Group {
    var tiers: [Int]
}

/// The mutable state of one planning run. Everything is indexed by position in the canonical
/// (sorted) node and job order, so the run is deterministic.
struct Solver {
    let nodes: [PlacementNode]
    let nodeIndex: [String: Int]
    let granularityMiB: Int64
    var jobs: [Job]

    var freeCPU: [Int64]
    var freeMemory: [Int64]
    let firstGPU: [Int]

    let gpuNode: [Int]
    let gpuSlot: [Int]
    let capacityUnits: [Int]
    var freeUnits: [Int]
    var exclusiveGPU: [Bool]
    var gpuReplicas: [[Int]]
    var gpuTiers: [[Int]]
    let maxCapacityUnits: Int

    var tiers: [Tier] = []
    var groups: [Group] = []
    var groupByKey: [FeasibilityKey: Int] = [:]

    var replicas: [PlacedReplica?] = []
    /// Per job: node -> replicas of that job on it (for spreading).
    var jobNodes: [[Int: Int]]

    init(nodes: [PlacementNode], workloads: [PlacementWorkload], granularityMiB: Int64) {
        self.nodes = nodes
        self.granularityMiB = granularityMiB
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.name] = i }
        nodeIndex = index
        freeCPU = nodes.map(\.cpuMillis)
        freeMemory = nodes.map(\.memoryBytes)

        var first: [Int] = []
        var owner: [Int] = []
        var slot: [Int] = []
        var capacity: [Int] = []
        for (i, node) in nodes.enumerated() {
            first.append(owner.count)
            let units = Int(max(0, node.gpuMemoryMiB ?? 0) / granularityMiB)
            for s in 0..<node.usableGPUCount {
                owner.append(i)
                slot.append(s)
                capacity.append(units)
            }
        }
        firstGPU = first
        gpuNode = owner
        gpuSlot = slot
        capacityUnits = capacity
        freeUnits = capacity
        exclusiveGPU = Array(repeating: false, count: capacity.count)
        gpuReplicas = Array(repeating: [], count: capacity.count)
        gpuTiers = Array(repeating: [], count: capacity.count)
        maxCapacityUnits = capacity.max() ?? 0

        jobs = []
        jobNodes = []
        for workload in workloads {
            let units = Int(max(0, workload.gpuMemoryMiB) / granularityMiB)
            jobs.append(Job(workload: workload, demandUnits: units, group: -1, remaining: max(0, workload.replicas)))
            jobNodes.append([:])
        }
        for j in jobs.indices { jobs[j].group = group(for: jobs[j].workload) }
    }

    // MARK: Candidate index

    private mutating func group(for workload: PlacementWorkload) -> Int {
        let key = FeasibilityKey(workload)
        if let existing = groupByKey[key] { return existing }
        var preferred: [Int] = []
        var dispreferred: [Int] = []
        for (i, node) in nodes.enumerated() where workload.rejection(of: node) == nil {
            if workload.isDispreferred(node) { dispreferred.append(i) } else { preferred.append(i) }
        }
        var tierIDs: [Int] = []
        for members in [preferred, dispreferred] where !members.isEmpty {
            tierIDs.append(makeTier(members: members, gpus: workload.needsGPU))
        }
        groups.append(Group(tiers: tierIDs))
        groupByKey[key] = groups.count - 1
        return groups.count - 1
    }

    private mutating func makeTier(members: [Int], gpus: Bool) -> Int {
        let id = tiers.count
        var tier = Tier(buckets: [], position: [], cpuNodes: [])
        if gpus {
            tier.buckets = Array(repeating: [], count: (maxCapacityUnits + 1) * 2)
            tier.position = Array(repeating: -1, count: gpuNode.count)
            for node in members {
                for gpu in firstGPU[node]..<(firstGPU[node] + nodes[node].usableGPUCount) {
                    let level = self.level(of: gpu)
                    tier.position[gpu] = tier.buckets[level].count
                    tier.buckets[level].append(gpu)
                    gpuTiers[gpu].append(id)
                }
            }
        } else {
            tier.cpuNodes = [members.filter { nodes[$0].usableGPUCount == 0 }, members.filter { nodes[$0].usableGPUCount > 0 }]
        }
        tiers.append(tier)
        return id
    }

    func level(of gpu: Int) -> Int {
        freeUnits[gpu] * 2 + (gpuReplicas[gpu].isEmpty ? 1 : 0)
    }

    /// Moves `gpu` from bucket `oldLevel` to its current level in every tier it belongs to.
    private mutating func rebucket(_ gpu: Int, from oldLevel: Int) {
        let newLevel = level(of: gpu)
        guard newLevel != oldLevel else { return }
        for t in gpuTiers[gpu] {
            let position = tiers[t].position[gpu]
            let last = tiers[t].buckets[oldLevel].removeLast()
            if last != gpu {
                tiers[t].buckets[oldLevel][position] = last
                tiers[t].position[last] = position
            }
            tiers[t].position[gpu] = tiers[t].buckets[newLevel].count
            tiers[t].buckets[newLevel].append(gpu)
        }
    }

    // MARK: Capacity

    /// Whether node `node` has the CPU and memory for one replica of `job`.
    func nodeFits(_ job: Int, _ node: Int) -> Bool {
        let workload = jobs[job].workload
        return freeCPU[node] >= workload.cpuMillis && freeMemory[node] >= workload.memoryBytes
    }

    /// Whether `gpu` has room for one replica of `job` (ignoring the node's CPU and memory).
    func gpuFits(_ job: Int, _ gpu: Int) -> Bool {
        let demand = jobs[job].demandUnits
        if jobs[job].workload.gpuExclusive {
            return gpuReplicas[gpu].isEmpty && capacityUnits[gpu] >= demand
        }
        return !exclusiveGPU[gpu] && freeUnits[gpu] >= demand
    }

    /// Records one replica of `job` on `node` (and `gpu`, or -1) and returns its id.
    @discardableResult
    mutating func place(_ job: Int, node: Int, gpu: Int, kept: Bool) -> Int {
        let workload = jobs[job].workload
        freeCPU[node] -= workload.cpuMillis
        freeMemory[node] -= workload.memoryBytes
        let id = replicas.count
        if gpu >= 0 {
            let oldLevel = level(of: gpu)
            if workload.gpuExclusive {
                exclusiveGPU[gpu] = true
                freeUnits[gpu] = 0
            } else {
                freeUnits[gpu] -= jobs[job].demandUnits
            }
            gpuReplicas[gpu].append(id)
            rebucket(gpu, from: oldLevel)
        }
        replicas.append(PlacedReplica(job: job, node: node, gpu: gpu, kept: kept))
        jobNodes[job][node, default: 0] += 1
        jobs[job].remaining -= 1
        return id
    }

    /// Undoes `place` for replica `id`.
    mutating func unplace(_ id: Int) {
        guard let replica = replicas[id] else { return }
        let workload = jobs[replica.job].workload
        freeCPU[replica.node] += workload.cpuMillis
        freeMemory[replica.node] += workload.memoryBytes
        if replica.gpu >= 0 {
            let gpu = replica.gpu
            let oldLevel = level(of: gpu)
            if workload.gpuExclusive {
                exclusiveGPU[gpu] = false
                freeUnits[gpu] = capacityUnits[gpu]
            } else {
                freeUnits[gpu] += jobs[replica.job].demandUnits
            }
            if let at = gpuReplicas[gpu].firstIndex(of: id) { gpuReplicas[gpu].remove(at: at) }
            rebucket(gpu, from: oldLevel)
        }
        replicas[id] = nil
        let count = (jobNodes[replica.job][replica.node] ?? 1) - 1
        jobNodes[replica.job][replica.node] = count > 0 ? count : nil
        jobs[replica.job].remaining += 1
    }
}
