import Foundation
import KubeModel

/// The node lifecycle controller, pod garbage collector and kubelets, as the simulator plays them.
///
/// - A node whose `Ready` condition is False gets the `node.kubernetes.io/not-ready:NoSchedule`
///   taint, one whose readiness is Unknown or missing `node.kubernetes.io/unreachable:NoSchedule`,
///   a cordoned one (`spec.unschedulable`) `node.kubernetes.io/unschedulable:NoSchedule`; they go
///   again when the cause does. NoExecute taints and the evictions they cause are not simulated.
/// - Pods on a NotReady node lose their `Ready` condition (their ReplicaSet counts them
///   unavailable) and get it back when the node is Ready again; nothing new starts there meanwhile.
/// - A pod that ran on a node that is then deleted is deleted (the pod garbage collector, without
///   its 40 s quarantine); its ReplicaSet replaces it. A pod created with the `nodeName` of a node
///   that does not exist never runs and stays Pending: no kubelet is there to take it.
/// - The kubelet runs the pods of ReplicaSets and the pods the simulated scheduler bound: it
///   writes them Pending with containers being created, then `delay` later Running with
///   Initialized, Ready and ContainersReady True (or, for a Deployment marked failing, its current
///   pods crash-loop and stay unready). Other pods bound by their creator (a test standing in for a
///   kubelet) are left as their creator writes them. Containers do not run; graceful termination
///   is not simulated (deleted pods go at once), nor is kubelet admission (a pod created with a
///   `nodeName` is not checked against the node's resources).
extension ClusterStore {
    static let conditionTaintKeys = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
                                     "node.kubernetes.io/unschedulable"]

    /// The node lifecycle controller's condition taints. Only a pass that looks at everything can
    /// find one to change: a node's change makes the next pass look at everything.
    func syncNodeConditionTaints(_ pass: inout SimulationPass) {
        guard pass.scope.everything else { return }
        for node in simulated(BuiltinResources.nodes).values {
            let taints = node[path: ["spec", "taints"]]?.arrayValue ?? []
            var wanted: [String] = []
            switch node.readyConditionStatus {
            case "True": break
            case "False": wanted.append("node.kubernetes.io/not-ready")
            default: wanted.append("node.kubernetes.io/unreachable")
            }
            if node[path: ["spec", "unschedulable"]]?.boolValue == true { wanted.append("node.kubernetes.io/unschedulable") }
            func isManaged(_ taint: JSONValue) -> Bool {
                taint["effect"] == "NoSchedule" && Self.conditionTaintKeys.contains(taint["key"]?.stringValue ?? "")
            }
            var updated = taints.filter { !isManaged($0) || wanted.contains($0["key"]?.stringValue ?? "") }
            for key in wanted where !updated.contains(where: { isManaged($0) && $0["key"]?.stringValue == key }) {
                updated.append(["key": .string(key), "effect": "NoSchedule"])
            }
            guard updated != taints else { continue }
            var changed = node
            changed[path: ["spec", "taints"]] = updated.isEmpty ? nil : .array(updated)
            storeSimulated(changed, previous: node, type: BuiltinResources.nodes)
        }
    }

    func runKubelets(_ pass: inout SimulationPass) {
        let nodes = simulated(BuiltinResources.nodes)
        let (failing, ofFailingDeployments) = failingReplicaSetUIDs(pass.memory.failingDeployments,
                                                                    sparing: pass.memory.sparedReplicaSets)
        let initFailures = initFailingReplicaSets(pass.memory.initFailures, failing: failing)
        if !pass.scope.everything {
            for key in pass.scope.pods where simulated(BuiltinResources.pods)[key] == nil { pass.memory.podTimers[key] = nil }
            // Which pods of a failing Deployment crash follows its template, which changes without a pod event.
            for uid in ofFailingDeployments {
                pass.scope.pods.formUnion(controlled.keys(BuiltinResources.pods.storageKey, controlledBy: uid))
            }
        }
        for pod in simulated(BuiltinResources.pods, in: pass.scope.pods, everything: pass.scope.everything)
        where pod.isActiveForSimulation {
            guard let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue, !nodeName.isEmpty else { continue }
            guard let node = nodes[ObjectKey(namespace: "", name: nodeName)] else {
                if pod[path: ["status", "hostIP"]] != nil {
                    _ = try? delete(BuiltinResources.pods, namespace: pod.metaNamespace, name: pod.metaName,
                                    options: .uncounted)
                    pass.scope.add(pod: pod, deleted: true)
                }
                continue
            }
            let controlledByReplicaSet = pod.controllerKind == "ReplicaSet" && pod.controllerUID.map(liveUIDs.contains) ?? false
            let boundByScheduler = (pod[path: ["status", "conditions"]]?.arrayValue ?? [])
                .contains { $0["type"] == "PodScheduled" && $0["status"] == "True" }
            guard controlledByReplicaSet || boundByScheduler else { continue }
            let isFailing = pod.controllerUID.map(failing.contains) ?? false
            let initFailure = pod.controllerUID.flatMap { initFailures[$0] }
            runKubelet(for: pod, on: node, failing: isFailing, initFailure: initFailure, pass: &pass)
        }
    }

    private func runKubelet(for pod: JSONValue, on node: JSONValue, failing: Bool, initFailure: SimulatedInitFailure?,
                            pass: inout SimulationPass) {
        let key = ObjectKey(namespace: pod.metaNamespace ?? "", name: pod.metaName)
        let nodeReady = node.readyConditionStatus == "True"
        let hostIP = node.internalIP
        var updated = pod
        defer {
            if updated != pod {
                storeSimulated(updated, previous: pod, type: BuiltinResources.pods)
                pass.scope.add(pod: updated, deleted: false)
            }
        }
        if pod[path: ["status", "hostIP"]] == nil {
            guard nodeReady else { return }
            updated["status"] = SimulatedPodStatus.status(of: pod, stage: .starting, hostIP: hostIP, now: pass.nowText)
            startTimer(for: pod, pass: &pass)
            return
        }
        let current = pod.simulatedStage
        let wanted: SimulatedPodStatus.Stage = initFailure.map { .initFailing($0) } ?? (failing ? .crashLooping : .running)
        if current == wanted {
            pass.memory.podTimers[key] = nil
            if wanted == .running {
                let ready = SimulatedPodStatus.isReady(pod)
                if !nodeReady && ready {
                    updated["status"] = SimulatedPodStatus.markedNotReady(pod["status"], now: pass.nowText)
                } else if nodeReady && !ready {
                    updated["status"] = SimulatedPodStatus.status(of: pod, stage: .running, hostIP: hostIP, now: pass.nowText)
                }
            }
            return
        }
        guard nodeReady else {
            // Nothing starts on a NotReady node; its becoming Ready again (a node change) restarts the clock.
            pass.memory.podTimers[key] = nil
            return
        }
        if current == .running {
            // A running pod of a Deployment just marked failing crashes at once.
            updated["status"] = SimulatedPodStatus.status(of: pod, stage: wanted, hostIP: hostIP, now: pass.nowText)
            pass.memory.podTimers[key] = nil
            return
        }
        // Starting, or restarting after crash-looping: in its wanted stage once its start-up time has passed.
        guard let timer = pass.memory.podTimers[key], timer.uid == pod.metaUID else {
            startTimer(for: pod, pass: &pass)
            return
        }
        if timer.readyAt <= pass.now {
            updated["status"] = SimulatedPodStatus.status(of: pod, stage: wanted, hostIP: hostIP, now: pass.nowText)
            pass.memory.podTimers[key] = nil
        }
    }

    private func startTimer(for pod: JSONValue, pass: inout SimulationPass) {
        let readyAt = pass.now.addingTimeInterval(pass.options.delay.timeInterval)
        pass.memory.podTimers[ObjectKey(namespace: pod.metaNamespace ?? "", name: pod.metaName)] =
            PodTimer(uid: pod.metaUID, readyAt: readyAt)
    }

    /// Of the crashing ReplicaSets, those whose Deployment fails in an init container, by uid.
    private func initFailingReplicaSets(_ failures: [ObjectKey: SimulatedInitFailure], failing: Set<String>)
        -> [String: SimulatedInitFailure]
    {
        guard !failures.isEmpty else { return [:] }
        let deployments = simulated(BuiltinResources.deployments)
        var result: [String: SimulatedInitFailure] = [:]
        for replicaSet in simulated(BuiltinResources.replicaSets).values where failing.contains(replicaSet.metaUID) {
            guard let owner = deployments.first(where: { $0.value.metaUID == replicaSet.controllerUID }),
                  let failure = failures[owner.key] else { continue }
            result[replicaSet.metaUID] = failure
        }
        return result
    }

    /// The uids of the ReplicaSets whose pods crash (the current ReplicaSet of each failing
    /// Deployment), and of every ReplicaSet of a failing Deployment.
    private func failingReplicaSetUIDs(_ deployments: Set<ObjectKey>, sparing spared: Set<String>)
        -> (current: Set<String>, all: Set<String>)
    {
        guard !deployments.isEmpty else { return ([], []) }
        let stored = simulated(BuiltinResources.deployments)
        var current: Set<String> = [], all: Set<String> = []
        for key in deployments {
            guard let deployment = stored[key] else { continue }
            let owned = controlledObjects(BuiltinResources.replicaSets, by: deployment.metaUID)
            all.formUnion(owned.map(\.metaUID))
            if let set = Self.currentReplicaSet(of: deployment, among: owned),
               !spared.contains(set.metaUID) { current.insert(set.metaUID) }
        }
        return (current, all)
    }
}

