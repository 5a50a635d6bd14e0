import Foundation
import KubeModel

/// The scheduler and the Deployment status writer, as passes over the store.
extension ClusterStore {
    /// Binds each pending pod of the default scheduler (no `nodeName`) to the node
    /// ``SimulatedScheduler`` picks, adding `PodScheduled=True`, or records why it cannot run as
    /// `PodScheduled=False` (reason `Unschedulable`, the FitError message) and leaves it Pending.
    /// Pods are taken by priority, then age; each binding counts against its node at once. A pod
    /// created with `spec.nodeName` bypasses the scheduler, as on a real cluster.
    func schedulePendingPods(_ pass: inout SimulationPass) {
        guard pass.scope.everything || pass.scope.schedule else { return }
        let pending = pendingPods()
        guard !pending.isEmpty else { return }
        var nodes = schedulerCache.schedulerNodes(simulated(BuiltinResources.nodes))
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() { index[node.name] = position }
        let queue = pending.sorted { lhs, rhs in
            let left = lhs[path: ["spec", "priority"]]?.intValue ?? 0, right = rhs[path: ["spec", "priority"]]?.intValue ?? 0
            return left == right ? JSONValue.createdEarlier(lhs, rhs) : left > right
        }
        for pod in queue {
            var updated = pod
            switch SimulatedScheduler.decide(pod: pod, nodes: nodes) {
            case .bind(let node):
                updated[path: ["spec", "nodeName"]] = .string(node)
                updated["status"] = SimulatedPodStatus.setting(
                    SimulatedPodStatus.scheduledCondition(true, now: pass.nowText), in: pod["status"])
                if let position = index[node] { nodes[position].add(pod: updated) }
            case .unschedulable(let reason, let message):
                let current = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "PodScheduled" }
                if current?["status"] == "False", current?["reason"] == .string(reason), current?["message"] == .string(message) {
                    continue
                }
                updated["status"] = SimulatedPodStatus.setting(
                    SimulatedPodStatus.scheduledCondition(false, reason: reason, message: message, now: pass.nowText),
                    in: pod["status"])
            }
            storeSimulated(updated, previous: pod, type: BuiltinResources.pods)
        }
    }

    /// The pods waiting for the scheduler, as stored now.
    private func pendingPods() -> [JSONValue] {
        let stored = simulated(BuiltinResources.pods)
        return schedulerCache.pending.compactMap { stored[$0] }
    }

    /// Drops the progress deadlines of Deployments that are gone (the snapshot it reads is released
    /// before any status is written: a held snapshot makes a write copy the whole store).
    private func pruneDeploymentDeadlines(_ pass: inout SimulationPass) {
        let stored = simulated(BuiltinResources.deployments)
        for key in pass.memory.deploymentDeadlines.keys where stored[key] == nil { pass.memory.deploymentDeadlines[key] = nil }
    }

    /// Writes each Deployment's status (see ``DeploymentStatusCalculator``) and its revision
    /// annotation, and asks for a pass when a rollout's progress deadline runs out.
    func syncDeploymentStatuses(_ pass: inout SimulationPass) {
        pruneDeploymentDeadlines(&pass)
        let deployments = simulated(BuiltinResources.deployments, in: pass.scope.deployments, everything: pass.scope.everything)
        guard !deployments.isEmpty else { return }
        for deployment in deployments {
            let key = ObjectKey(namespace: deployment.metaNamespace ?? "", name: deployment.metaName)
            pass.memory.deploymentDeadlines[key] = nil
            guard deployment.metaDeletionTimestamp == nil else { continue }
            let owned = controlledObjects(BuiltinResources.replicaSets, by: deployment.metaUID)
            let newSet = Self.currentReplicaSet(of: deployment, among: owned)
            let (status, deadline) = DeploymentStatusCalculator.status(of: deployment, replicaSets: owned,
                                                                       newReplicaSet: newSet, now: pass.now,
                                                                       nowText: pass.nowText)
            var updated = deployment
            updated["status"] = status
            if let newSet, newSet.revision > 0 {
                updated[path: ["metadata", "annotations", DeploymentStatusCalculator.revisionAnnotation]] =
                    .string(String(newSet.revision))
            }
            storeSimulated(updated, previous: deployment, type: BuiltinResources.deployments)
            pass.memory.deploymentDeadlines[key] = deadline
        }
    }
}
