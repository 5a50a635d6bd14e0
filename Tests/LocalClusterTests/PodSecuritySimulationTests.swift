import Foundation
import KubeClient
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

@Suite("Simulation: pods that Pod Security refuses show on the ReplicaSet and Deployment, as on a real cluster")
struct PodSecuritySimulationTests {
    /// A Deployment whose pods mount a hostPath volume `model-cache`.
    func cachingDeployment(_ name: String) -> JSONValue {
        var object = deployment(name, replicas: 2)
        object[path: ["spec", "template", "spec", "volumes"]] = [["name": "model-cache", "hostPath": ["path": "/var/cache/models"]]]
        return object
    }

    func get(_ api: APIClient, _ path: String) async throws -> JSONValue { try await api.get(path).body }

    func replicaSetCondition(_ replicaSet: JSONValue) -> JSONValue? {
        (replicaSet[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "ReplicaFailure" }
    }

    /// The ReplicaSets of a namespace.
    func replicaSets(_ api: APIClient, _ namespace: String) async throws -> [JSONValue] {
        try await get(api, "/apis/apps/v1/namespaces/\(namespace)/replicasets")["items"]?.arrayValue ?? []
    }

    /// Waits until the namespace's one ReplicaSet and the Deployment report ReplicaFailure; returns both.
    func waitForFailure(_ api: APIClient, _ namespace: String, _ name: String) async throws -> (JSONValue, JSONValue) {
        try await eventually {
            let deployment = try await get(api, "/apis/apps/v1/namespaces/\(namespace)/deployments/\(name)")
            return deploymentCondition(deployment, "ReplicaFailure") != nil
        }
        let sets = try await replicaSets(api, namespace)
        #expect(sets.count == 1)
        return (try #require(sets.first), try await get(api, "/apis/apps/v1/namespaces/\(namespace)/deployments/\(name)"))
    }

    @Test("refused pods: ReplicaFailure on ReplicaSet and Deployment with the server's message, FailedCreate events, retries that back off; relabelling the namespace privileged lets the next attempt through")
    func refusedThenRelabelled() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await createNamespace(api, "team", podSecurity: ["pod-security.kubernetes.io/enforce": "baseline"])
            #expect(try await api.post("/apis/apps/v1/namespaces/team/deployments", cachingDeployment("cached")).status == 201)
            let (replicaSet, deployment) = try await waitForFailure(api, "team", "cached")

            let rsName = try #require(replicaSet.metaName)
            let failure = try #require(replicaSetCondition(replicaSet))
            #expect(failure["status"] == "True" && failure["reason"] == "FailedCreate")
            let message = try #require(failure["message"]?.stringValue)
            let refusal = #"pods ""# + rsName
                + #"-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes \(volume "model-cache"\)"#
            #expect(message.wholeMatch(of: try Regex(refusal)) != nil, "\(message)")
            let mirrored = try #require(deploymentCondition(deployment, "ReplicaFailure"))
            #expect(mirrored["status"] == "True" && mirrored["reason"] == "FailedCreate")
            #expect(mirrored["message"] == .string(message))
            #expect(mirrored["lastUpdateTime"] == failure["lastTransitionTime"])
            #expect(try await get(api, "/api/v1/namespaces/team/pods")["items"]?.arrayValue?.isEmpty == true)

            // Retries back off (5 ms doubling) instead of running at every pass; each is a FailedCreate event.
            try await Task.sleep(for: .seconds(1))
            let events = (try await get(api, "/api/v1/namespaces/team/events")["items"]?.arrayValue ?? [])
                .filter { $0["reason"] == "FailedCreate" }
            let first = try #require(events.first)
            #expect(first["type"] == "Warning" && first[path: ["source", "component"]] == "replicaset-controller")
            #expect(first["involvedObject"]?["kind"] == "ReplicaSet" && first["involvedObject"]?["name"] == .string(rsName))
            #expect(first["involvedObject"]?["uid"] == .string(replicaSet.metaUID))
            let eventMessage = try Regex(#"(\(combined from similar events\): )?Error creating: "# + refusal)
            for event in events {
                #expect(event["message"]?.stringValue?.wholeMatch(of: eventMessage) != nil, "\(event["message"] ?? .null)")
            }
            let attempts = events.reduce(0) { $0 + ($1["count"]?.intValue ?? 0) }
            #expect(attempts >= 2, "the controller tries again after a refusal")
            #expect(attempts <= 20, "about 10 attempts in the first second with the controller's backoff, not one per pass: \(attempts)")
            let conditionNow = replicaSetCondition(try await get(api, "/apis/apps/v1/namespaces/team/replicasets/\(rsName)"))
            #expect(conditionNow?["message"] == .string(message), "later refusals keep the first message, as calculateStatus does")

            #expect(try await api.patch("/api/v1/namespaces/team", [
                "metadata": ["labels": ["pod-security.kubernetes.io/enforce": "privileged"]]]).status == 200)
            try await eventually {
                let current = try await get(api, "/apis/apps/v1/namespaces/team/deployments/cached")
                return rolledOut(current) && deploymentCondition(current, "ReplicaFailure") == nil
            }
            let healed = try await get(api, "/apis/apps/v1/namespaces/team/replicasets/\(rsName)")
            #expect(replicaSetCondition(healed) == nil)
            #expect(try await get(api, "/api/v1/namespaces/team/pods")["items"]?.arrayValue?.count == 2)
        }
    }

    @Test("a Deployment of plain pods in a restricted namespace reports every restricted violation, joined")
    func restrictedJoinedMessage() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await createNamespace(api, "strict", podSecurity: ["pod-security.kubernetes.io/enforce": "restricted"])
            _ = try await api.post("/apis/apps/v1/namespaces/strict/deployments", deployment("plain"))
            let (replicaSet, deployment) = try await waitForFailure(api, "strict", "plain")
            let rsName = try #require(replicaSet.metaName)
            let message = try #require(replicaSetCondition(replicaSet)?["message"]?.stringValue)
            let suffix = #"" is forbidden: violates PodSecurity "restricted:latest": "#
                + #"allowPrivilegeEscalation != false (container "main" must set securityContext.allowPrivilegeEscalation=false), "#
                + #"unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]), "#
                + #"runAsNonRoot != true (pod or container "main" must set securityContext.runAsNonRoot=true), "#
                + #"seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#
            #expect(message.hasPrefix("pods \"\(rsName)-") && message.hasSuffix(suffix), "\(message)")
            #expect(deploymentCondition(deployment, "ReplicaFailure")?["message"] == .string(message))
        }
    }

    @Test("a Deployment in a namespace without the label rolls out whatever its pods ask for")
    func unlabelledNamespaceRollsOut() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", cachingDeployment("cached"))
            try await eventually { rolledOut(try await get(api, "/apis/apps/v1/namespaces/default/deployments/cached")) }
            #expect(try await listPods(api).count == 2)
        }
    }
}
