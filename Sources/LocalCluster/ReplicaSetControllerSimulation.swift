import Foundation
import KubeModel

/// The ReplicaSet controller, as the simulator plays it: a ReplicaSet keeps `spec.replicas` pods
/// that it controls (pods are not adopted by selector), creating missing ones from its template
/// and deleting surplus ones (unscheduled, then pending, then unready, then the newest first).
/// It creates at most ``DeploymentSimulationOptions/maxPodsPerReplicaSet`` pods and reports the
/// rest, or a pod the API server refused (Pod Security Admission, for one), as a `ReplicaFailure`
/// condition (reason `FailedCreate`, the error as message), kept until a sync creates what it
/// must; a refusal also records a Warning Event `FailedCreate` ("Error creating: ...") and is
/// retried with the controller's backoff (5 ms doubling to 1000 s), not at every pass.
/// Its status counts its active pods, the Ready ones and those Ready for `minReadySeconds` (available).
extension ClusterStore {
    func syncReplicaSetPods(_ pass: inout SimulationPass) {
        forgetGoneReplicaSets(&pass)
        let replicaSets = simulated(BuiltinResources.replicaSets, in: pass.scope.replicaSets, everything: pass.scope.everything)
        guard !replicaSets.isEmpty else { return }
        let limit = pass.options.maxPodsPerReplicaSet
        for replicaSet in replicaSets where replicaSet.metaDeletionTimestamp == nil {
            let key = ObjectKey(namespace: replicaSet.metaNamespace ?? "", name: replicaSet.metaName)
            let pods = controlledObjects(BuiltinResources.pods, by: replicaSet.metaUID)
            let wanted = replicaSet.specReplicas
            let target = min(wanted, limit)
            let retry = pass.memory.replicaSetRetries[key].flatMap { $0.uid == replicaSet.metaUID ? $0 : nil }
            if pods.count < target, let retry, retry.retryAt > pass.now { continue }  // backing off
            var refusal: APIError?
            if pods.count < target {
                pass.scope.schedule = true
                for _ in pods.count..<target {
                    do {
                        try createPod(of: replicaSet)
                    } catch {
                        refusal = error
                        break
                    }
                }
            } else if pods.count > target {
                pass.scope.schedule = true
                for pod in pods.sorted(by: Self.deletedFirst).prefix(pods.count - target) {
                    _ = try? delete(BuiltinResources.pods, namespace: pod.metaNamespace, name: pod.metaName, options: .uncounted)
                }
            }
            if let refusal {
                let previous = retry ?? CreateRetry(uid: replicaSet.metaUID, failures: 0, retryAt: pass.now)
                pass.memory.replicaSetRetries[key] = previous.refusedAgain(at: pass.now)
                recordEvent(about: replicaSet, kind: "ReplicaSet", apiVersion: "apps/v1", type: "Warning",
                            reason: "FailedCreate", message: "Error creating: \(refusal.message)",
                            component: "replicaset-controller", pass: &pass)
            } else {
                pass.memory.replicaSetRetries[key] = nil
            }
            let refusedMessage: String? = if let refusal {
                refusal.message
            } else if wanted > limit {
                "pods \"\(replicaSet.metaName)-\" is forbidden: LocalCluster simulates at most \(limit) "
                    + "pods per ReplicaSet (DeploymentSimulationOptions.maxPodsPerReplicaSet); \(wanted) requested"
            } else {
                nil
            }
            // `calculateStatus`: the condition is added when a sync fails and there is none, and
            // removed when a sync succeeds; a further failure leaves the first message.
            let conditions = replicaSet[path: ["status", "conditions"]]?.arrayValue ?? []
            let existing = conditions.first { $0["type"] == "ReplicaFailure" }
            guard (refusedMessage == nil) != (existing == nil) else { continue }
            var updatedConditions = conditions.filter { $0["type"] != "ReplicaFailure" }
            if let refusedMessage {
                updatedConditions.append([
                    "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": .string(refusedMessage),
                    "lastTransitionTime": .string(pass.nowText),
                ])
            }
            var updated = replicaSet
            updated[path: ["status", "conditions"]] = updatedConditions.isEmpty ? nil : .array(updatedConditions)
            storeSimulated(updated, previous: replicaSet, type: BuiltinResources.replicaSets)
            pass.scope.add(replicaSet: updated)
        }
    }

    /// Drops the retries and event records of ReplicaSets deleted, being deleted or replaced.
    private func forgetGoneReplicaSets(_ pass: inout SimulationPass) {
        let stored = simulated(BuiltinResources.replicaSets)
        func live(_ key: ObjectKey, _ uid: String) -> Bool {
            guard let replicaSet = stored[key] else { return false }
            return replicaSet.metaUID == uid && replicaSet.metaDeletionTimestamp == nil
        }
        pass.memory.replicaSetRetries = pass.memory.replicaSetRetries.filter { live($0.key, $0.value.uid) }
        pass.memory.events.objects = pass.memory.events.objects.filter { live($0.value.key, $0.key) }
    }

