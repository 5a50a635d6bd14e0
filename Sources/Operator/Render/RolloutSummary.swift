import KubeModel
import ModelAPI

/// The rollout state of a model's Deployments taken together.
struct RolloutSummary {
    var replicas = 0
    var available = 0
    var desired = 0
    /// Every Deployment has observed its latest spec and runs only updated, available replicas.
    var complete = true
    /// The versions the Deployments' pod templates serve.
    var templateVersions: Set<String> = []
    var stalledMessage: String?
    /// A Deployment's `ReplicaFailure` condition (pods refused: PodSecurity, quota), in its words.
    var replicaFailureMessage: String?

    init(_ deployments: [CachedDeployment]) {
        if deployments.isEmpty { complete = false }
        for deployment in deployments {
            let want = deployment.spec?.replicas ?? 1
            let status = deployment.status
            desired += want
            replicas += status?.replicas ?? 0
            available += status?.availableReplicas ?? 0
            if let version = deployment.spec?.template.metadata?.annotations?[ModelLabels.servingVersionAnnotation] {
                templateVersions.insert(version)
            }
            let observed = (status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 1)
            let done = observed && (status?.updatedReplicas ?? 0) == want && (status?.replicas ?? 0) == want
                && (status?.availableReplicas ?? 0) >= want
            if !done { complete = false }
            if let condition = status?.conditions?.first(where: { $0.type == "Progressing" }),
               condition.status == "False", condition.reason == "ProgressDeadlineExceeded" {
                stalledMessage = "Deployment \(deployment.metadata.name ?? "") exceeded its progress deadline: "
                    + (condition.message ?? "")
            }
            if let condition = status?.conditions?.first(where: { $0.type == "ReplicaFailure" }), condition.status == "True" {
                replicaFailureMessage = "Deployment \(deployment.metadata.name ?? "") cannot create pods: "
                    + (condition.message ?? condition.reason ?? "")
            }
        }
    }

    /// The version every Deployment serves once all have rolled out, else nil.
    var completedVersion: String? {
        guard complete, templateVersions.count == 1 else { return nil }
        return templateVersions.first
    }
}
