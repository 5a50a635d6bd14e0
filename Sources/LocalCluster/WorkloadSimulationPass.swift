import Foundation
import KubeModel

/// What the workload simulator remembers between passes.
struct SimulationMemory: Sendable {
    /// Deployments whose current pods crash-loop (``LocalCluster/setDeploymentFailing(namespace:name:failing:)``).
    var failingDeployments: Set<ObjectKey> = []
    /// ReplicaSets spared when their Deployment was marked failing for its *next* rollout only:
    /// the pods that serve now keep serving, as they would when a new image is broken.
    var sparedReplicaSets: Set<String> = []
    /// Of the failing Deployments, those whose pods fail in an init container (as a failed model
    /// download does) rather than crash in their main containers.
    var initFailures: [ObjectKey: SimulatedInitFailure] = [:]
    /// When each starting (or restarting) pod becomes Running.
    var podTimers: [ObjectKey: PodTimer] = [:]
    /// When each rolling-out Deployment's progress deadline runs out.
    var deploymentDeadlines: [ObjectKey: Date] = [:]
    /// When a ReplicaSet's Ready pods have been Ready for its `minReadySeconds`.
    var replicaSetWakes: [ObjectKey: Date] = [:]
    /// ReplicaSets whose pods the API server refused, and when they try again.
    var replicaSetRetries: [ObjectKey: CreateRetry] = [:]
    /// The events the simulated controllers recorded, for the recorder's deduplication.
    var events = SimulatedEventLog()
    /// The resourceVersion at which the previous pass began; nil makes the next pass look at everything.
    var observedThrough: Int64?

    /// The earliest timer.
    var nextWake: Date? {
        let dates = podTimers.values.map(\.readyAt) + Array(deploymentDeadlines.values) + Array(replicaSetWakes.values)
            + replicaSetRetries.values.map(\.retryAt)
        return dates.min()
    }
}

/// An init container that exits non-zero with `message` as its termination message.
struct SimulatedInitFailure: Sendable, Equatable {
    var container: String
    var message: String
}

/// A ReplicaSet's pod creation refused in a row `failures` times: like the real controller's
/// rate-limited work queue, it tries again 5 ms after the first refusal, doubling up to 1000 s.
struct CreateRetry: Sendable, Equatable {
    var uid: String
    var failures: Int
    var retryAt: Date

    static let baseDelay: TimeInterval = 0.005
    static let maxDelay: TimeInterval = 1000

    /// The retry after one more refusal at `now`.
    func refusedAgain(at now: Date) -> CreateRetry {
        let delay = min(Self.maxDelay, Self.baseDelay * pow(2, Double(min(failures, 40))))
        return CreateRetry(uid: uid, failures: failures + 1, retryAt: now.addingTimeInterval(delay))
    }
}

/// A pod's start-up timer, tied to the pod's uid (a new pod of the same name starts afresh).
struct PodTimer: Sendable, Equatable {
    var uid: String
    var readyAt: Date
}

/// One pass's working state: the memory it updates and the objects it looks at.
struct SimulationPass {
    var memory: SimulationMemory
    var scope: SimulationScope
    let options: DeploymentSimulationOptions
    let now: Date
    let nowText: String

    init(memory: SimulationMemory, scope: SimulationScope, options: DeploymentSimulationOptions, now: Date) {
        self.memory = memory
        self.scope = scope
        self.options = options
        self.now = now
        nowText = Timestamp.format(now)
    }
}

extension ClusterStore {
    /// One pass of the simulated controllers, atomically (inside the store actor, so no API request
    /// sees a half-done pass), over what changed since the previous pass (see ``SimulationScope``). In order: the node lifecycle controller
    /// (condition taints), the pod garbage collector and kubelets (pods start, become Ready,
    /// crash-loop, or lose readiness), ReplicaSet statuses, the deployment controller (ReplicaSets
    /// created and scaled), the ReplicaSet controller (pods created and deleted), the scheduler
    /// (pending pods bound), then ReplicaSet and Deployment statuses again. Each controller acts
    /// once per pass, so a rollout advances step by step over several passes.
    func runWorkloadSimulation(memory: SimulationMemory, options: DeploymentSimulationOptions, now: Date = Date())
        -> (memory: SimulationMemory, nextWake: Date?)
    {
        let startedAt = currentResourceVersion
        var pass = SimulationPass(memory: memory, scope: simulationScope(memory, now: now), options: options, now: now)
        syncNodeConditionTaints(&pass)
        runKubelets(&pass)
        syncReplicaSetStatuses(&pass)
        rollOutDeployments(&pass)
        syncReplicaSetPods(&pass)
        schedulePendingPods(&pass)
        syncReplicaSetStatuses(&pass)
        syncDeploymentStatuses(&pass)
        if pass.scope.everything {
            let pods = simulated(BuiltinResources.pods)
            pass.memory.podTimers = pass.memory.podTimers.filter { pods[$0.key]?.metaUID == $0.value.uid }
        }
        pass.memory.observedThrough = startedAt
        return (pass.memory, pass.memory.nextWake)
    }

    /// The objects of `type` this pass looks at: all, or those of `keys` that exist.
    func simulated(_ type: ResourceType, in keys: Set<ObjectKey>, everything: Bool) -> [JSONValue] {
        let stored = simulated(type)
        return everything ? Array(stored.values) : keys.compactMap { stored[$0] }
    }

    // MARK: - Shared helpers

    /// The stored objects of a type, by key (no copies, no sorting).
    func simulated(_ type: ResourceType) -> [ObjectKey: JSONValue] {
        objects[type.storageKey] ?? [:]
    }

    /// Stores a controller's change to an object (one MODIFIED event), unless nothing changed.
    func storeSimulated(_ object: JSONValue, previous: JSONValue, type: ResourceType) {
        guard object != previous else { return }
        store(object, type: type, key: key(type, previous.metaNamespace, previous.metaName), eventType: .modified,
              previous: previous)
    }

    /// The active objects (not being deleted, not finished pods) of `type` that the controller with
    /// this uid controls, ordered by key, as stored now. Read per controller, never as a snapshot of
    /// every type's objects: a snapshot held across a write would make that write copy the whole store.
    func controlledObjects(_ type: ResourceType, by controllerUID: String) -> [JSONValue] {
        let owned = controlled.keys(type.storageKey, controlledBy: controllerUID)
        guard !owned.isEmpty, let stored = objects[type.storageKey] else { return [] }
        return owned.sorted().compactMap { stored[$0] }.filter(\.isActiveForSimulation)
    }
}

extension JSONValue {
    /// Not being deleted, and (for pods) not Succeeded or Failed.
    var isActiveForSimulation: Bool {
        guard metaDeletionTimestamp == nil else { return false }
        let phase = self[path: ["status", "phase"]]?.stringValue
        return phase != "Succeeded" && phase != "Failed"
    }

    /// `spec.replicas` as an Int (1 when absent).
    var specReplicas: Int { Int(self[path: ["spec", "replicas"]]?.intValue ?? 1) }

    /// An integer status field (0 when absent).
    func statusCount(_ field: String) -> Int { Int(self[path: ["status", field]]?.intValue ?? 0) }

    /// Orders objects by creation time, then name (`controller.ReplicaSetsByCreationTimestamp`).
    static func createdEarlier(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        let left = lhs[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        let right = rhs[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        return left == right ? lhs.metaName < rhs.metaName : left < right
    }
}
