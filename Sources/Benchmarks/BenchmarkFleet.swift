import KubeModel
import LocalCluster

/// Simulated nodes enough for a benchmark's pods now that LocalCluster schedules faithfully (a pod
/// needs a node with room for it; the six demo nodes hold 660 pods at most). Every node is amd64
/// (the serving runtimes the benchmarks use are published for amd64), has kubelet's default of 110
/// pods, and cpu and memory for 110 pods of the largest request the operator renders (the fetch
/// init container's 100m and 64Mi); about one node in ten is spare, so the scheduler's spreading
/// never runs a layer out of room.
enum BenchmarkFleet {
    static let podsPerNode = 110
    static let edgeRoleLabel = "node-role.kubernetes.io/edge"

    /// Cloud nodes for `cloudPods` pods and edge nodes (edge role label and NoSchedule taint) for `edgePods`.
    static func nodes(cloudPods: Int, edgePods: Int) -> [JSONValue] {
        (0..<nodeCount(for: cloudPods)).map { cloudNode(index: $0) } + (0..<nodeCount(for: edgePods)).map { edgeNode(index: $0) }
    }

    /// Adds ``nodes(cloudPods:edgePods:)`` to the cluster.
    static func add(to cluster: LocalCluster, cloudPods: Int, edgePods: Int) async throws {
        for node in nodes(cloudPods: cloudPods, edgePods: edgePods) { try await cluster.addNode(node) }
    }

    /// Nodes for `pods` pods with a spare node per ten: 0 for no pods.
    static func nodeCount(for pods: Int) -> Int {
        guard pods > 0 else { return 0 }
        let needed = (pods + podsPerNode - 1) / podsPerNode
        return needed + (needed + 9) / 10
    }

    static func cloudNode(index: Int) -> JSONValue {
        sized(SimulatedNode.plain(name: String(format: "bench-cloud-%04d", index), arch: "amd64", cpu: "32", memory: "128Gi"))
    }

    static func edgeNode(index: Int) -> JSONValue {
        var node = sized(SimulatedNode.plain(name: String(format: "bench-edge-%04d", index), arch: "amd64", cpu: "32",
                                             memory: "128Gi"))
        node[path: ["metadata", "labels", edgeRoleLabel]] = ""
        node[path: ["spec", "taints"]] = [["key": .string(edgeRoleLabel), "effect": "NoSchedule"]]
        return node
    }

    private static func sized(_ node: JSONValue) -> JSONValue {
        var node = node
        for field in ["capacity", "allocatable"] {
            node[path: ["status", field, "pods"]] = .string(String(podsPerNode))
        }
        return node
    }
}
