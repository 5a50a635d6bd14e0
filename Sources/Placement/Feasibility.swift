/// The static filters, in the order a reason reports them: the first that rejects a node names why.
enum FeasibilityStage: Int, Comparable, CaseIterable {
    case acceptsWork, nodeName, layer, nodeSelector, architecture, taints, gpuProduct

    static func < (lhs: FeasibilityStage, rhs: FeasibilityStage) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What decides whether a node may run a workload at all, independent of free capacity.
/// Workloads with equal keys share one candidate index.
struct FeasibilityKey: Hashable {
    var layer: PlacementLayer?
    var nodeName: String?
    var nodeSelector: [String]
    var architectures: [String]
    var tolerations: [PlacementToleration]
    var products: [String]
    var needsGPU: Bool

    init(_ workload: PlacementWorkload) {
        layer = workload.layer
        nodeName = workload.nodeName
        nodeSelector = workload.nodeSelector.isEmpty ? [] : workload.nodeSelector.map { "\($0.key)=\($0.value)" }.sorted()
        architectures = workload.architectures.count < 2 ? workload.architectures : Set(workload.architectures).sorted()
        tolerations = workload.tolerations.count < 2 ? workload.tolerations : Set(workload.tolerations).sorted()
        products = workload.gpuProducts.count < 2 ? workload.gpuProducts.map { $0.lowercased() }
            : Set(workload.gpuProducts.map { $0.lowercased() }).sorted()
        needsGPU = workload.needsGPU
    }
}

extension PlacementWorkload {
    /// The first static filter that rejects `node`, or nil when the node is a candidate.
    /// `ignoringAvailability` looks past readiness and cordons (they change by themselves).
    func rejection(of node: PlacementNode, ignoringAvailability: Bool = false) -> FeasibilityStage? {
        if !ignoringAvailability && !node.acceptsNewWork { return .acceptsWork }
        if let nodeName, nodeName != node.name { return .nodeName }
        if let layer, (layer == .edge) != node.isEdge { return .layer }
        for (key, value) in nodeSelector where node.labels[key] != value { return .nodeSelector }
        if !architectures.isEmpty && !architectures.contains(node.architecture) { return .architecture }
        if node.taints.contains(where: { $0.effect.excludes && !tolerates($0) }) { return .taints }
        if needsGPU && (node.usableGPUCount == 0 || !allowsProduct(node.gpuProduct)) { return .gpuProduct }
        return nil
    }

    /// Whether the node carries a PreferNoSchedule taint this workload does not tolerate.
    func isDispreferred(_ node: PlacementNode) -> Bool {
        node.taints.contains { $0.effect == .preferNoSchedule && !tolerates($0) }
    }
}
