import KubeModel
import ModelAPI

extension ModelPod {
    /// kube-scheduler's message when it found no node for this pod (`PodScheduled=False`,
    /// reason `Unschedulable`); nil otherwise.
    var unschedulableMessage: String? {
        guard let condition = status?.conditions?.first(where: { $0.type == "PodScheduled" }),
              condition.status == "False", condition.reason == "Unschedulable"
        else { return nil }
        return condition.message ?? "kube-scheduler found no node for it"
    }
}

extension SchedulingState {
    /// The state to report once Deployments were written: pods of those Deployments that
    /// kube-scheduler cannot place make it `Scheduled=False` with the scheduler's message (GPU
    /// models keep their recorded placements). Pods of Deployments being replaced do not count.
    func reporting(unschedulable pods: [ModelPod], of deployments: [Deployment]) -> SchedulingState {
        let selectors = deployments.compactMap { $0.spec?.selector.matchLabels }
        let stuck = pods.filter { pod in
            guard pod.metadata.deletionTimestamp == nil, pod.unschedulableMessage != nil else { return false }
            let labels = pod.metadata.labels ?? [:]
            return selectors.contains { selector in selector.allSatisfy { labels[$0.key] == $0.value } }
        }
        guard let first = stuck.min(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }),
              let message = first.unschedulableMessage
        else { return self }
        let total = deployments.reduce(0) { $0 + ($1.spec?.replicas ?? 1) }
        let reason = "\(stuck.count) of \(total) pod\(total == 1 ? "" : "s") cannot be scheduled: \(message)"
        switch self {
        case .placed(let placements): return .partiallyPlaced(placements, reason: reason)
        case .partiallyPlaced(let placements, let earlier): return .partiallyPlaced(placements, reason: earlier + "; " + reason)
        case .byScheduler, .pending, .unplaceable: return .unplaceable(reason: reason)
        }
    }
}
