import Foundation
import KubeModel

/// The Deployment status the deployment controller writes (`calculateStatus` and
/// `syncRolloutStatus`): replica counts summed over its ReplicaSets, `Available`
/// (MinimumReplicasAvailable / MinimumReplicasUnavailable), `Progressing` (ReplicaSetUpdated while
/// the rollout moves, NewReplicaSetAvailable when it is complete, ProgressDeadlineExceeded after
/// `spec.progressDeadlineSeconds` without progress) and `ReplicaFailure` copied from a ReplicaSet.
enum DeploymentStatusCalculator {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    /// The new status, and when the progress deadline runs out if the rollout is still moving.
    static func status(of deployment: JSONValue, replicaSets: [JSONValue], newReplicaSet: JSONValue?, now: Date,
                       nowText: String? = nil) -> (status: JSONValue, deadline: Date?)
    {
        let old = deployment["status"] ?? .object([:])
        let desired = RolloutArithmetic.desiredReplicas(deployment)
        func sum(_ path: [String], _ sets: [JSONValue]) -> Int {
            sets.reduce(0) { $0 + Int($1[path: path]?.intValue ?? 0) }
        }
        let available = sum(["status", "availableReplicas"], replicaSets)
        let specified = sum(["spec", "replicas"], replicaSets)
        let replicas = sum(["status", "replicas"], replicaSets)
        let updated = newReplicaSet.map { sum(["status", "replicas"], [$0]) } ?? 0
        let ready = sum(["status", "readyReplicas"], replicaSets)

        var status: JSONValue = [:]
        status["observedGeneration"] = deployment[path: ["metadata", "generation"]]
        for (field, value) in [("replicas", replicas), ("updatedReplicas", updated), ("readyReplicas", ready),
                               ("availableReplicas", available), ("unavailableReplicas", max(0, specified - available))]
        where value != 0 {
            status[field] = .int(Int64(value))
        }
        status["collisionCount"] = old["collisionCount"]
        var conditions = old["conditions"]?.arrayValue ?? []
        let nowText = nowText ?? Timestamp.format(now)

        if available >= desired - RolloutArithmetic.maxUnavailable(deployment) {
            set(&conditions, condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", nowText))
        } else {
            set(&conditions, condition("Available", false, "MinimumReplicasUnavailable",
                                       "Deployment does not have minimum availability.", nowText))
        }

        let deadlineSeconds = deployment[path: ["spec", "progressDeadlineSeconds"]]?.intValue
        let subject = newReplicaSet.map { "ReplicaSet \"\($0.metaName)\"" } ?? "Deployment \"\(deployment.metaName)\""
        let current = conditions.first { $0["type"] == "Progressing" }
        if deadlineSeconds == nil {
            conditions.removeAll { $0["type"] == "Progressing" }
        } else if !(replicas == updated && current?["reason"] == "NewReplicaSetAvailable") {
            let observed = (status["observedGeneration"]?.intValue ?? 0) >= (deployment[path: ["metadata", "generation"]]?.intValue ?? 0)
            let oldReplicas = Int(old["replicas"]?.intValue ?? 0)
            let oldUpdated = Int(old["updatedReplicas"]?.intValue ?? 0)
            let progressed = updated > oldUpdated || replicas - updated < oldReplicas - oldUpdated
                || ready > Int(old["readyReplicas"]?.intValue ?? 0) || available > Int(old["availableReplicas"]?.intValue ?? 0)
            if updated == desired && replicas == desired && available == desired && observed {
                set(&conditions, condition("Progressing", true, "NewReplicaSetAvailable",
                                           "\(subject) has successfully progressed.", nowText))
            } else if progressed {
                var moving = condition("Progressing", true, "ReplicaSetUpdated", "\(subject) is progressing.", nowText)
                if let current {
                    if current["status"] == "True" { moving["lastTransitionTime"] = current["lastTransitionTime"] }
                    conditions.removeAll { $0["type"] == "Progressing" }
                }
                set(&conditions, moving)
            } else if timedOut(conditions, deadlineSeconds: deadlineSeconds ?? 0, now: now) {
                set(&conditions, condition("Progressing", false, "ProgressDeadlineExceeded",
                                           "\(subject) has timed out progressing.", nowText))
            }
        }

        if let failure = replicaFailure(newReplicaSet: newReplicaSet, replicaSets: replicaSets) {
            set(&conditions, failure)
        } else {
            conditions.removeAll { $0["type"] == "ReplicaFailure" }
        }
        if !conditions.isEmpty { status["conditions"] = .array(conditions) }
        return (status, progressDeadline(conditions, deadlineSeconds: deadlineSeconds))
    }

    /// A condition whose update and transition times are `now`.
    static func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String, _ now: String) -> JSONValue {
        [
            "type": .string(type), "status": status ? "True" : "False", "reason": .string(reason),
            "message": .string(message), "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
        ]
    }

    /// `SetDeploymentCondition`: nothing changes when status and reason are the same; a new
    /// condition keeps the old transition time when only the reason changed, and goes last.
    static func set(_ conditions: inout [JSONValue], _ condition: JSONValue) {
        let current = conditions.first { $0["type"] == condition["type"] }
        if let current, current["status"] == condition["status"], current["reason"] == condition["reason"] { return }
        var updated = condition
        if let current, current["status"] == condition["status"] {
            updated["lastTransitionTime"] = current["lastTransitionTime"]
        }
        conditions.removeAll { $0["type"] == condition["type"] }
        conditions.append(updated)
    }

    private static func timedOut(_ conditions: [JSONValue], deadlineSeconds: Int64, now: Date) -> Bool {
        guard let progressing = conditions.first(where: { $0["type"] == "Progressing" }) else { return false }
        if progressing["reason"] == "NewReplicaSetAvailable" { return false }
        if progressing["reason"] == "ProgressDeadlineExceeded" { return true }
        guard let from = progressing["lastUpdateTime"]?.stringValue.flatMap(Timestamp.parse) else { return false }
        return from.addingTimeInterval(TimeInterval(deadlineSeconds)) < now
    }

    /// When a rollout still in progress runs out of time (a moment after, so the check then sees it).
    private static func progressDeadline(_ conditions: [JSONValue], deadlineSeconds: Int64?) -> Date? {
        guard let deadlineSeconds, let progressing = conditions.first(where: { $0["type"] == "Progressing" }),
              progressing["status"] == "True", progressing["reason"] != "NewReplicaSetAvailable",
              let from = progressing["lastUpdateTime"]?.stringValue.flatMap(Timestamp.parse) else { return nil }
        return from.addingTimeInterval(TimeInterval(deadlineSeconds) + 0.05)
    }

    /// `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition, else any old one's.
    private static func replicaFailure(newReplicaSet: JSONValue?, replicaSets: [JSONValue]) -> JSONValue? {
        func failure(_ set: JSONValue) -> JSONValue? {
            guard let found = (set[path: ["status", "conditions"]]?.arrayValue ?? []).first(where: { $0["type"] == "ReplicaFailure" })
            else { return nil }
            var copy = found
            copy["lastUpdateTime"] = found["lastTransitionTime"]
            return copy
        }
        if let newReplicaSet, let found = failure(newReplicaSet) { return found }
        return replicaSets.lazy.compactMap(failure).first
    }
}
