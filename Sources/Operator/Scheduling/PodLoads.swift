import Placement

/// What the pods bound to each node request, kept up to date pod change by pod change, so a
/// placement batch reads one sum per node (and per model and node for this operator's own
/// pods) instead of walking every pod of the cluster.
struct PodLoads: Sendable {
    /// The device plugin's GPU resource, counted as each pod's GPU units.
    let gpuResource: String
    /// Per node: the pods that serve no InferenceModel of this operator, added up.
    private(set) var others: [String: PlacementPod] = [:]
    /// Per model and node: the model's serving pods there, added up.
    private(set) var models: [ModelKey: [String: PlacementPod]] = [:]

    init(gpuResource: String) {
        self.gpuResource = gpuResource
    }

    /// A node whose load changed, and whether it grew.
    struct Change: Sendable, Hashable {
        var node: String
        var grew: Bool
        /// The pod serves one of this operator's models.
        var ownPod: Bool
    }

    /// Applies one pod change (`old` before, `new` after; nil for absent) and says which nodes it touched.
    mutating func apply(old: PodFootprint?, new: PodFootprint?) -> [Change] {
        let before = old?.placementPod(gpuResource: gpuResource)
        let after = new?.placementPod(gpuResource: gpuResource)
        guard before != after else { return [] }
        var changes: [Change] = []
        if let before {
            subtract(before)
            changes.append(Change(node: before.node, grew: false, ownPod: before.model != nil))
        }
        if let after {
            add(after)
            changes.append(Change(node: after.node, grew: true, ownPod: after.model != nil))
        }
        return changes
    }

    /// Every sum, as input for the placement core.
    var pods: [PlacementPod] {
        Array(others.values) + models.values.flatMap(\.values)
    }

    /// The number of pods counted.
    var podCount: Int {
        pods.reduce(0) { $0 + $1.count }
    }

    private mutating func add(_ pod: PlacementPod) {
        if let model = pod.model {
            models[model, default: [:]][pod.node, default: PlacementPod(node: pod.node, count: 0, model: model)].add(pod)
        } else {
            others[pod.node, default: PlacementPod(node: pod.node, count: 0)].add(pod)
        }
    }

    private mutating func subtract(_ pod: PlacementPod) {
        var negative = pod
        negative.cpuMillis = -pod.cpuMillis
        negative.memoryBytes = -pod.memoryBytes
        negative.gpuDevices = -pod.gpuDevices
        negative.count = -pod.count
        if let model = pod.model {
            models[model]?[pod.node]?.add(negative)
            if models[model]?[pod.node]?.count ?? 0 <= 0 { models[model]?[pod.node] = nil }
            if models[model]?.isEmpty == true { models[model] = nil }
        } else {
            others[pod.node]?.add(negative)
            if others[pod.node]?.count ?? 0 <= 0 { others[pod.node] = nil }
        }
    }
}

extension PlacementPod {
    /// Adds `other`'s requests and count to this sum.
    mutating func add(_ other: PlacementPod) {
        cpuMillis += other.cpuMillis
        memoryBytes += other.memoryBytes
        gpuDevices += other.gpuDevices
        count += other.count
    }
}
