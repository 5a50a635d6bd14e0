import Foundation
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Options for a fast simulator in tests.
func fastSimulation(delay: Duration = .milliseconds(50), maxPodsPerReplicaSet: Int = 250) -> LocalClusterOptions {
    LocalClusterOptions(deploymentSimulation: DeploymentSimulationOptions(
        delay: delay, reactionDelay: .milliseconds(10), maxPodsPerReplicaSet: maxPodsPerReplicaSet))
}

/// The pods of a namespace (optionally with a label selector such as `app%3Dweb`).
func listPods(_ api: APIClient, selector: String? = nil) async throws -> [JSONValue] {
    let query = selector.map { "?labelSelector=\($0)" } ?? ""
    return try await api.get("/api/v1/namespaces/default/pods\(query)").body["items"]?.arrayValue ?? []
}

/// A pod's condition of `type`.
func podCondition(_ pod: JSONValue, _ type: String) -> JSONValue? {
    (pod[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == .string(type) }
}

/// A bare pod with one container, optionally with resource limits and extra spec fields.
func barePod(_ name: String, limits: JSONValue? = nil, spec extra: [String: JSONValue] = [:]) -> JSONValue {
    var container: JSONValue = ["name": "main", "image": "nginx:1.25"]
    if let limits { container["resources"] = ["limits": limits] }
    var spec: JSONValue = ["containers": [container]]
    for (key, value) in extra { spec[key] = value }
    return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": .string(name)]],
            "spec": spec]
}

@Suite("Simulation: the scheduler places pods only where kube-scheduler would")
struct SchedulerSimulationTests {
    static let edgeTaintReason = "node(s) had untolerated taint {node-role.kubernetes.io/edge: }"

