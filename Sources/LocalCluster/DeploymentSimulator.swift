import Foundation
import KubeClient

/// Simulates what the deployment controller and kubelets would do, without running containers:
/// shortly after a Deployment changes, it creates or deletes owner-referenced fake Pods (phase
/// Running, on the node the template names or selects) and sets the Deployment's status
/// (observedGeneration, replica counts, Available/Progressing conditions) to match its spec.
/// Deployments marked failing get crash-looping pods and no available replicas.
actor DeploymentSimulator {
    private let store: ClusterStore
    private let options: DeploymentSimulationOptions
    private var failing: Set<ObjectKey> = []
    private var pending: Set<ObjectKey> = []
    private var watchTask: Task<Void, Never>?

    private init(store: ClusterStore, options: DeploymentSimulationOptions) {
        self.store = store
        self.options = options
    }

    static func start(store: ClusterStore, options: DeploymentSimulationOptions) async -> DeploymentSimulator {
        let simulator = DeploymentSimulator(store: store, options: options)
        await simulator.begin()
        return simulator
    }

    private func begin() async {
        guard let (events, subscription) = try? await store.watch(
            BuiltinResources.deployments, namespace: nil, labelSelector: .everything, fieldSelector: .everything,
            resourceVersion: nil) else { return }
        let store = self.store
        watchTask = Task { [weak self] in
            for await item in events {
                guard case .event(let type, let object) = item, type != .deleted else { continue }
                await self?.schedule(ObjectKey(namespace: object.metaNamespace ?? "", name: object.metaName))
            }
            if let subscription { await store.endWatch(subscription) }
        }
    }

    func stop() {
        watchTask?.cancel()
    }

    func setFailing(namespace: String, name: String, failing isFailing: Bool) {
        let key = ObjectKey(namespace: namespace, name: name)
        if isFailing { failing.insert(key) } else { failing.remove(key) }
        schedule(key)
    }

    private func schedule(_ key: ObjectKey) {
        guard pending.insert(key).inserted else { return }
        let delay = options.delay
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.reconcile(key)
        }
    }

    private func reconcile(_ key: ObjectKey) async {
        pending.remove(key)
        let type = BuiltinResources.deployments
        guard let deployment = try? await store.get(type, namespace: key.namespace, name: key.name),
              deployment.metaDeletionTimestamp == nil else { return }
        let isFailing = failing.contains(key)
        let desired = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        await syncPods(of: deployment, desired: desired, failing: isFailing)
        var updated = deployment
        updated["status"] = Self.status(of: deployment, desired: desired, failing: isFailing)
        if updated["status"] != deployment["status"] {
            _ = try? await store.update(type, namespace: key.namespace, name: key.name, object: updated,
                                        subresource: "status")
        }
    }

    private func syncPods(of deployment: JSONValue, desired: Int, failing: Bool) async {
        let pods = BuiltinResources.pods
        let namespace = deployment.metaNamespace ?? "default"
        let owned = await store.list(pods, namespace: namespace).filter { pod in
            pod.ownerReferences.contains { $0["uid"]?.stringValue == deployment.metaUID }
        }
        let templateHash = String(UInt32(truncatingIfNeeded: (deployment[path: ["spec", "template"]] ?? .null).jsonString.hashValue), radix: 36)
        var current: [JSONValue] = []
        for pod in owned {
            let podHash = pod[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue
            if podHash != templateHash {
                _ = try? await store.delete(pods, namespace: namespace, name: pod.metaName)
            } else {
                current.append(pod)
            }
        }
        if current.count > desired {
            for pod in current.suffix(current.count - desired) {
                _ = try? await store.delete(pods, namespace: namespace, name: pod.metaName)
            }
            current.removeLast(current.count - desired)
        }
        for pod in current where Self.isFailing(pod) != failing {
            var updated = pod
            updated["status"] = Self.podStatus(pod: pod, failing: failing)
            _ = try? await store.update(pods, namespace: namespace, name: pod.metaName, object: updated,
                                        subresource: "status")
        }
        let nodes = await store.list(BuiltinResources.nodes)
        for _ in current.count..<max(current.count, desired) {
            let pod = Self.pod(for: deployment, hash: templateHash, nodes: nodes, failing: failing)
            _ = try? await store.create(pods, namespace: namespace, object: pod)
        }
    }

    private static func isFailing(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).contains { $0["ready"]?.boolValue == false }
    }

    private static func pod(for deployment: JSONValue, hash: String, nodes: [JSONValue], failing: Bool) -> JSONValue {
        let template = deployment[path: ["spec", "template"]] ?? .object([:])
        var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels["pod-template-hash"] = .string(hash)
        var spec = template["spec"] ?? .object([:])
        if spec["nodeName"] == nil, let node = chooseNode(spec: spec, nodes: nodes) { spec["nodeName"] = .string(node) }
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "generateName": .string("\(deployment.metaName)-\(hash)-"),
                "labels": .object(labels),
                "ownerReferences": [[
                    "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(deployment.metaName),
                    "uid": .string(deployment.metaUID), "controller": true, "blockOwnerDeletion": true,
                ]],
            ],
            "spec": spec,
        ]
        pod["status"] = podStatus(pod: pod, failing: failing)
        return pod
    }

    /// The template's `kubernetes.io/hostname` selector, else the first Ready node matching its nodeSelector.
    private static func chooseNode(spec: JSONValue, nodes: [JSONValue]) -> String? {
        let selector = (spec["nodeSelector"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        if let host = selector["kubernetes.io/hostname"] { return host }
        guard !selector.isEmpty else { return nil }
        return nodes.first { node in
            let labels = LabelSelector.labels(of: node)
            return selector.allSatisfy { labels[$0.key] == $0.value }
        }?.metaName
    }

    private static func podStatus(pod: JSONValue, failing: Bool) -> JSONValue {
        let now = Timestamp.now()
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        let statuses: [JSONValue] = containers.map { container in
            [
                "name": container["name"] ?? "", "image": container["image"] ?? "", "ready": .bool(!failing),
                "restartCount": .int(failing ? 3 : 0), "started": .bool(!failing),
                "state": failing
                    ? ["waiting": ["reason": "CrashLoopBackOff", "message": "simulated failure"]]
                    : ["running": ["startedAt": .string(now)]],
            ]
        }
        return [
            "phase": "Running", "podIP": .string("10.244.\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"),
            "startTime": .string(now), "containerStatuses": .array(statuses),
            "conditions": [["type": "Ready", "status": failing ? "False" : "True", "lastTransitionTime": .string(now)]],
        ]
    }

    private static func status(of deployment: JSONValue, desired: Int, failing: Bool) -> JSONValue {
        let now = Timestamp.now()
        let old = deployment["status"]
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            let previous = (old?["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }
            let unchanged = previous?["status"]?.stringValue == status && previous?["reason"]?.stringValue == reason
            return [
                "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": unchanged ? (previous?["lastUpdateTime"] ?? .string(now)) : .string(now),
                "lastTransitionTime": unchanged ? (previous?["lastTransitionTime"] ?? .string(now)) : .string(now),
            ]
        }
        let ready = failing ? 0 : desired
        var status: JSONValue = [
            "observedGeneration": deployment[path: ["metadata", "generation"]] ?? 1,
            "replicas": .int(Int64(desired)), "updatedReplicas": .int(Int64(desired)),
            "readyReplicas": .int(Int64(ready)), "availableReplicas": .int(Int64(ready)),
        ]
        if desired - ready > 0 { status["unavailableReplicas"] = .int(Int64(desired - ready)) }
        if ready == 0 { status["readyReplicas"] = nil; status["availableReplicas"] = nil }
        let name = deployment.metaName
        status["conditions"] = [
            failing
                ? condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
                : condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            failing
                ? condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"\(name)\" has timed out progressing.")
                : condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(name)\" has successfully progressed."),
        ]
        return status
    }
}
