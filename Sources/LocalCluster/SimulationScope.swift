import Foundation
import KubeModel

/// What one simulation pass must look at: the objects that changed since the previous pass
/// began (read from the watch history, so the controllers' own writes count too), the objects
/// whose timers are due, and what those imply (a pod's ReplicaSet, a ReplicaSet's Deployment).
/// `everything` when a node changed, the failing marks changed, or the history no longer
/// reaches back to the previous pass.
struct SimulationScope {
    var everything: Bool
    var deployments: Set<ObjectKey> = []
    var replicaSets: Set<ObjectKey> = []
    var pods: Set<ObjectKey> = []
    /// Whether the scheduler runs: a pod waits for a node, or resources or nodes were freed or changed.
    var schedule = false

    static let all = SimulationScope(everything: true)

    func includesDeployment(_ key: ObjectKey) -> Bool { everything || deployments.contains(key) }
    func includesReplicaSet(_ key: ObjectKey) -> Bool { everything || replicaSets.contains(key) }
    func includesPod(_ key: ObjectKey) -> Bool { everything || pods.contains(key) }

    /// Adds the object's controller of `kind` (by namespace and owner name) to `keys`.
    static func controllerKey(of object: JSONValue, kind: String) -> ObjectKey? {
        guard let reference = object.ownerReferences.first(where: { $0["controller"]?.boolValue == true }),
              reference["kind"]?.stringValue == kind, let name = reference["name"]?.stringValue else { return nil }
        return ObjectKey(namespace: object.metaNamespace ?? "", name: name)
    }

    /// Marks a ReplicaSet, and the Deployment controlling it, for this pass.
    mutating func add(replicaSet: JSONValue) {
        replicaSets.insert(ObjectKey(namespace: replicaSet.metaNamespace ?? "", name: replicaSet.metaName))
        if let owner = Self.controllerKey(of: replicaSet, kind: "Deployment") { deployments.insert(owner) }
    }

    /// Marks a pod and its ReplicaSet; a pod without a node, or one that finished or went, wakes the scheduler.
    mutating func add(pod: JSONValue, deleted: Bool) {
        pods.insert(ObjectKey(namespace: pod.metaNamespace ?? "", name: pod.metaName))
        if let owner = Self.controllerKey(of: pod, kind: "ReplicaSet") { replicaSets.insert(owner) }
        if deleted || !pod.isActiveForSimulation || (pod[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty {
            schedule = true
        }
    }
}

extension ClusterStore {
    /// The scope of the pass that starts now, after the one that began at `memory.observedThrough`.
    func simulationScope(_ memory: SimulationMemory, now: Date) -> SimulationScope {
        guard let since = memory.observedThrough, since >= history.compactedThrough else { return .all }
        var scope = SimulationScope(everything: false)
        for event in history.events.reversed() {
            if event.resourceVersion <= since { break }
            switch event.storageKey {
            case BuiltinResources.nodes.storageKey:
                return .all
            case BuiltinResources.deployments.storageKey:
                scope.deployments.insert(ObjectKey(namespace: event.object.metaNamespace ?? "", name: event.object.metaName))
            case BuiltinResources.replicaSets.storageKey:
                scope.add(replicaSet: event.object)
            case BuiltinResources.pods.storageKey:
                scope.add(pod: event.object, deleted: event.type == .deleted)
            default:
                break
            }
        }
        for (key, timer) in memory.podTimers where timer.readyAt <= now { scope.pods.insert(key) }
        for (key, deadline) in memory.deploymentDeadlines where deadline <= now { scope.deployments.insert(key) }
        for (key, wake) in memory.replicaSetWakes where wake <= now { scope.replicaSets.insert(key) }
        for (key, retry) in memory.replicaSetRetries where retry.retryAt <= now { scope.replicaSets.insert(key) }
        return scope
    }
}
