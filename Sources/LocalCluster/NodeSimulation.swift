import KubeModel

/// Builders for simulated Node objects: GPU cloud servers, GPU edge boxes and Arm edge boxes, with
/// the labels, taints, capacity and Ready condition the placement code reads.
public enum SimulatedNode {
    /// A cloud GPU server: `nvidia.com/gpu.product=Tesla-T4`, 15360 MiB per GPU.
    public static func gpuCloud(name: String, gpus: Int = 1, cpu: String = "16", memory: String = "64Gi") -> JSONValue {
        node(name: name, arch: "amd64", cpu: cpu, memory: memory,
             labels: gpuLabels(product: "Tesla-T4", memoryMiB: 15360, count: gpus), gpus: gpus, taints: [])
    }

    /// An edge box with a GPU: `node-role.kubernetes.io/edge=""`, Tesla-P4 (7611 MiB), tainted NoSchedule.
    public static func gpuEdge(name: String, gpus: Int = 1, cpu: String = "8", memory: String = "16Gi") -> JSONValue {
        var labels = gpuLabels(product: "Tesla-P4", memoryMiB: 7611, count: gpus)
        labels["node-role.kubernetes.io/edge"] = ""
        return node(name: name, arch: "amd64", cpu: cpu, memory: memory, labels: labels, gpus: gpus,
                    taints: [edgeTaint])
    }

    /// An Arm64 edge box without a GPU, tainted NoSchedule like every edge node.
    public static func armEdge(name: String, cpu: String = "4", memory: String = "8Gi") -> JSONValue {
        node(name: name, arch: "arm64", cpu: cpu, memory: memory, labels: ["node-role.kubernetes.io/edge": ""], gpus: 0,
             taints: [edgeTaint])
    }

    /// A plain node (no GPU, no role).
    public static func plain(name: String, arch: String = "amd64", cpu: String = "4", memory: String = "16Gi") -> JSONValue {
        node(name: name, arch: arch, cpu: cpu, memory: memory, labels: [:], gpus: 0, taints: [])
    }

    /// The demo fleet: two T4 cloud servers, two P4 edge boxes and two Arm edge boxes.
    public static let demoFleet: [JSONValue] = [
        gpuCloud(name: "cloud-gpu-1", gpus: 2), gpuCloud(name: "cloud-gpu-2", gpus: 1),
        gpuEdge(name: "edge-gpu-1"), gpuEdge(name: "edge-gpu-2"),
        armEdge(name: "edge-arm-1"), armEdge(name: "edge-arm-2"),
    ]

    static let edgeTaint: JSONValue = ["key": "node-role.kubernetes.io/edge", "effect": "NoSchedule"]

    private static func gpuLabels(product: String, memoryMiB: Int, count: Int) -> [String: String] {
        [
            "nvidia.com/gpu.product": product, "nvidia.com/gpu.memory": String(memoryMiB),
            "nvidia.com/gpu.count": String(count), "nvidia.com/gpu.present": "true",
        ]
    }

    private static func node(name: String, arch: String, cpu: String, memory: String, labels extra: [String: String],
                             gpus: Int, taints: [JSONValue]) -> JSONValue {
        var labels: [String: JSONValue] = [
            "kubernetes.io/arch": .string(arch), "kubernetes.io/os": "linux", "kubernetes.io/hostname": .string(name),
            "beta.kubernetes.io/arch": .string(arch), "beta.kubernetes.io/os": "linux",
        ]
        for (key, value) in extra { labels[key] = .string(value) }
        var resources: [String: JSONValue] = ["cpu": .string(cpu), "memory": .string(memory), "pods": "110"]
        if gpus > 0 { resources["nvidia.com/gpu"] = .string(String(gpus)) }
        var spec: JSONValue = [:]
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        let now = Timestamp.now()
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(labels)],
            "spec": spec,
            "status": [
                "capacity": .object(resources), "allocatable": .object(resources),
                "conditions": [readyCondition(true, now: now)],
                "addresses": [["type": "Hostname", "address": .string(name)],
                              ["type": "InternalIP", "address": .string("192.168.\(arch == "arm64" ? 20 : 10).\(abs(name.hashValue) % 250 + 2)")]],
                "nodeInfo": ["architecture": .string(arch), "operatingSystem": "linux", "kubeletVersion": "v1.32.0",
                             "containerRuntimeVersion": "simulated://1.0", "osImage": "LocalCluster simulated node"],
            ],
        ]
    }

    static func readyCondition(_ ready: Bool, now: String) -> JSONValue {
        [
            "type": "Ready", "status": ready ? "True" : "False",
            "reason": ready ? "KubeletReady" : "KubeletNotReady",
            "message": ready ? "kubelet is posting ready status" : "simulated node is not ready",
            "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
        ]
    }
}

extension LocalCluster {
    /// Adds a simulated node (see ``SimulatedNode``). Node simulation stays out of the write counters.
    @discardableResult
    public func addNode(_ node: JSONValue) async throws -> JSONValue {
        try await store.create(BuiltinResources.nodes, namespace: nil, body: node, options: .uncounted)
    }

    /// Adds the demo fleet of ``SimulatedNode/demoFleet``.
    public func addDemoNodes() async throws {
        for node in SimulatedNode.demoFleet { try await addNode(node) }
    }

    /// Replaces a node's labels (nil leaves them) and readiness (nil leaves it).
    @discardableResult
    public func updateNode(name: String, labels: [String: String]? = nil, ready: Bool? = nil) async throws -> JSONValue {
        var node = try await store.get(BuiltinResources.nodes, namespace: nil, name: name)
        if let labels { node[path: ["metadata", "labels"]] = .object(labels.mapValues(JSONValue.string)) }
        node = try await store.update(BuiltinResources.nodes, namespace: nil, name: name, body: node, subresource: nil,
                                      options: .uncounted, verb: "update")
        if let ready {
            node[path: ["status", "conditions"]] = [SimulatedNode.readyCondition(ready, now: Timestamp.now())]
            node = try await store.update(BuiltinResources.nodes, namespace: nil, name: name, body: node,
                                          subresource: "status", options: .uncounted, verb: "update")
        }
        return node
    }

    /// Removes a node.
    public func removeNode(name: String) async throws {
        _ = try await store.delete(BuiltinResources.nodes, namespace: nil, name: name, options: .uncounted)
    }
}
