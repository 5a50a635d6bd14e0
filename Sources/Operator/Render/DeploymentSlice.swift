import ModelAPI

/// One Deployment's share of a model's replicas.
public enum DeploymentSlice: Sendable, Hashable {
    /// All replicas in one Deployment; kube-scheduler picks nodes within the layer, selector
    /// and architecture constraints (models without a GPU).
    case scheduled(replicas: Int)
    /// Replicas pinned to a node (and a GPU) the placement core chose. `sharesNode` is true
    /// when the model has several GPUs on that node, each its own Deployment.
    case pinned(ModelPlacement, sharesNode: Bool)

    public var replicas: Int {
        switch self {
        case .scheduled(let replicas): return replicas
        case .pinned(let placement, _): return placement.replicas
        }
    }

    /// The value of the placement label that tells this slice's Deployment apart.
    var placementLabel: String? {
        guard case .pinned(let placement, let sharesNode) = self else { return nil }
        if sharesNode, let gpu = placement.gpu { return "\(placement.node)-gpu\(gpu.index)" }
        return placement.node
    }
}