    @Test("a pod whose nodeSelector no node matches stays Pending with PodScheduled=False and the scheduler's message")
    func unmatchedNodeSelector() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await api.post("/api/v1/namespaces/default/pods",
                                   barePod("ssd", spec: ["nodeSelector": ["disktype": "ssd"]]))
            var pod: JSONValue = .null
            try await eventually {
                pod = try await api.get("/api/v1/namespaces/default/pods/ssd").body
                return podCondition(pod, "PodScheduled") != nil
            }
            let scheduled = try #require(podCondition(pod, "PodScheduled"))
            #expect(scheduled["status"] == "False")
            #expect(scheduled["reason"] == "Unschedulable")
            #expect(scheduled["message"] == .string(
                "0/6 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 4 \(Self.edgeTaintReason). "
                    + "preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling."))
            #expect(pod[path: ["status", "phase"]] == "Pending")
            #expect(pod[path: ["spec", "nodeName"]] == nil)
        }
    }

    @Test("GPU requests beyond what the nodes have left stay Pending, counting pods the simulator did not create")
    func gpuCapacity() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            // Someone else's pod holds both GPUs of cloud-gpu-1 (bound directly, bypassing the scheduler).
            _ = try await api.post("/api/v1/namespaces/default/pods",
                                   barePod("holder", limits: ["nvidia.com/gpu": "2"], spec: ["nodeName": "cloud-gpu-1"]))
            var object = deployment("t4", replicas: 2)
            object[path: ["spec", "template", "spec", "nodeSelector"]] = ["nvidia.com/gpu.product": "Tesla-T4"]
            object[path: ["spec", "template", "spec", "containers"]] = [[
                "name": "main", "image": "server:1", "resources": ["limits": ["nvidia.com/gpu": "1"]],
            ]]
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            var pods: [JSONValue] = []
            try await eventually {
                pods = try await listPods(api, selector: "app%3Dt4")
                return pods.count == 2 && pods.allSatisfy { podCondition($0, "PodScheduled") != nil }
                    && pods.contains { $0[path: ["status", "phase"]] == "Running" }
            }
            let running = pods.filter { $0[path: ["status", "phase"]] == "Running" }
            let pending = pods.filter { $0[path: ["status", "phase"]] == "Pending" }
            #expect(running.count == 1 && running.first?[path: ["spec", "nodeName"]] == "cloud-gpu-2")
            #expect(pending.count == 1)
            #expect(podCondition(pending.first ?? .null, "PodScheduled")?["message"] == .string(
                "0/6 nodes are available: 2 Insufficient nvidia.com/gpu, 4 \(Self.edgeTaintReason). preemption: 0/6 nodes "
                    + "are available: 2 No preemption victims found for incoming pod., 4 Preemption is not helpful for scheduling."))
            // Freeing the GPUs lets the pending pod run.
            _ = try await api.delete("/api/v1/namespaces/default/pods/holder")
            try await eventually {
                let current = try await listPods(api, selector: "app%3Dt4")
                return current.filter { SimulatedPodStatus.isReady($0) }.count == 2
            }
            let deployment = try await api.get("/apis/apps/v1/namespaces/default/deployments/t4").body
            #expect(deployment[path: ["status", "availableReplicas"]] == 2)
        }
    }

    @Test("taints: NoSchedule and NoExecute keep pods away unless tolerated; PreferNoSchedule does not")
    func taints() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            var prefer = SimulatedNode.plain(name: "prefer")
            prefer[path: ["spec", "taints"]] = [["key": "busy", "value": "yes", "effect": "PreferNoSchedule"]]
            var execute = SimulatedNode.plain(name: "execute")
            execute[path: ["spec", "taints"]] = [["key": "dedicated", "value": "gpu", "effect": "NoExecute"]]
            try await cluster.addNode(prefer)
            try await cluster.addNode(execute)
            _ = try await api.post("/api/v1/namespaces/default/pods", barePod("anywhere"))
            _ = try await api.post("/api/v1/namespaces/default/pods",
                                   barePod("pinned", spec: ["nodeSelector": ["kubernetes.io/hostname": "execute"]]))
            _ = try await api.post("/api/v1/namespaces/default/pods", barePod("tolerating", spec: [
                "nodeSelector": ["kubernetes.io/hostname": "execute"],
                "tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoExecute"]],
            ]))
            try await eventually {
                try await listPods(api).allSatisfy { podCondition($0, "PodScheduled") != nil }
            }
            let anywhere = try await api.get("/api/v1/namespaces/default/pods/anywhere").body
            #expect(anywhere[path: ["spec", "nodeName"]] == "prefer")
            let tolerating = try await api.get("/api/v1/namespaces/default/pods/tolerating").body
            #expect(tolerating[path: ["spec", "nodeName"]] == "execute")
            let pinned = try await api.get("/api/v1/namespaces/default/pods/pinned").body
            #expect(pinned[path: ["spec", "nodeName"]] == nil)
            #expect(podCondition(pinned, "PodScheduled")?["message"] == .string(
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
                    + "1 node(s) had untolerated taint {dedicated: gpu}. "
                    + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."))
        }
    }

    @Test("a cordoned node takes no new pods (no toleration is added for it) and keeps its running ones")
    func cordon() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addNode(SimulatedNode.plain(name: "only"))
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", deployment("web", replicas: 1))
            try await eventually {
                try await listPods(api, selector: "app%3Dweb").contains { SimulatedPodStatus.isReady($0) }
            }
            _ = try await api.patch("/api/v1/nodes/only", ["spec": ["unschedulable": true]])
            try await eventually {
                let node = try await api.get("/api/v1/nodes/only").body
                return node[path: ["spec", "taints"]]?.arrayValue?.contains(
                    ["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]) == true
            }
            _ = try await api.post("/api/v1/namespaces/default/pods", barePod("late"))
            var late: JSONValue = .null
            try await eventually {
                late = try await api.get("/api/v1/namespaces/default/pods/late").body
                return podCondition(late, "PodScheduled") != nil
            }
            #expect(podCondition(late, "PodScheduled")?["message"] == .string(
                "0/1 nodes are available: 1 node(s) were unschedulable. "
                    + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."))
            #expect(try await listPods(api, selector: "app%3Dweb").allSatisfy { SimulatedPodStatus.isReady($0) },
                    "cordoning does not stop running pods")
            _ = try await api.patch("/api/v1/nodes/only", ["spec": ["unschedulable": false]])
            try await eventually {
                let current = try await api.get("/api/v1/namespaces/default/pods/late").body
                return current[path: ["spec", "nodeName"]] == "only" && podCondition(current, "PodScheduled")?["status"] == "True"
            }
            let node = try await api.get("/api/v1/nodes/only").body
            #expect(node[path: ["spec", "taints"]] == nil, "uncordoning removes the taint")
        }
    }

    @Test("a NotReady node's pods become unready; a deleted node's pods are replaced elsewhere")
    func nodeReadinessAndDeletion() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addNode(SimulatedNode.plain(name: "a"))
            try await cluster.addNode(SimulatedNode.plain(name: "b"))
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", deployment("web", replicas: 2))
            func available() async throws -> JSONValue? {
                try await api.get("/apis/apps/v1/namespaces/default/deployments/web").body[path: ["status", "availableReplicas"]]
            }
            try await eventually { try await available() == 2 }
            let pods = try await listPods(api, selector: "app%3Dweb")
            #expect(Set(pods.compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }) == ["a", "b"], "spread over both nodes")

            try await cluster.updateNode(name: "a", ready: false)
            try await eventually { try await available() == 1 }
            let onA = try await listPods(api, selector: "app%3Dweb").filter { $0[path: ["spec", "nodeName"]] == "a" }
            #expect(onA.count == 1 && onA.allSatisfy { podCondition($0, "Ready")?["status"] == "False" })
            let tainted = try await api.get("/api/v1/nodes/a").body
            #expect(tainted[path: ["spec", "taints"]] == [["key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"]])
            try await cluster.updateNode(name: "a", ready: true)
            try await eventually { try await available() == 2 }

            let gone = try #require(onA.first)
            try await cluster.removeNode(name: "a")
            try await eventually {
                let current = try await listPods(api, selector: "app%3Dweb")
                return current.count == 2 && current.allSatisfy { $0[path: ["spec", "nodeName"]] == "b" && SimulatedPodStatus.isReady($0) }
            }
            #expect(try await api.get("/api/v1/namespaces/default/pods/\(gone.metaName ?? "")").status == 404)
        }
    }

    @Test("a pod bound to a node that does not exist bypasses the scheduler and stays Pending")
    func missingNodeName() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            var object = deployment("ghost", replicas: 1)
            object[path: ["spec", "template", "spec", "nodeName"]] = "no-such-node"
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            try await eventually { try await listPods(api, selector: "app%3Dghost").count == 1 }
            try await Task.sleep(for: .milliseconds(300))
            let pod = try #require(try await listPods(api, selector: "app%3Dghost").first)
            #expect(pod[path: ["spec", "nodeName"]] == "no-such-node")
            #expect(pod[path: ["status", "phase"]] == "Pending")
            #expect(podCondition(pod, "PodScheduled") == nil, "the scheduler never saw it")
        }
    }

    @Test("required node affinity: matchExpressions (In, NotIn, Exists, DoesNotExist, Gt, Lt) and matchFields")
    func nodeAffinityMatching() {
        let node = SimulatedNode.gpuCloud(name: "cloud-gpu-1", gpus: 2)
        func spec(_ term: JSONValue) -> JSONValue {
            ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [term]]]]]
        }
        func expression(_ key: String, _ op: String, _ values: [String] = []) -> JSONValue {
            ["matchExpressions": [["key": .string(key), "operator": .string(op), "values": .array(values.map(JSONValue.string))]]]
        }
        #expect(NodeAffinityMatch.matches(podSpec: spec(expression("nvidia.com/gpu.product", "In", ["Tesla-T4"])), node: node))
        #expect(!NodeAffinityMatch.matches(podSpec: spec(expression("nvidia.com/gpu.product", "NotIn", ["Tesla-T4"])), node: node))
        #expect(NodeAffinityMatch.matches(podSpec: spec(expression("node-role.kubernetes.io/edge", "DoesNotExist")), node: node))
        #expect(!NodeAffinityMatch.matches(podSpec: spec(expression("node-role.kubernetes.io/edge", "Exists")), node: node))
        #expect(NodeAffinityMatch.matches(podSpec: spec(expression("nvidia.com/gpu.memory", "Gt", ["8000"])), node: node))
        #expect(!NodeAffinityMatch.matches(podSpec: spec(expression("nvidia.com/gpu.memory", "Lt", ["8000"])), node: node))
        #expect(!NodeAffinityMatch.matches(podSpec: spec(expression("nvidia.com/gpu.product", "Gt", ["1"])), node: node),
                "Gt on a label that is not an integer matches nothing")
        let byName: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["cloud-gpu-1"]]]]
        #expect(NodeAffinityMatch.matches(podSpec: spec(byName), node: node))
        let otherName: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["cloud-gpu-2"]]]]
        #expect(!NodeAffinityMatch.matches(podSpec: spec(otherName), node: node))
        #expect(!NodeAffinityMatch.matches(podSpec: spec([:]), node: node), "an empty term matches nothing")
        var both = spec(otherName)
        both[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]] =
            [otherName, expression("kubernetes.io/arch", "In", ["amd64"])]
        #expect(NodeAffinityMatch.matches(podSpec: both, node: node), "terms are ORed")
        var selected = spec(byName)
        selected["nodeSelector"] = ["kubernetes.io/arch": "arm64"]
        #expect(!NodeAffinityMatch.matches(podSpec: selected, node: node), "nodeSelector and affinity must both match")
    }

    @Test("the FitError message sorts '<count> <reason>' as strings and reports every node once per plugin reason")
    func fitErrorMessage() {
        let message = SimulatedScheduler.fitErrorMessage(nodeCount: 12, rejections: [
            .init(reasons: ["Insufficient cpu", "Insufficient memory"], resolvable: true),
            .init(reasons: ["Insufficient cpu"], resolvable: true),
        ] + Array(repeating: .init(reasons: ["node(s) were unschedulable"], resolvable: false), count: 10),
            preemptionPolicy: nil)
        #expect(message == "0/12 nodes are available: 1 Insufficient memory, 10 node(s) were unschedulable, "
            + "2 Insufficient cpu. preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, "
            + "2 No preemption victims found for incoming pod..")
        let never = SimulatedScheduler.fitErrorMessage(
            nodeCount: 1, rejections: [.init(reasons: ["Too many pods"], resolvable: true)], preemptionPolicy: "Never")
        #expect(never == "0/1 nodes are available: 1 Too many pods. preemption: not eligible due to preemptionPolicy=Never.")
    }
}
