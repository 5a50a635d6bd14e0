/// The batched, GPU-aware placement core: input values in, a plan out. Pure: no I/O, no clock.
///
/// Call it with every InferenceModel the operator knows (the batch), the assignments of the
/// previous plan (`status.placements`) and the pods bound to the nodes. Previous assignments that
/// are still feasible and still fit are kept; the rest, and new or added replicas, are placed
/// together. Models missing from the batch are treated as deleted: their capacity is free again.
/// `reopened` names nodes that became available again since the previous plan (uncordoned,
/// Ready again, or back): a model that kept several replicas on one node gets one moved to such
/// a node at a time while it has room (spread restored); no other reason moves a replica that
/// still fits.
///
/// Capacity is what kube-scheduler sees: allocatable CPU, memory, pods and GPU device units
/// minus what the bound pods request (see ``PlacementPod`` for this operator's own pods).
///
/// The plan depends only on the set of inputs, never on their order: nodes and models are
/// sorted first (a duplicated node name or model key keeps the first after sorting).
public enum PlacementPlanner {
    public static func plan(
        nodes: [PlacementNode],
        workloads: [PlacementWorkload],
        existing: [ModelKey: [PlacementAssignment]] = [:],
        pods: [PlacementPod] = [],
        reopened: Set<String> = []
    ) -> PlacementPlan {
        let sortedNodes = uniqueSorted(nodes, by: \.name)
        let sortedWorkloads = uniqueSorted(workloads, by: \.key)
        let granularity = granularityMiB(of: sortedWorkloads)
        let loads = loads(of: pods, on: sortedNodes, workloads: sortedWorkloads, existing: existing)
        var solver = Solver(nodes: sortedNodes, workloads: sortedWorkloads, granularityMiB: granularity, loads: loads)

        for job in solver.jobs.indices {
            if let previous = existing[solver.jobs[job].workload.key] { solver.keep(job, previous: previous) }
        }
        let order = solver.jobs.indices.sorted { solver.priority($0, before: $1) }
        solver.placeGreedily(order: order)
        solver.repair(order: order)
        solver.respread(order: order, reopened: reopened.compactMap { solver.nodeIndex[$0] }.sorted())
        return solver.makePlan()
    }

    /// What the bound pods take from each node (indexed like `nodes`), leaving out a batch
    /// model's own pods on the nodes its previous placement names (the plan counts those).
    static func loads(of pods: [PlacementPod], on nodes: [PlacementNode], workloads: [PlacementWorkload],
                      existing: [ModelKey: [PlacementAssignment]]) -> [NodeLoad] {
        var loads = Array(repeating: NodeLoad(), count: nodes.count)
        guard !pods.isEmpty else { return loads }
        var index: [String: Int] = [:]
        index.reserveCapacity(nodes.count)
        for i in nodes.indices { index[nodes[i].name] = i }
        var placedOn: [ModelKey: Set<String>] = [:]
        for workload in workloads {
            if let previous = existing[workload.key] { placedOn[workload.key] = Set(previous.map(\.node)) }
        }
        for pod in pods {
            guard let node = index[pod.node] else { continue }
            if let model = pod.model, placedOn[model]?.contains(pod.node) == true { continue }
            loads[node].add(pod)
        }
        return loads
    }

    /// The unit GPU memory is counted in: the greatest common divisor of the batch's GPU requests
    /// (1 GiB when nothing asks for GPU memory). With whole-GiB requests a 7611 MiB P4 holds 7 units.
    static func granularityMiB(of workloads: [PlacementWorkload]) -> Int64 {
        var divisor: Int64 = 0
        for workload in workloads where workload.gpuMemoryMiB > 0 {
            divisor = gcd(divisor, workload.gpuMemoryMiB)
        }
        return divisor > 0 ? divisor : 1024
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    private static func uniqueSorted<T, K: Comparable>(_ items: [T], by key: (T) -> K) -> [T] {
        let keys = items.map(key)
        let order = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        var result: [T] = []
        result.reserveCapacity(order.count)
        var previous: Int?
        for i in order where previous.map({ keys[$0] != keys[i] }) ?? true {
            result.append(items[i])
            previous = i
        }
        return result
    }
}

extension Solver {
    /// Largest GPU demand first: whole GPUs, then GPU memory per replica (what decides packing),
    /// then the more constrained (fewer candidate GPUs or nodes), then total GPU memory, CPU and
    /// memory; the model key breaks ties so input order never matters.
    func priority(_ a: Int, before b: Int) -> Bool {
        let x = jobs[a], y = jobs[b]
        if x.workload.gpuExclusive != y.workload.gpuExclusive { return x.workload.gpuExclusive }
        if x.demandUnits != y.demandUnits { return x.demandUnits > y.demandUnits }
        let candidatesX = groups[x.group].candidates, candidatesY = groups[y.group].candidates
        if candidatesX != candidatesY { return candidatesX < candidatesY }
        let totalX = x.demandUnits * x.remaining, totalY = y.demandUnits * y.remaining
        if totalX != totalY { return totalX > totalY }
        if x.workload.cpuMillis != y.workload.cpuMillis { return x.workload.cpuMillis > y.workload.cpuMillis }
        if x.workload.memoryBytes != y.workload.memoryBytes { return x.workload.memoryBytes > y.workload.memoryBytes }
        return x.workload.key < y.workload.key
    }
}
