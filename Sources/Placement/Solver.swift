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
    /// Copies of the workload's figures the search reads for every candidate.
    var cpuMillis: Int64
    var memoryBytes: Int64
    var exclusive: Bool
    var needsGPU: Bool
    /// Units of the GPU device-plugin resource per replica.
    var devices: Int
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
    /// Candidate nodes (GPU jobs: candidate GPUs); fewer candidates means placed earlier among equals.
    var candidates: Int
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
    /// Per node: free units of the GPU device-plugin resource, and room for more pods.
    var freeDevices: [Int]
    var freePods: [Int]
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

    /// Nodes that every static filter but nodeName treats alike share a profile; filters run
    /// once per profile instead of once per node.
    let profiles: [PlacementNode]
    let nodeProfile: [Int]

    /// GPU classes (products): each GPU's class, and each job's candidate classes.
    var gpuClass: [Int] = []
    var jobClasses: [[Int]] = []
    /// Per class: unplaced replicas of shared-GPU jobs by GPU demand (units), and their total demand.
    var pendingBySize: [[Int]] = []
    var pendingUnits: [Int] = []
    /// Per class: free units on GPUs that hold shared replicas, room pending replicas can still use.
    var openFreeUnits: [Int] = []

    var replicas: [PlacedReplica?] = []
    /// Per job: node -> replicas of that job on it (for spreading).
    var jobNodes: [[Int: Int]]
    /// Per job: some replica was kept from the previous plan.
    var hasKept: [Bool]

    /// `loads` (indexed like `nodes`, or empty) is what pods already bound there take.
    init(nodes: [PlacementNode], workloads: [PlacementWorkload], granularityMiB: Int64, loads: [NodeLoad] = []) {
        self.nodes = nodes
        self.granularityMiB = granularityMiB
        var index: [String: Int] = [:]
        index.reserveCapacity(nodes.count)
        for i in nodes.indices { index[nodes[i].name] = i }
        nodeIndex = index
        let load = { (i: Int) in i < loads.count ? loads[i] : NodeLoad() }
        freeCPU = nodes.indices.map { nodes[$0].cpuMillis - load($0).cpuMillis }
        freeMemory = nodes.indices.map { nodes[$0].memoryBytes - load($0).memoryBytes }
        freeDevices = nodes.indices.map { (nodes[$0].allocatableGPUs ?? 0) - load($0).gpuDevices }
        // Without a known pod limit, a node holds as many pods as anything else allows.
        freePods = nodes.indices.map { (nodes[$0].allocatablePods ?? Int(Int32.max)) - load($0).pods }

        var first: [Int] = []
        var owner: [Int] = []
        var slot: [Int] = []
        var capacity: [Int] = []
        for i in nodes.indices {
            first.append(owner.count)
            let units = Int(max(0, nodes[i].gpuMemoryMiB ?? 0) / granularityMiB)
            for s in 0..<nodes[i].usableGPUCount {
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

        (profiles, nodeProfile) = Solver.profiles(of: nodes, selectorKeys: Set(workloads.flatMap { $0.nodeSelector.keys }))

        jobs = []
        jobNodes = []
        for workload in workloads {
            let units = Int(max(0, workload.gpuMemoryMiB) / granularityMiB)
            jobs.append(Job(workload: workload, demandUnits: units, cpuMillis: workload.cpuMillis, memoryBytes: workload.memoryBytes,
                            exclusive: workload.gpuExclusive, needsGPU: workload.needsGPU, devices: workload.gpuDevicesPerReplica,
                            group: -1, remaining: max(0, workload.replicas)))
            jobNodes.append([:])
        }
        hasKept = Array(repeating: false, count: jobs.count)
        for j in jobs.indices { jobs[j].group = group(for: jobs[j].workload) }
        setUpClasses()
    }

    // MARK: Candidate index

    private mutating func group(for workload: PlacementWorkload) -> Int {
        let key = FeasibilityKey(workload)
        if let existing = groupByKey[key] { return existing }
        var preferred: [Int] = []
        var dispreferred: [Int] = []
        if let name = workload.nodeName {
            if let i = nodeIndex[name], workload.rejection(of: nodes[i]) == nil {
                if workload.isDispreferred(nodes[i]) { dispreferred.append(i) } else { preferred.append(i) }
            }
        } else {
            // 0: rejected, 1: preferred, 2: dispreferred.
            let verdicts = profiles.map { profile -> UInt8 in
                workload.rejection(of: profile) != nil ? 0 : workload.isDispreferred(profile) ? 2 : 1
            }
            for i in nodes.indices {
                switch verdicts[nodeProfile[i]] {
                case 1: preferred.append(i)
                case 2: dispreferred.append(i)
                default: break
                }
            }
        }
        var tierIDs: [Int] = []
        for members in [preferred, dispreferred] where !members.isEmpty {
            tierIDs.append(makeTier(members: members, gpus: workload.needsGPU))
        }
        let candidates = workload.needsGPU
            ? (preferred + dispreferred).reduce(0) { $0 + nodes[$1].usableGPUCount }
            : preferred.count + dispreferred.count
        groups.append(Group(tiers: tierIDs, candidates: candidates))
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

    /// Groups nodes by what the static filters (except nodeName) look at: readiness, layer,
    /// architecture, taints, GPU product and presence, and the labels some nodeSelector names.
    private static func profiles(of nodes: [PlacementNode], selectorKeys: Set<String>) -> ([PlacementNode], [Int]) {
        struct ProfileKey: Hashable {
            var acceptsWork: Bool
            var isEdge: Bool
            var architecture: String
            var taints: [PlacementTaint]
            var product: String?
            var hasGPU: Bool
            var labels: [String: String]
        }
        var representatives: [PlacementNode] = []
        var byKey: [ProfileKey: Int] = [:]
        var assignment: [Int] = []
        assignment.reserveCapacity(nodes.count)
        for i in nodes.indices {
            var labels: [String: String] = [:]
            for key in selectorKeys { if let value = nodes[i].labels[key] { labels[key] = value } }
            let key = ProfileKey(acceptsWork: nodes[i].acceptsNewWork, isEdge: nodes[i].isEdge, architecture: nodes[i].architecture,
                                 taints: nodes[i].taints, product: nodes[i].gpuProduct, hasGPU: nodes[i].usableGPUCount > 0, labels: labels)
            if let existing = byKey[key] {
                assignment.append(existing)
            } else {
                var representative = nodes[i]
                representative.labels = labels
                byKey[key] = representatives.count
                assignment.append(representatives.count)
                representatives.append(representative)
            }
        }
        return (representatives, assignment)
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

    private mutating func setUpClasses() {
        var classOfProduct: [String: Int] = [:]
        gpuClass = gpuNode.map { node in
            let product = nodes[node].gpuProduct ?? ""
            if let known = classOfProduct[product] { return known }
            classOfProduct[product] = classOfProduct.count
            return classOfProduct.count - 1
        }
        var classesOfGroup: [[Int]] = Array(repeating: [], count: groups.count)
        for g in groups.indices {
            var seen = Set<Int>()
            for t in groups[g].tiers {
                for bucket in tiers[t].buckets { for gpu in bucket { seen.insert(gpuClass[gpu]) } }
            }
            classesOfGroup[g] = seen.sorted()
        }
        jobClasses = jobs.map { $0.needsGPU && !$0.exclusive ? classesOfGroup[$0.group] : [] }
        pendingBySize = Array(repeating: Array(repeating: 0, count: maxCapacityUnits + 2), count: classOfProduct.count)
        pendingUnits = Array(repeating: 0, count: classOfProduct.count)
        openFreeUnits = Array(repeating: 0, count: classOfProduct.count)
        for j in jobs.indices { adjustPending(j, by: jobs[j].remaining) }
    }

    /// The free units of `gpu` if it holds shared replicas, else 0.
    func openFree(_ gpu: Int) -> Int {
        gpuReplicas[gpu].isEmpty || exclusiveGPU[gpu] ? 0 : freeUnits[gpu]
    }

    private mutating func adjustPending(_ job: Int, by delta: Int) {
        let units = jobs[job].demandUnits
        guard units <= maxCapacityUnits else { return }
        for c in jobClasses[job] {
            pendingBySize[c][units] += delta
            pendingUnits[c] += delta * units
        }
    }

    /// Gaps on `job`'s GPU classes smaller than this can no longer be filled: the smallest
    /// demand among the other pending shared replicas of those classes. 0 (no preference) once
    /// the open GPUs of a class have room for everything still pending there.
    func deadGapLimit(for job: Int) -> Int {
        let own = jobs[job].demandUnits
        var limit = Int.max
        for c in jobClasses[job] {
            if pendingUnits[c] - own <= openFreeUnits[c] { return 0 }
            for units in 1..<pendingBySize[c].count {
                if pendingBySize[c][units] - (units == own ? 1 : 0) > 0 {
                    limit = min(limit, units)
                    break
                }
            }
        }
        return limit == Int.max ? 0 : limit
    }

    /// Whether node `node` has the CPU, memory, a pod slot and the GPU device units for one replica of `job`.
    func nodeFits(_ job: Int, _ node: Int) -> Bool {
        freeCPU[node] >= jobs[job].cpuMillis && freeMemory[node] >= jobs[job].memoryBytes
            && freePods[node] >= 1 && freeDevices[node] >= jobs[job].devices
    }

    /// Whether `gpu` has room for one replica of `job` (ignoring the node's CPU and memory).
    func gpuFits(_ job: Int, _ gpu: Int) -> Bool {
        let demand = jobs[job].demandUnits
        if jobs[job].exclusive {
            return gpuReplicas[gpu].isEmpty && capacityUnits[gpu] >= demand
        }
        return !exclusiveGPU[gpu] && freeUnits[gpu] >= demand
    }

    /// Records one replica of `job` on `node` (and `gpu`, or -1) and returns its id.
    @discardableResult
    mutating func place(_ job: Int, node: Int, gpu: Int, kept: Bool) -> Int {
        freeCPU[node] -= jobs[job].cpuMillis
        freeMemory[node] -= jobs[job].memoryBytes
        freePods[node] -= 1
        freeDevices[node] -= jobs[job].devices
        if kept { hasKept[job] = true }
        let id = replicas.count
        if gpu >= 0 {
            let oldLevel = level(of: gpu)
            let oldOpen = openFree(gpu)
            if jobs[job].exclusive {
                exclusiveGPU[gpu] = true
                freeUnits[gpu] = 0
            } else {
                freeUnits[gpu] -= jobs[job].demandUnits
                adjustPending(job, by: -1)
            }
            gpuReplicas[gpu].append(id)
            openFreeUnits[gpuClass[gpu]] += openFree(gpu) - oldOpen
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
        freeCPU[replica.node] += jobs[replica.job].cpuMillis
        freeMemory[replica.node] += jobs[replica.job].memoryBytes
        freePods[replica.node] += 1
        freeDevices[replica.node] += jobs[replica.job].devices
        if replica.gpu >= 0 {
            let gpu = replica.gpu
            let oldLevel = level(of: gpu)
            let oldOpen = openFree(gpu)
            if jobs[replica.job].exclusive {
                exclusiveGPU[gpu] = false
                freeUnits[gpu] = capacityUnits[gpu]
            } else {
                freeUnits[gpu] += jobs[replica.job].demandUnits
                adjustPending(replica.job, by: 1)
            }
            if let at = gpuReplicas[gpu].firstIndex(of: id) { gpuReplicas[gpu].remove(at: at) }
            openFreeUnits[gpuClass[gpu]] += openFree(gpu) - oldOpen
            rebucket(gpu, from: oldLevel)
        }
        replicas[id] = nil
        let count = (jobNodes[replica.job][replica.node] ?? 1) - 1
        jobNodes[replica.job][replica.node] = count > 0 ? count : nil
        jobs[replica.job].remaining += 1
    }
}
