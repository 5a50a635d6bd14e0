import Placement

/// What the pods bound to each node request, kept up to date pod change by pod change, so a
/// placement batch reads one sum per node (and per model and node for this operator's own
/// pods) instead of walking every pod of the cluster.
public struct PodLoads: Sendable {
    /// The device plugin's GPU resource, counted as each pod's GPU units.
    public let gpuResource: String
    /// Per node: the pods that serve no InferenceModel of this operator, added up.
    public private(set) var others: [String: PlacementPod] = [:]
    /// Per model and node: the model's serving pods there, added up.
    public private(set) var models: [ModelKey: [String: PlacementPod]] = [:]

    public init(gpuResource: String) {
        self.gpuResource = gpuResource
    }

    /// A node whose load changed, and whether it grew.
    public struct Change: Sendable, Hashable {
        public var node: String
        public var grew: Bool
        /// The pod serves one of this operator's models.
        public var ownPod: Bool

        public init(node: String, grew: Bool, ownPod: Bool) {
            self.node = node
            self.grew = grew
            self.ownPod = ownPod
        }
    }

    /// Applies one pod change (`old` before, `new` after; nil for absent) and says which nodes it touched.
    public mutating func apply(old: PodFootprint?, new: PodFootprint?) -> [Change] {
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
    public var pods: [PlacementPod] {
        Array(others.values) + models.values.flatMap(\.values)
    }

    /// The number of pods counted.
    public var podCount: Int {
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
