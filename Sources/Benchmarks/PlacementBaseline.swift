import Placement

/// The baseline the benchmark compares against: each replica, in arrival order, goes to the
/// first node (in input order) and first GPU that fits, with the CPU, memory, pod slots and GPU
/// device units the foreign pods leave. Written independently of the core.
enum FirstFitBaseline {
    struct Result {
        var replicasPlaced = 0
        var gpusUsed = 0
        /// Per GPU class (product): GPU memory placed in MiB, exclusive GPUs, usable MiB per GPU.
        var lowerBound = 0
    }

    static func place(nodes: [PlacementNode], workloads: [PlacementWorkload], pods: [PlacementPod], granularityMiB: Int64) -> Result {
        var freeCPU = nodes.map(\.cpuMillis)
        var freeMemory = nodes.map(\.memoryBytes)
        var freeUnits = nodes.map { $0.allocatableGPUs ?? 0 }
        var freePods = nodes.map { $0.allocatablePods ?? Int.max }
        let position = Dictionary(nodes.indices.map { (nodes[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        for pod in pods {
            guard let n = position[pod.node] else { continue }
            freeCPU[n] -= pod.cpuMillis
            freeMemory[n] -= pod.memoryBytes
            freeUnits[n] -= pod.gpuDevices
            freePods[n] -= pod.count
        }
        var gpuFree: [[Int64]] = nodes.map { node in
            Array(repeating: (max(0, node.gpuMemoryMiB ?? 0) / granularityMiB) * granularityMiB, count: node.usableGPUCount)
        }
        var gpuUsed: [[Bool]] = nodes.map { Array(repeating: false, count: $0.usableGPUCount) }
        var placedMiB: [String: Int64] = [:]
        var exclusiveByClass: [String: Int] = [:]
        var result = Result()
        var candidatesBySignature: [String: [Int]] = [:]
        for workload in workloads {
            let signature = signatureOf(workload)
            let candidates = candidatesBySignature[signature] ?? nodes.indices.filter { allowed(nodes[$0], workload) }
            candidatesBySignature[signature] = candidates
            for _ in 0..<max(0, workload.replicas) {
                search: for n in candidates where freeCPU[n] >= workload.cpuMillis && freeMemory[n] >= workload.memoryBytes
                    && freePods[n] >= 1 && freeUnits[n] >= workload.gpuDevicesPerReplica {
                    if !workload.needsGPU {
                        freeCPU[n] -= workload.cpuMillis
                        freeMemory[n] -= workload.memoryBytes
                        freePods[n] -= 1
                        result.replicasPlaced += 1
                        break search
                    }
                    for g in gpuFree[n].indices {
                        let fits = workload.gpuExclusive ? !gpuUsed[n][g] && gpuFree[n][g] >= workload.gpuMemoryMiB : gpuFree[n][g] >= workload.gpuMemoryMiB
                        guard fits else { continue }
                        freeCPU[n] -= workload.cpuMillis
                        freeMemory[n] -= workload.memoryBytes
                        freePods[n] -= 1
                        freeUnits[n] -= workload.gpuDevicesPerReplica
                        let product = nodes[n].gpuProduct ?? "unknown"
                        if workload.gpuExclusive {
                            gpuFree[n][g] = 0
                            exclusiveByClass[product, default: 0] += 1
                        } else {
                            gpuFree[n][g] -= workload.gpuMemoryMiB
                            placedMiB[product, default: 0] += workload.gpuMemoryMiB
                        }
                        gpuUsed[n][g] = true
                        result.replicasPlaced += 1
                        break search
                    }
                }
            }
        }
        result.gpusUsed = gpuUsed.reduce(0) { $0 + $1.filter { $0 }.count }
        var usablePerGPU: [String: Int64] = [:]
        for node in nodes where node.usableGPUCount > 0 {
            usablePerGPU[node.gpuProduct ?? "unknown"] = (max(0, node.gpuMemoryMiB ?? 0) / granularityMiB) * granularityMiB
        }
        for (product, mib) in placedMiB {
            let per = usablePerGPU[product] ?? 1
            result.lowerBound += Int((mib + per - 1) / per)
        }
        result.lowerBound += exclusiveByClass.values.reduce(0, +)
        return result
    }

    /// Workloads with equal signatures are allowed on the same nodes.
    private static func signatureOf(_ w: PlacementWorkload) -> String {
        "\(w.layer?.rawValue ?? "-")|\(w.nodeName ?? "-")|\(w.nodeSelector.sorted { $0.key < $1.key })|\(w.architectures)|\(w.tolerations.map { "\($0.key)\($0.operator)\($0.value)\($0.effect?.rawValue ?? "")" })|\(w.gpuProducts)|\(w.needsGPU)"
    }

    private static func allowed(_ node: PlacementNode, _ workload: PlacementWorkload) -> Bool {
        guard node.ready && !node.unschedulable else { return false }
        if let name = workload.nodeName, name != node.name { return false }
        if let layer = workload.layer, (layer == .edge) != node.isEdge { return false }
        if workload.nodeSelector.contains(where: { node.labels[$0.key] != $0.value }) { return false }
        if !workload.architectures.isEmpty && !workload.architectures.contains(node.architecture) { return false }
        for taint in node.taints where taint.effect != .preferNoSchedule && !workload.tolerates(taint) { return false }
        if workload.needsGPU && (node.usableGPUCount == 0 || !workload.allowsProduct(node.gpuProduct)) { return false }
        return true
    }
}