extension JSONValue {
    /// The status of a node's `Ready` condition (`True`, `False`, `Unknown`), nil when it has none.
    var readyConditionStatus: String? {
        (self[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }?["status"]?.stringValue
    }

    /// A node's InternalIP address (else its first address, else 127.0.0.1).
    var internalIP: String {
        let addresses = self[path: ["status", "addresses"]]?.arrayValue ?? []
        let address = addresses.first { $0["type"] == "InternalIP" } ?? addresses.first
        return address?["address"]?.stringValue ?? "127.0.0.1"
    }

    /// Where a started pod is: crash-looping when a container waits in CrashLoopBackOff, running
    /// once its phase is Running, else starting.
    var simulatedStage: SimulatedPodStatus.Stage {
        let initStatuses = self[path: ["status", "initContainerStatuses"]]?.arrayValue ?? []
        if let failed = initStatuses.first(where: { $0[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff" }) {
            return .initFailing(SimulatedInitFailure(
                container: failed["name"]?.stringValue ?? "",
                message: failed[path: ["lastState", "terminated", "message"]]?.stringValue ?? ""))
        }
        let statuses = self[path: ["status", "containerStatuses"]]?.arrayValue ?? []
        if statuses.contains(where: { $0[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff" }) { return .crashLooping }
        return self[path: ["status", "phase"]] == "Running" ? .running : .starting
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
