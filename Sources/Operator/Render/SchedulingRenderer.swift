import KubeModel
import ModelAPI

/// Where a model's pods may run: layer affinity, architectures, selector, pinning, tolerations.
enum SchedulingRenderer {
    static let edgeRole = DeployLayer.edgeNodeLabel
    static let archLabel = "kubernetes.io/arch"

    /// The node affinity for a slice: layer (edge label exists or not), architectures, and for
    /// a pinned slice the node itself (matchFields on metadata.name, as DaemonSets pin).
    static func affinity(for model: InferenceModel, architectures: [String], slice: DeploymentSlice) -> Affinity {
        var expressions = [NodeSelectorRequirement(
            key: edgeRole, operator: model.spec.deployToLayer == .edge ? "Exists" : "DoesNotExist")]
        if !architectures.isEmpty {
            expressions.append(NodeSelectorRequirement(key: archLabel, operator: "In", values: architectures.sorted()))
        }
        var term = NodeSelectorTerm(matchExpressions: expressions)
        if case .pinned(let placement, _) = slice {
            term.matchFields = [NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [placement.node])]
        }
        return Affinity(nodeAffinity: NodeAffinity(
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [term])))
    }

    /// Edge pods tolerate the edge taint and ride out an edge node's lost uplink; user
    /// tolerations follow.
    static func tolerations(for model: InferenceModel, settings: OperatorSettings) -> [Toleration]? {
        var tolerations: [Toleration] = []
        if model.spec.deployToLayer == .edge {
            tolerations.append(Toleration(key: edgeRole, operator: "Exists", effect: "NoSchedule"))
            for key in ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"] {
                tolerations.append(Toleration(key: key, operator: "Exists", effect: "NoExecute",
                                              tolerationSeconds: settings.edgeUnreachableTolerationSeconds))
            }
        }
        for toleration in model.spec.tolerations ?? [] {
            tolerations.append(Toleration(key: toleration.key, operator: toleration.operator, value: toleration.value,
                                          effect: toleration.effect, tolerationSeconds: toleration.tolerationSeconds))
        }
        return tolerations.isEmpty ? nil : tolerations
    }
}
