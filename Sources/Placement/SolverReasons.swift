extension Solver {
    /// What an explanation depends on besides the replica counts; jobs that share it share the text.
    struct ExplanationKey: Hashable {
        var group: Int
        var gpuMemoryMiB: Int64
        var exclusive: Bool
        var cpuMillis: Int64
        var memoryBytes: Int64
        var devices: Int
    }

    /// Why the remaining replicas of `job` found no place: the first filter that leaves no
    /// candidate, or the capacity that ran out, with the figures a person needs to act.
    /// `cache` holds explanations already worked out for equal requests.
    func explain(_ job: Int, cache: inout [ExplanationKey: (Unplaceable.Kind, String)]) -> Unplaceable {
        let workload = jobs[job].workload
        let remaining = jobs[job].remaining
        let placed = max(0, workload.replicas) - remaining
        let prefix = placed > 0 ? "placed \(placed) of \(workload.replicas) replicas; the other \(remaining) found " : ""
        let key = ExplanationKey(group: jobs[job].group, gpuMemoryMiB: workload.gpuMemoryMiB, exclusive: workload.gpuExclusive,
                                 cpuMillis: workload.cpuMillis, memoryBytes: workload.memoryBytes, devices: jobs[job].devices)
        let (kind, text): (Unplaceable.Kind, String)
        if let known = cache[key] {
            (kind, text) = known
        } else {
            (kind, text) = explanation(job)
            cache[key] = (kind, text)
        }
        return Unplaceable(kind: kind, unplacedReplicas: remaining, message: prefix + text)
    }

    private func explanation(_ job: Int) -> (Unplaceable.Kind, String) {
        let workload = jobs[job].workload
        func reason(_ kind: Unplaceable.Kind, _ detail: String) -> (Unplaceable.Kind, String) {
            (kind, wanted(workload) + ": " + detail)
        }
        if nodes.isEmpty { return reason(.noNodes, "the cluster reports no nodes") }

        // The first filter rejecting each node: filters run per profile; nodeName per node.
        var anyNode = workload
        anyNode.nodeName = nil
        let profileStage = profiles.map { anyNode.rejection(of: $0) }
        var rejectedAt: [FeasibilityStage: [Int]] = [:]
        for i in nodes.indices {
            var stage = profileStage[nodeProfile[i]]
            if let name = workload.nodeName, name != nodes[i].name, stage.map({ $0 > .nodeName }) ?? true { stage = .nodeName }
            if let stage { rejectedAt[stage, default: []].append(i) }
        }
        // Funnel through the static filters; stop at the first that leaves nothing.
        var survivors = Array(nodes.indices)
        for stage in FeasibilityStage.allCases {
            guard let rejected = rejectedAt[stage] else { continue }
            let before = survivors
            let rejectedSet = Set(rejected)
            survivors.removeAll { rejectedSet.contains($0) }
            if survivors.isEmpty { return explainStage(stage, workload: workload, candidates: before, reason: reason) }
        }
        return explainCapacity(job, candidates: survivors, reason: reason)
    }

    private func explainStage(
        _ stage: FeasibilityStage, workload: PlacementWorkload, candidates: [Int],
        reason: (Unplaceable.Kind, String) -> (Unplaceable.Kind, String)
    ) -> (Unplaceable.Kind, String) {
        let count = candidates.count
        let described = describeCount(count, stage: stage, workload: workload)
        switch stage {
        case .acceptsWork:
            let notReady = candidates.filter { !nodes[$0].ready }.count
            let cordoned = candidates.filter { nodes[$0].ready && nodes[$0].unschedulable }.count
            return reason(.nodesNotReady, "all \(count) node\(plural(count)) are unavailable (\(notReady) NotReady, \(cordoned) cordoned)")
        case .nodeName:
            let name = workload.nodeName ?? ""
            if nodeIndex[name] == nil {
                return reason(.nodeNameNotFound, "nodeName \(name) names no node in the cluster; fix spec.nodeName or remove it")
            }
            return reason(.nodeNameNotFound, "node \(name) is NotReady or cordoned")
        case .layer:
            let layer = workload.layer ?? .cloud
            return reason(.layer, layer == .edge
                ? "none of the \(described) carries the label \(PlacementNode.edgeRoleLabel); label the edge nodes or deploy to the cloud layer"
                : "\(count == 1 ? "the only" : "all \(count)") ready node\(plural(count)) \(count == 1 ? "is an edge node" : "are edge nodes") (labelled \(PlacementNode.edgeRoleLabel)); deploy to the edge layer or add cloud nodes")
        case .nodeSelector:
            return reason(.nodeSelector, "none of the \(described) has the labels \(selectorText(workload)); check spec.nodeSelector")
        case .architecture:
            let seen = tally(candidates.map { nodes[$0].architecture.isEmpty ? "unlabelled" : nodes[$0].architecture })
            return reason(.architecture, "the \(described) are \(seen), the serving image supports \(workload.architectures.sorted().joined(separator: ", ")); build the image for one of them or widen spec.architectures")
        case .taints:
            let untolerated = tally(candidates.flatMap { nodes[$0].taints.filter { $0.effect.excludes && !workload.tolerates($0) }.map(\.description) })
            return reason(.taints, "all \(described) carry taints the model does not tolerate: \(untolerated); add tolerations or pick other nodes")
        case .gpuProduct:
            let products = tally(candidates.map { nodes[$0].usableGPUCount > 0 ? (nodes[$0].gpuProduct ?? "unlabelled GPU") : "no GPU" })
            return reason(.gpuProduct, "none of the \(described) has \(gpuPhrase(workload)) (they have: \(products)); allow another product in spec.gpu.products or add such nodes")
        }
    }

    private func explainCapacity(
        _ job: Int, candidates: [Int], reason: (Unplaceable.Kind, String) -> (Unplaceable.Kind, String)
    ) -> (Unplaceable.Kind, String) {
        let workload = jobs[job].workload
        let demand = jobs[job].demandUnits
        let count = candidates.count
        let having = workload.needsGPU ? "\(count) node\(plural(count)) \(count == 1 ? "has" : "have") \(workload.gpuProducts.isEmpty ? "a GPU" : "the product")"
            : "\(count) node\(plural(count)) qualif\(count == 1 ? "ies" : "y")"
        let cpuMemory = "\(ResourceFormatting.cpu(workload.cpuMillis)) CPU and \(ResourceFormatting.bytes(workload.memoryBytes)) memory"
        let mostCPU = candidates.map { freeCPU[$0] }.max() ?? 0
        let mostMemory = candidates.map { freeMemory[$0] }.max() ?? 0
        let cpuDetail = "the most free is \(ResourceFormatting.cpu(max(0, mostCPU))) CPU and \(ResourceFormatting.bytes(max(0, mostMemory))) memory"
        if !candidates.contains(where: { freePods[$0] >= 1 }) {
            return reason(.podsExhausted, "\(having), but each already runs as many pods as it allows (status.allocatable.pods)")
        }
        guard workload.needsGPU else {
            return reason(.cpuOrMemoryExhausted, "\(having), none has \(cpuMemory) free; \(cpuDetail)")
        }
        func gpusOf(_ nodeList: [Int]) -> [Int] {
            nodeList.flatMap { node in (firstGPU[node]..<(firstGPU[node] + nodes[node].usableGPUCount)).map { $0 } }
        }
        let allGPUs = gpusOf(candidates)
        let largestGPU = allGPUs.map { capacityUnits[$0] }.max() ?? 0
        if largestGPU < demand {
            let largest = allGPUs.map { nodes[gpuNode[$0]].gpuMemoryMiB ?? 0 }.max() ?? 0
            return reason(.gpuTooSmall, "\(having), but the largest of their GPUs has \(ResourceFormatting.mebibytes(largest)); lower spec.gpu.memory or allow a larger GPU")
        }
        let devices = jobs[job].devices
        let withDevices = candidates.filter { freePods[$0] >= 1 && freeDevices[$0] >= devices }
        if withDevices.isEmpty {
            let advertised = candidates.reduce(0) { $0 + max(0, nodes[$1].allocatableGPUs ?? 0) }
            return reason(.gpuDevicesExhausted, "\(having), but the device plugin's GPUs there are all requested (\(advertised) allocatable in all, taken by other pods and this plan); free a GPU, add one, or let the NVIDIA device plugin share GPUs (time-slicing or MPS)")
        }
        let gpus = gpusOf(withDevices)
        if workload.gpuExclusive {
            let free = gpus.filter { gpuReplicas[$0].isEmpty && capacityUnits[$0] >= demand }
            if free.isEmpty {
                return reason(.gpuExhausted, "\(having), all \(gpus.count) of their GPU\(plural(gpus.count)) are in use; free a GPU, add one, or share GPUs (spec.gpu.exclusive: false)")
            }
            return reason(.cpuOrMemoryExhausted, "\(having) and \(free.count) free GPU\(plural(free.count)), but no such node has \(cpuMemory) free; \(cpuDetail)")
        }
        let usable = gpus.filter { !exclusiveGPU[$0] }
        let largestFree = usable.map { freeUnits[$0] }.max() ?? 0
        if largestFree < demand {
            // Report the memory really free (not rounded down to the request granularity).
            let rawFree = usable.map { gpu in
                (nodes[gpuNode[gpu]].gpuMemoryMiB ?? 0) - Int64(capacityUnits[gpu] - freeUnits[gpu]) * granularityMiB
            }
            let slot = ResourceFormatting.mebibytes(max(0, rawFree.max() ?? 0))
            return reason(.gpuMemoryExhausted, "\(having), the largest free slot is \(slot); free GPU memory, add GPUs, or lower spec.gpu.memory")
        }
        let fitting = usable.filter { freeUnits[$0] >= demand }
        let fittingNodes = Set(fitting.map { gpuNode[$0] })
        let mostCPUThere = fittingNodes.map { freeCPU[$0] }.max() ?? 0
        let mostMemoryThere = fittingNodes.map { freeMemory[$0] }.max() ?? 0
        return reason(.cpuOrMemoryExhausted, "\(having), \(fittingNodes.count) of them with room on a GPU, but none of those has \(cpuMemory) free; the most free there is \(ResourceFormatting.cpu(max(0, mostCPUThere))) CPU and \(ResourceFormatting.bytes(max(0, mostMemoryThere))) memory")
    }

    // MARK: Phrases

    /// "no edge node for arm64 with a Tesla-T4 and 6 GiB free GPU memory"
    private func wanted(_ workload: PlacementWorkload) -> String {
        var text = "no "
        if let layer = workload.layer { text += layer.rawValue + " " }
        text += "node"
        if let name = workload.nodeName { text += " named \(name)" }
        if !workload.nodeSelector.isEmpty { text += " matching \(selectorText(workload))" }
        if !workload.architectures.isEmpty { text += " for \(workload.architectures.sorted().joined(separator: " or "))" }
        if workload.gpuExclusive {
            text += workload.gpuProducts.isEmpty ? " with a whole free GPU" : " with a whole free \(productText(workload)) GPU"
            if workload.gpuMemoryMiB > 0 { text += " of at least \(ResourceFormatting.mebibytes(workload.gpuMemoryMiB))" }
        } else if workload.needsGPU && workload.gpuMemoryMiB == 0 {
            text += " with \(gpuPhrase(workload))"
        } else if workload.needsGPU {
            text += " with \(gpuPhrase(workload)) and \(ResourceFormatting.mebibytes(workload.gpuMemoryMiB)) free GPU memory"
        } else if workload.cpuMillis > 0 || workload.memoryBytes > 0 {
            text += " with \(ResourceFormatting.cpu(workload.cpuMillis)) CPU and \(ResourceFormatting.bytes(workload.memoryBytes)) memory free"
        }
        return text
    }

    private func gpuPhrase(_ workload: PlacementWorkload) -> String {
        workload.gpuProducts.isEmpty ? "a GPU" : "a " + workload.gpuProducts.sorted().joined(separator: " or ")
    }

    private func productText(_ workload: PlacementWorkload) -> String {
        workload.gpuProducts.isEmpty ? "" : workload.gpuProducts.sorted().joined(separator: " or ")
    }

    private func selectorText(_ workload: PlacementWorkload) -> String {
        workload.nodeSelector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// "12 ready nodes", "3 edge nodes", "5 matching nodes": the candidates entering `stage`.
    private func describeCount(_ count: Int, stage: FeasibilityStage, workload: PlacementWorkload) -> String {
        let noun = "node\(plural(count))"
        switch stage {
        case .acceptsWork, .nodeName: return "\(count) \(noun)"
        case .layer: return "\(count) ready \(noun)"
        case .nodeSelector: return "\(count) \(workload.layer?.rawValue ?? "ready") \(noun)"
        case .architecture, .taints, .gpuProduct: return "\(count) matching \(noun)"
        }
    }

    /// "Tesla-T4 on 3 nodes, no GPU on 1 node", most frequent first.
    private func tally(_ values: [String]) -> String {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let ordered = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let shown = ordered.prefix(4).map { "\($0.key) on \($0.value) node\(plural($0.value))" }
        let more = ordered.count > 4 ? ", and \(ordered.count - 4) more" : ""
        return shown.joined(separator: ", ") + more
    }

    private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
}
