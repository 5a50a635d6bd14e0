import Foundation
import KubeModel
import LocalCluster
import TestSupport
import Testing

@Suite("Simulation: nodes and Deployment availability")
struct SimulationTests {
    @Test("simulated nodes carry GPU labels, edge roles and taints, and readiness can change")
    func nodes() async throws {
        try await withCluster { cluster, api in
            try await cluster.addDemoNodes()
            let t4 = try await api.get("/api/v1/nodes/cloud-gpu-1").body
            #expect(t4[path: ["metadata", "labels", "nvidia.com/gpu.product"]] == "Tesla-T4")
            #expect(t4[path: ["metadata", "labels", "nvidia.com/gpu.memory"]] == "15360")
            #expect(t4[path: ["status", "allocatable", "nvidia.com/gpu"]] == "2")
            let edge = try await api.get("/api/v1/nodes/edge-gpu-1").body
            #expect(edge[path: ["metadata", "labels", "node-role.kubernetes.io/edge"]] == "")
            #expect(edge[path: ["metadata", "labels", "nvidia.com/gpu.memory"]] == "7611")
            #expect(edge[path: ["spec", "taints"]]?[0]?["effect"] == "NoSchedule")
            let arm = try await api.get("/api/v1/nodes/edge-arm-1").body
            #expect(arm[path: ["metadata", "labels", "kubernetes.io/arch"]] == "arm64")
            #expect(arm[path: ["status", "allocatable", "nvidia.com/gpu"]] == nil)
            try await cluster.updateNode(name: "edge-arm-1", ready: false)
            let notReady = try await api.get("/api/v1/nodes/edge-arm-1").body
            #expect(notReady[path: ["status", "conditions"]]?[0]?["status"] == "False")
            try await cluster.removeNode(name: "edge-arm-2")
            #expect(try await api.get("/api/v1/nodes/edge-arm-2").status == 404)
        }
    }

    @Test("simulated pods avoid tainted nodes unless they tolerate them")
    func scheduling() async throws {
        let options = LocalClusterOptions(deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(50)))
        try await withCluster(options) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", deployment("plain", replicas: 3))
            try await eventually {
                let pods = try await api.get("/api/v1/namespaces/default/pods").body["items"]?.arrayValue ?? []
                return pods.count == 3
            }
            let pods = try await api.get("/api/v1/namespaces/default/pods").body["items"]?.arrayValue ?? []
            #expect(pods.allSatisfy { $0[path: ["spec", "nodeName"]]?.stringValue?.hasPrefix("cloud-gpu-") == true })
        }
    }

    @Test("the Deployment simulator creates pods on the selected node and reports availability, or failure")
    func deployments() async throws {
        let options = LocalClusterOptions(deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(50)))
        try await withCluster(options) { cluster, api in
            try await cluster.addDemoNodes()
            var object = deployment("infer", replicas: 2)
            object[path: ["spec", "template", "spec", "nodeSelector"]] = ["nvidia.com/gpu.product": "Tesla-P4"]
            object[path: ["spec", "template", "spec", "tolerations"]] = [
                ["key": "node-role.kubernetes.io/edge", "operator": "Exists", "effect": "NoSchedule"],
            ]
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            try await eventually {
                let current = try await api.get("/apis/apps/v1/namespaces/default/deployments/infer").body
                return current[path: ["status", "availableReplicas"]] == 2
                    && current[path: ["status", "observedGeneration"]] == 1
            }
            let pods = try await api.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dinfer").body["items"]?.arrayValue ?? []
            #expect(pods.count == 2)
            #expect(pods.allSatisfy { $0[path: ["status", "phase"]] == "Running" })
            #expect(await cluster.store.allWriteCounts() == ["create deployments.apps": 1],
                    "the simulator's own writes are not counted as API writes")
            #expect(pods.allSatisfy { $0[path: ["spec", "nodeName"]]?.stringValue?.hasPrefix("edge-gpu-") == true },
                    "pods land on the tolerated P4 edge nodes")
            await cluster.setDeploymentFailing(namespace: "default", name: "infer")
            try await eventually {
                let current = try await api.get("/apis/apps/v1/namespaces/default/deployments/infer").body
                let available = (current[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Available" }
                return available?["status"] == "False" && current[path: ["status", "availableReplicas"]] == nil
            }
            _ = try await api.patch("/apis/apps/v1/namespaces/default/deployments/infer/scale", ["spec": ["replicas": 1]])
            try await eventually {
                let remaining = try await api.get("/api/v1/namespaces/default/pods").body["items"]?.arrayValue ?? []
                return remaining.count == 1
            }
            _ = try await api.delete("/apis/apps/v1/namespaces/default/deployments/infer")
            let left = try await api.get("/api/v1/namespaces/default/pods").body["items"]?.arrayValue ?? []
            #expect(left.isEmpty, "pods are garbage-collected with their Deployment")
        }
    }
}
