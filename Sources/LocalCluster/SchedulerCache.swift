import KubeModel

/// What the simulated scheduler needs of the pods, kept on every pod write as kube-scheduler's
/// own cache is: per node, the requests, the pod count and the pods per controller of its
/// active bound pods; and the keys of the active pods that wait for the default scheduler. A
/// scheduling pass then costs in proportion to the pending pods and the nodes, not to every pod.
struct SchedulerCache: Sendable {
    /// Node name -> usage by its active bound pods.
    private(set) var usage: [String: NodeUsage] = [:]
    /// Active pods without a node that the default scheduler places.
    private(set) var pending: Set<ObjectKey> = []
    /// Each node as the scheduler reads it (labels, taints, allocatable), by name, kept until the
    /// Node's resourceVersion changes: a scheduling cycle does not parse every node again.
    private var nodeViews: [String: (resourceVersion: String, view: SchedulerNode)] = [:]

    /// The nodes with their current usage, in name order.
    mutating func schedulerNodes(_ stored: [ObjectKey: JSONValue]) -> [SchedulerNode] {
        var nodes: [SchedulerNode] = []
        nodes.reserveCapacity(stored.count)
        var seen: Set<String> = []
        for node in stored.values {
            let name = node.metaName
            let version = node.metaResourceVersion
            var view: SchedulerNode
            if let known = nodeViews[name], known.resourceVersion == version, !version.isEmpty {
                view = known.view
            } else {
                view = SchedulerNode(node: node)
                nodeViews[name] = (version, view)
            }
            view.usage = usage[name] ?? NodeUsage()
            nodes.append(view)
            seen.insert(name)
        }
        if nodeViews.count > seen.count { nodeViews = nodeViews.filter { seen.contains($0.key) } }
        return nodes.sorted { $0.name < $1.name }
    }

    /// The requests, pod count and per-controller counts of one node's pods.
    struct NodeUsage: Sendable {
        var requested = ResourceAmounts()
        var podCount = 0
        var podsByController: [String: Int] = [:]

        /// Counts a pod bound to the node.
        mutating func add(_ pod: JSONValue) {
            requested.add(ResourceAmounts.requests(ofPodSpec: pod["spec"] ?? [:]))
            podCount += 1
            if let controller = pod.controllerUID { podsByController[controller, default: 0] += 1 }
        }

        /// Stops counting a pod that was bound to the node.
        mutating func subtract(_ pod: JSONValue) {
            requested.subtract(ResourceAmounts.requests(ofPodSpec: pod["spec"] ?? [:]))
            podCount -= 1
            if let controller = pod.controllerUID {
                podsByController[controller, default: 0] -= 1
                if podsByController[controller] == 0 { podsByController[controller] = nil }
            }
        }
    }

    /// Takes a pod's change (nil: absent) into account.
    mutating func update(key: ObjectKey, old: JSONValue?, new: JSONValue?) {
        if let old { remove(key: key, old) }
        if let new { add(key: key, new) }
    }

    private mutating func add(key: ObjectKey, _ pod: JSONValue) {
        guard pod.isActiveForSimulation else { return }
        if let node = Self.nodeName(of: pod) {
            usage[node, default: NodeUsage()].add(pod)
        } else if Self.usesDefaultScheduler(pod) {
            pending.insert(key)
        }
    }

    private mutating func remove(key: ObjectKey, _ pod: JSONValue) {
        pending.remove(key)
        guard pod.isActiveForSimulation, let node = Self.nodeName(of: pod) else { return }
        usage[node]?.subtract(pod)
    }

    private static func nodeName(of pod: JSONValue) -> String? {
        guard let name = pod[path: ["spec", "nodeName"]]?.stringValue, !name.isEmpty else { return nil }
        return name
    }

    private static func usesDefaultScheduler(_ pod: JSONValue) -> Bool {
        (pod[path: ["spec", "schedulerName"]]?.stringValue ?? "default-scheduler") == "default-scheduler"
    }
}