    /// Drops the wake-ups of ReplicaSets that are gone. Its own function so the snapshot of the
    /// store it reads is released before the statuses are written (a held snapshot makes a write copy it).
    private func pruneReplicaSetWakes(_ pass: inout SimulationPass) {
        let stored = simulated(BuiltinResources.replicaSets)
        for key in pass.memory.replicaSetWakes.keys where stored[key] == nil { pass.memory.replicaSetWakes[key] = nil }
    }

    func syncReplicaSetStatuses(_ pass: inout SimulationPass) {
        let replicaSets = simulated(BuiltinResources.replicaSets, in: pass.scope.replicaSets, everything: pass.scope.everything)
        guard !replicaSets.isEmpty else { return }
        pruneReplicaSetWakes(&pass)
        for replicaSet in replicaSets {
            let key = ObjectKey(namespace: replicaSet.metaNamespace ?? "", name: replicaSet.metaName)
            pass.memory.replicaSetWakes[key] = nil
            guard replicaSet.metaDeletionTimestamp == nil else { continue }
            let pods = controlledObjects(BuiltinResources.pods, by: replicaSet.metaUID)
            let templateLabels = replicaSet[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
            let minReady = TimeInterval(replicaSet[path: ["spec", "minReadySeconds"]]?.intValue ?? 0)
            let ready = pods.filter(SimulatedPodStatus.isReady)
            let available = ready.filter { pod in
                guard minReady > 0 else { return true }
                let since = (pod[path: ["status", "conditions"]]?.arrayValue ?? [])
                    .first { $0["type"] == "Ready" }?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse)
                guard let since else { return false }
                let availableAt = since.addingTimeInterval(minReady)
                if availableAt <= pass.now { return true }
                pass.memory.replicaSetWakes[key] = min(availableAt, pass.memory.replicaSetWakes[key] ?? availableAt)
                return false
            }
            let fullyLabeled = pods.filter { pod in
                let labels = pod[path: ["metadata", "labels"]]?.objectValue ?? [:]
                return templateLabels.allSatisfy { labels[$0.key] == $0.value }
            }
            var status = replicaSet["status"] ?? .object([:])
            status["replicas"] = .int(Int64(pods.count))
            for (field, count) in [("fullyLabeledReplicas", fullyLabeled.count), ("readyReplicas", ready.count),
                                   ("availableReplicas", available.count)] {
                status[field] = count == 0 ? nil : .int(Int64(count))
            }
            status["observedGeneration"] = replicaSet[path: ["metadata", "generation"]]
            var updated = replicaSet
            updated["status"] = status
            if updated != replicaSet {
                storeSimulated(updated, previous: replicaSet, type: BuiltinResources.replicaSets)
                pass.scope.add(replicaSet: updated)
            }
        }
    }

    private func createPod(of replicaSet: JSONValue) throws(APIError) {
        let template = replicaSet[path: ["spec", "template"]] ?? .object([:])
        var metadata: JSONValue = [
            "generateName": .string("\(replicaSet.metaName)-"),
            "ownerReferences": [[
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(replicaSet.metaName),
                "uid": .string(replicaSet.metaUID), "controller": true, "blockOwnerDeletion": true,
            ]],
        ]
        metadata["labels"] = template[path: ["metadata", "labels"]]
        metadata["annotations"] = template[path: ["metadata", "annotations"]]
        let spec = template["spec"] ?? .object([:])
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec,
            "status": ["phase": "Pending", "qosClass": .string(SimulatedPodStatus.qosClass(spec))],
        ]
        _ = try create(BuiltinResources.pods, namespace: replicaSet.metaNamespace, body: pod, options: .simulated)
    }

    /// `controller.ActivePods` order: the pod to delete first sorts first.
    static func deletedFirst(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        func assigned(_ pod: JSONValue) -> Bool { !(pod[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty }
        func phaseRank(_ pod: JSONValue) -> Int {
            switch pod[path: ["status", "phase"]]?.stringValue {
            case "Pending": 0
            case "Running": 2
            default: 1
            }
        }
        func restarts(_ pod: JSONValue) -> Int64 {
            (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).map { $0["restartCount"]?.intValue ?? 0 }.max() ?? 0
        }
        if assigned(lhs) != assigned(rhs) { return !assigned(lhs) }
        if phaseRank(lhs) != phaseRank(rhs) { return phaseRank(lhs) < phaseRank(rhs) }
        let lhsReady = SimulatedPodStatus.isReady(lhs), rhsReady = SimulatedPodStatus.isReady(rhs)
        if lhsReady != rhsReady { return !lhsReady }
        if restarts(lhs) != restarts(rhs) { return restarts(lhs) > restarts(rhs) }
        return !JSONValue.createdEarlier(lhs, rhs)
    }
}
