import KubeModel

/// Make before break: how a model's Deployments change when its replicas move (a cordon, a
/// drain, a node that is NotReady or gone, spread restored after an uncordon).
///
/// The Deployments of the new placement are written at once, but nothing that serves is taken
/// away before the replacements are available: a Deployment the new placement no longer has is
/// kept, and one that shrinks keeps its current replicas, until every Deployment of the new
/// placement has its replicas available (counted up to what it should run). Then the old ones
/// are deleted and the shrinking ones scaled down, in the same pass. A leftover Deployment with
/// no available replica goes at once: removing it takes nothing away.
struct ReplicaHandover: Equatable {
    /// The Deployments to write: the desired ones, shrinking ones held at their current replicas.
    var apply: [Deployment]
    /// Leftover Deployments kept serving until the replacements are available.
    var retain: [CachedDeployment]
    /// Leftover Deployments to delete now.
    var remove: [CachedDeployment]

    static func plan(desired: [Deployment], existing: [CachedDeployment]) -> ReplicaHandover {
        let existingByName = Dictionary(existing.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(desired.compactMap(\.metadata.name))
        let target = desired.reduce(0) { $0 + ($1.spec?.replicas ?? 1) }
        let ready = desired.reduce(0) { total, deployment in
            let current = existingByName[deployment.metadata.name ?? ""]
            return total + min(current?.status?.availableReplicas ?? 0, deployment.spec?.replicas ?? 1)
        }
        let leftovers = existing.filter { !wanted.contains($0.metadata.name ?? "") }
        guard ready < target else { return ReplicaHandover(apply: desired, retain: [], remove: leftovers) }

        let apply = desired.map { deployment -> Deployment in
            guard let current = existingByName[deployment.metadata.name ?? ""]?.spec?.replicas,
                  current > deployment.spec?.replicas ?? 1
            else { return deployment }
            var held = deployment
            held.spec?.replicas = current
            return held
        }
        let serving = leftovers.filter { ($0.status?.availableReplicas ?? 0) > 0 }
        let idle = leftovers.filter { ($0.status?.availableReplicas ?? 0) == 0 }
        return ReplicaHandover(apply: apply, retain: serving, remove: idle)
    }
}
