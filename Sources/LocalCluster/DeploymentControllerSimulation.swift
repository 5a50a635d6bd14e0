import Foundation
import KubeModel

/// The deployment controller, as the simulator plays it: one ReplicaSet per pod template, named
/// `<deployment>-<pod-template-hash>`, labelled with the hash and controlled by the Deployment;
/// RollingUpdate grows the new ReplicaSet within `maxSurge` and shrinks old ones within
/// `maxUnavailable` as new pods become available; Recreate scales old ReplicaSets to zero, waits
/// for their pods to go, then scales the new one up. Revisions are annotated as the real
/// controller does, and old ReplicaSets beyond `revisionHistoryLimit` are deleted once a rollout
/// is complete. A paused Deployment is not rolled out (its status is still kept current);
/// proportional scaling of several ReplicaSets mid-rollout is not simulated.
extension ClusterStore {
    func rollOutDeployments(_ pass: inout SimulationPass) {
        let deployments = simulated(BuiltinResources.deployments, in: pass.scope.deployments, everything: pass.scope.everything)
        guard !deployments.isEmpty else { return }
        for deployment in deployments.sorted(by: JSONValue.createdEarlier)
        where deployment.metaDeletionTimestamp == nil && deployment[path: ["spec", "paused"]]?.boolValue != true {
            let owned = controlledObjects(BuiltinResources.replicaSets, by: deployment.metaUID).sorted(by: JSONValue.createdEarlier)
            var newSet = Self.currentReplicaSet(of: deployment, among: owned)
            var oldSets = owned.filter { $0.metaUID != newSet?.metaUID }
            if RolloutArithmetic.isRollingUpdate(deployment) {
                rollOut(deployment, newSet: &newSet, oldSets: &oldSets, pass: &pass)
            } else {
                recreate(deployment, newSet: &newSet, oldSets: &oldSets, pass: &pass)
            }
        }
    }

    /// The ReplicaSet of the Deployment's current template (`EqualIgnoreHash`), else the one
    /// labelled with the template's hash (the same template, defaulted differently).
    static func currentReplicaSet(of deployment: JSONValue, among owned: [JSONValue]) -> JSONValue? {
        let template = RolloutArithmetic.withoutHash(deployment[path: ["spec", "template"]])
        if let equal = owned.first(where: { RolloutArithmetic.withoutHash($0[path: ["spec", "template"]]) == template }) {
            return equal
        }
        guard !owned.isEmpty else { return nil }
        let hash = RolloutArithmetic.podTemplateHash(deployment[path: ["spec", "template"]] ?? .object([:]),
                                                     collisionCount: deployment[path: ["status", "collisionCount"]]?.intValue)
        return owned.first { $0[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue == hash }
    }

    /// `rolloutRolling`: grow the new ReplicaSet if the surge allows; otherwise shrink old ones if
    /// availability allows; once complete, clean up old revisions.
    private func rollOut(_ deployment: JSONValue, newSet: inout JSONValue?, oldSets: inout [JSONValue],
                         pass: inout SimulationPass) {
        let desired = RolloutArithmetic.desiredReplicas(deployment)
        let oldTotal = oldSets.reduce(0) { $0 + $1.specReplicas }
        guard let current = newSet ?? createReplicaSet(
            for: deployment, oldSets: oldSets,
            replicas: RolloutArithmetic.newReplicaSetReplicas(deployment, totalReplicas: oldTotal, newReplicas: 0),
            pass: &pass) else { return }
        newSet = syncRevision(of: current, for: deployment, oldSets: oldSets, pass: &pass)
        let newReplicas = current.specReplicas
        if newReplicas != desired {
            let target = newReplicas > desired ? desired : RolloutArithmetic.newReplicaSetReplicas(
                deployment, totalReplicas: oldTotal + newReplicas, newReplicas: newReplicas)
            if target != newReplicas {
                newSet = scale(current, to: target, for: deployment, pass: &pass)
                return
            }
        }
        if scaleDownOldReplicaSets(deployment, newSet: current, oldSets: &oldSets, pass: &pass) { return }
        if isComplete(deployment) { cleanUpOldReplicaSets(deployment, oldSets: oldSets) }
    }

    /// `reconcileOldReplicaSets`: first drop old pods that are not available anyway, then old
    /// available ones while the available total stays at least replicas - maxUnavailable.
    private func scaleDownOldReplicaSets(_ deployment: JSONValue, newSet: JSONValue, oldSets: inout [JSONValue],
                                         pass: inout SimulationPass) -> Bool {
        let oldTotal = oldSets.reduce(0) { $0 + $1.specReplicas }
        guard oldTotal > 0 else { return false }
        let minAvailable = RolloutArithmetic.desiredReplicas(deployment) - RolloutArithmetic.maxUnavailable(deployment)
        let newUnavailable = newSet.specReplicas - newSet.statusCount("availableReplicas")
        let maxScaledDown = oldTotal + newSet.specReplicas - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return false }
        var scaledDown = 0
        for index in oldSets.indices {
            if scaledDown >= maxScaledDown { break }
            let replicas = oldSets[index].specReplicas
            let available = oldSets[index].statusCount("availableReplicas")
            guard replicas > 0, replicas != available else { continue }
            let count = min(maxScaledDown - scaledDown, replicas - available)
            oldSets[index] = scale(oldSets[index], to: replicas - count, for: deployment, pass: &pass)
            scaledDown += count
        }
        let availableNow = (oldSets + [newSet]).reduce(0) { $0 + $1.statusCount("availableReplicas") }
        if availableNow > minAvailable {
            let budget = availableNow - minAvailable
            var shrunk = 0
            for index in oldSets.indices {
                if shrunk >= budget { break }
                let replicas = oldSets[index].specReplicas
                guard replicas > 0 else { continue }
                let count = min(replicas, budget - shrunk)
                oldSets[index] = scale(oldSets[index], to: replicas - count, for: deployment, pass: &pass)
                shrunk += count
            }
            scaledDown += shrunk
        }
        return scaledDown > 0
    }

    /// `rolloutRecreate`: old ReplicaSets to zero; once none of their pods is left, the new one at full size.
    private func recreate(_ deployment: JSONValue, newSet: inout JSONValue?, oldSets: inout [JSONValue],
                          pass: inout SimulationPass) {
        var scaledDown = false
        for index in oldSets.indices where oldSets[index].specReplicas > 0 {
            oldSets[index] = scale(oldSets[index], to: 0, for: deployment, pass: &pass)
            scaledDown = true
        }
        if scaledDown { return }
        if oldSets.contains(where: { !controlledObjects(BuiltinResources.pods, by: $0.metaUID).isEmpty }) { return }
        let desired = RolloutArithmetic.desiredReplicas(deployment)
        guard let current = newSet ?? createReplicaSet(for: deployment, oldSets: oldSets, replicas: desired, pass: &pass)
        else { return }
        var synced = syncRevision(of: current, for: deployment, oldSets: oldSets, pass: &pass)
        if synced.specReplicas != desired { synced = scale(synced, to: desired, for: deployment, pass: &pass) }
        newSet = synced
        if isComplete(deployment) { cleanUpOldReplicaSets(deployment, oldSets: oldSets) }
    }

    /// `getNewReplicaSet` creating one: named by the template hash (with the collision count bumped
    /// while the name is taken by another template), then the Deployment's revision annotation and a
    /// `Progressing` condition "Created new replica set".
    private func createReplicaSet(for deployment: JSONValue, oldSets: [JSONValue], replicas: Int,
                                  pass: inout SimulationPass) -> JSONValue? {
        guard let namespace = deployment.metaNamespace else { return nil }
        var updatedDeployment = deployment
        var collisionCount = deployment[path: ["status", "collisionCount"]]?.intValue
        let template = deployment[path: ["spec", "template"]] ?? .object([:])
        let revision = String(maxRevision(oldSets) + 1)
        for _ in 0..<16 {
            let hash = RolloutArithmetic.podTemplateHash(template, collisionCount: collisionCount)
            let name = "\(deployment.metaName)-\(hash)"
            if simulated(BuiltinResources.replicaSets)[ObjectKey(namespace: namespace, name: name)] != nil {
                collisionCount = (collisionCount ?? 0) + 1
                continue
            }
            var podTemplate = template
            podTemplate[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
            var selector = deployment[path: ["spec", "selector"]] ?? .object([:])
            selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
            var body: JSONValue = [
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace),
                    "labels": podTemplate[path: ["metadata", "labels"]] ?? .object([:]),
                    "annotations": replicaAnnotations(for: deployment, revision: revision),
                    "ownerReferences": [[
                        "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(deployment.metaName),
                        "uid": .string(deployment.metaUID), "controller": true, "blockOwnerDeletion": true,
                    ]],
                ],
                "spec": ["replicas": .int(Int64(replicas)), "selector": selector, "template": podTemplate],
            ]
            if let minReady = deployment[path: ["spec", "minReadySeconds"]] { body[path: ["spec", "minReadySeconds"]] = minReady }
            guard let created = try? create(BuiltinResources.replicaSets, namespace: namespace, body: body,
                                            options: .simulated) else { return nil }
            updatedDeployment[path: ["metadata", "annotations", DeploymentStatusCalculator.revisionAnnotation]] = .string(revision)
            var conditions = updatedDeployment[path: ["status", "conditions"]]?.arrayValue ?? []
            if deployment[path: ["spec", "progressDeadlineSeconds"]] != nil {
                DeploymentStatusCalculator.set(&conditions, DeploymentStatusCalculator.condition(
                    "Progressing", true, "NewReplicaSetCreated", "Created new replica set \"\(name)\"", pass.nowText))
                updatedDeployment[path: ["status", "conditions"]] = .array(conditions)
            }
            if let collisionCount { updatedDeployment[path: ["status", "collisionCount"]] = .int(collisionCount) }
            storeSimulated(updatedDeployment, previous: deployment, type: BuiltinResources.deployments)
            pass.scope.add(replicaSet: created)
            return created
        }
        return nil
    }

    /// Makes the new ReplicaSet the highest revision (it is not after a rollback to an old template).
    private func syncRevision(of replicaSet: JSONValue, for deployment: JSONValue, oldSets: [JSONValue],
                              pass: inout SimulationPass) -> JSONValue {
        let wanted = maxRevision(oldSets) + 1
        guard replicaSet.revision < wanted else { return replicaSet }
        var updated = replicaSet
        updated[path: ["metadata", "annotations", DeploymentStatusCalculator.revisionAnnotation]] = .string(String(wanted))
        storeSimulated(updated, previous: replicaSet, type: BuiltinResources.replicaSets)
        pass.scope.add(replicaSet: updated)
        return simulated(BuiltinResources.replicaSets)[key(BuiltinResources.replicaSets, updated.metaNamespace, updated.metaName)]
            ?? updated
    }

    /// Sets a ReplicaSet's replicas (bumping its generation) and its desired/max-replicas annotations.
    @discardableResult
    private func scale(_ replicaSet: JSONValue, to replicas: Int, for deployment: JSONValue,
                       pass: inout SimulationPass) -> JSONValue {
        var updated = replicaSet
        updated[path: ["spec", "replicas"]] = .int(Int64(replicas))
        let generation = replicaSet[path: ["metadata", "generation"]]?.intValue ?? 1
        updated[path: ["metadata", "generation"]] = .int(generation + 1)
        for (key, value) in replicaAnnotations(for: deployment, revision: nil).objectValue ?? [:] {
            updated[path: ["metadata", "annotations", key]] = value
        }
        storeSimulated(updated, previous: replicaSet, type: BuiltinResources.replicaSets)
        pass.scope.add(replicaSet: updated)
        return simulated(BuiltinResources.replicaSets)[key(BuiltinResources.replicaSets, updated.metaNamespace, updated.metaName)]
            ?? updated
    }

    private func replicaAnnotations(for deployment: JSONValue, revision: String?) -> JSONValue {
        let desired = RolloutArithmetic.desiredReplicas(deployment)
        var annotations: JSONValue = [
            "deployment.kubernetes.io/desired-replicas": .string(String(desired)),
            "deployment.kubernetes.io/max-replicas": .string(String(desired + RolloutArithmetic.maxSurge(deployment))),
        ]
        if let revision { annotations[DeploymentStatusCalculator.revisionAnnotation] = .string(revision) }
        return annotations
    }

    /// `cleanupDeployment`: deletes the oldest revisions of fully scaled-down old ReplicaSets beyond `revisionHistoryLimit`.
    private func cleanUpOldReplicaSets(_ deployment: JSONValue, oldSets: [JSONValue]) {
        let limit = Int(deployment[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10)
        let removable = oldSets
            .filter { $0.specReplicas == 0 && $0.statusCount("replicas") == 0 && $0.metaDeletionTimestamp == nil }
            .sorted { $0.revision < $1.revision }
        guard removable.count > limit else { return }
        for replicaSet in removable.prefix(removable.count - limit) {
            _ = try? delete(BuiltinResources.replicaSets, namespace: replicaSet.metaNamespace, name: replicaSet.metaName,
                            options: .uncounted)
        }
    }

    /// `DeploymentComplete` on the stored status.
    private func isComplete(_ deployment: JSONValue) -> Bool {
        let desired = RolloutArithmetic.desiredReplicas(deployment)
        return deployment.statusCount("updatedReplicas") == desired && deployment.statusCount("replicas") == desired
            && deployment.statusCount("availableReplicas") == desired
            && (deployment[path: ["status", "observedGeneration"]]?.intValue ?? 0)
                >= (deployment[path: ["metadata", "generation"]]?.intValue ?? 0)
    }

    private func maxRevision(_ replicaSets: [JSONValue]) -> Int {
        replicaSets.map(\.revision).max() ?? 0
    }
}

extension JSONValue {
    /// A ReplicaSet's `deployment.kubernetes.io/revision` (0 when absent).
    var revision: Int {
        self[path: ["metadata", "annotations", DeploymentStatusCalculator.revisionAnnotation]]?.stringValue
            .flatMap { Int($0) } ?? 0
    }
}
