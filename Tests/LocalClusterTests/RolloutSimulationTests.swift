import Foundation
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Every state a Deployment passes through (from a watch, so no state is missed) until `done` holds.
func deploymentStates(_ cluster: LocalCluster, _ name: String, timeout: Duration = .seconds(30),
                      after change: () async throws -> Void, until done: @escaping @Sendable (JSONValue) -> Bool)
    async throws -> [JSONValue]
{
    let store = cluster.store
    let (events, subscription) = try await store.watch(
        BuiltinResources.deployments, namespace: "default", labelSelector: .everything, fieldSelector: .everything,
        resourceVersion: String(await store.resourceVersion))
    try await change()
    let collector = Task {
        var states: [JSONValue] = []
        for await item in events {
            guard case .event(_, let payload) = item, payload.object.metaName == name else { continue }
            let object = payload.object
            states.append(object)
            if done(object) { return states }
        }
        return states
    }
    let watchdog = Task {
        try await Task.sleep(for: timeout)
        collector.cancel()
    }
    let states = await collector.value
    watchdog.cancel()
    if let subscription { await store.endWatch(subscription) }
    guard let last = states.last, done(last) else { throw TestFailure("deployment \(name) did not get there within \(timeout)") }
    return states
}

/// A Deployment's condition of `type`.
func deploymentCondition(_ deployment: JSONValue, _ type: String) -> JSONValue? {
    (deployment[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == .string(type) }
}

/// The Deployment has observed its spec and runs only updated, available replicas.
@Sendable func rolledOut(_ deployment: JSONValue) -> Bool {
    let desired = deployment[path: ["spec", "replicas"]]
    return deployment[path: ["status", "observedGeneration"]] == deployment[path: ["metadata", "generation"]]
        && deployment[path: ["status", "updatedReplicas"]] == desired && deployment[path: ["status", "replicas"]] == desired
        && deployment[path: ["status", "availableReplicas"]] == desired
        && deploymentCondition(deployment, "Progressing")?["reason"] == "NewReplicaSetAvailable"
}

@Suite("Simulation: Deployments roll out step by step through ReplicaSets")
struct RolloutSimulationTests {
    func rollingDeployment(_ name: String, replicas: Int64, surge: JSONValue, unavailable: JSONValue) -> JSONValue {
        var object = deployment(name, replicas: replicas)
        object[path: ["spec", "strategy"]] = ["type": "RollingUpdate",
                                              "rollingUpdate": ["maxSurge": surge, "maxUnavailable": unavailable]]
        return object
    }

    @Test("maxSurge 1, maxUnavailable 0: a new template gets a second ReplicaSet and availability never drops")
    func rollingUpdateKeepsAvailability() async throws {
        try await withCluster(fastSimulation(delay: .milliseconds(60))) { cluster, api in
            try await cluster.addDemoNodes()
            let created = try await deploymentStates(cluster, "roll", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments",
                                       rollingDeployment("roll", replicas: 3, surge: 1, unavailable: 0))
            }, until: rolledOut)
            let first = try #require(created.last)
            #expect(deploymentCondition(first, "Available")?["reason"] == "MinimumReplicasAvailable")
            #expect(created.contains { deploymentCondition($0, "Progressing")?["reason"] == "NewReplicaSetCreated" })
            let firstSets = try await api.get("/apis/apps/v1/namespaces/default/replicasets").body["items"]?.arrayValue ?? []
            let oldName = try #require(firstSets.first?.metaName)

            let states = try await deploymentStates(cluster, "roll", after: {
                _ = try await api.patch("/apis/apps/v1/namespaces/default/deployments/roll", [
                    "spec": ["template": ["spec": ["containers": [["name": "main", "image": "nginx:1.26"]]]]],
                ])
            }, until: { rolledOut($0) && $0[path: ["metadata", "generation"]] == 2 })
            for state in states {
                #expect((state[path: ["status", "availableReplicas"]]?.intValue ?? 0) >= 3,
                        "available never below the replicas with maxUnavailable 0: \(String(describing: state["status"]))")
                #expect((state[path: ["status", "replicas"]]?.intValue ?? 0) <= 4, "never more than replicas + maxSurge pods")
            }
            let updatedCounts = Set(states.compactMap { $0[path: ["status", "updatedReplicas"]]?.intValue })
            #expect(updatedCounts.isSuperset(of: [1, 2, 3]), "the new ReplicaSet grows one pod at a time: \(updatedCounts)")

            let sets = try await api.get("/apis/apps/v1/namespaces/default/replicasets").body["items"]?.arrayValue ?? []
            #expect(sets.count == 2)
            let deploymentUID = try await api.get("/apis/apps/v1/namespaces/default/deployments/roll").body.metaUID
            for set in sets {
                let hash = set[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue ?? ""
                #expect(!hash.isEmpty && set.metaName == "roll-\(hash)")
                #expect(set[path: ["spec", "selector", "matchLabels", "pod-template-hash"]] == .string(hash))
                let owner = set[path: ["metadata", "ownerReferences"]]?[0]
                #expect(owner?["kind"] == "Deployment" && owner?["controller"] == true && owner?["uid"] == .string(deploymentUID))
            }
            let old = try #require(sets.first { $0.metaName == oldName })
            let new = try #require(sets.first { $0.metaName != oldName })
            #expect(old[path: ["spec", "replicas"]] == 0)
            #expect(old[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1")
            #expect(new[path: ["spec", "replicas"]] == 3)
            #expect(new[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
            let done = try #require(states.last)
            #expect(done[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
            #expect(deploymentCondition(done, "Progressing")?["message"] == .string("ReplicaSet \"\(new.metaName ?? "")\" has successfully progressed."))
            let pods = try await listPods(api, selector: "app%3Droll")
            #expect(pods.count == 3)
            #expect(pods.allSatisfy { $0[path: ["metadata", "ownerReferences"]]?[0]?["name"] == .string(new.metaName ?? "") })
            #expect(pods.allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "nginx:1.26" })
        }
    }

    @Test("status, ReplicaSet and pod shapes follow what a real cluster wrote (fixtures of kube-apiserver 1.25)")
    func shapesFollowTheFixtures() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            let states = try await deploymentStates(cluster, "m1", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments",
                                       rollingDeployment("m1", replicas: 2, surge: 1, unavailable: 0))
            }, until: rolledOut)
            let done = try #require(states.last)
            // deployment-get-after-rollout.json
            #expect(Set(done["status"]?.objectValue?.keys ?? [:].keys) ==
                ["availableReplicas", "conditions", "observedGeneration", "readyReplicas", "replicas", "updatedReplicas"])
            let conditions = done[path: ["status", "conditions"]]?.arrayValue ?? []
            #expect(conditions.map { $0["type"] } == ["Available", "Progressing"])
            #expect(conditions.allSatisfy { Set($0.objectValue?.keys ?? [:].keys) ==
                ["lastTransitionTime", "lastUpdateTime", "message", "reason", "status", "type"] })
            #expect(conditions.first?["message"] == "Deployment has minimum availability.")
            // replicaset-list.json
            let set = try #require(try await api.get("/apis/apps/v1/namespaces/default/replicasets").body["items"]?[0])
            #expect(set[path: ["metadata", "annotations"]] == [
                "deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3",
                "deployment.kubernetes.io/revision": "1",
            ])
            #expect(set["status"] == ["availableReplicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1,
                                      "readyReplicas": 2, "replicas": 2])
            // pod-list.json
            let pod = try #require(try await listPods(api).first)
            #expect((pod[path: ["status", "conditions"]]?.arrayValue ?? []).map { $0["type"] }
                == ["Initialized", "Ready", "ContainersReady", "PodScheduled"])
            #expect(pod[path: ["status", "phase"]] == "Running")
            #expect(pod[path: ["status", "containerStatuses"]]?[0]?["ready"] == true)
            #expect(pod[path: ["status", "containerStatuses"]]?[0]?[path: ["state", "running", "startedAt"]] != nil)
            #expect(pod[path: ["metadata", "generateName"]] == .string((set.metaName ?? "") + "-"))
            #expect(pod[path: ["status", "hostIP"]] != nil && pod[path: ["status", "podIP"]] != nil)
        }
    }

    @Test("Recreate: every old pod is gone before a new one is created")
    func recreate() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            var object = deployment("re", replicas: 2)
            object[path: ["spec", "strategy"]] = ["type": "Recreate"]
            _ = try await deploymentStates(cluster, "re", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            }, until: rolledOut)
            let states = try await deploymentStates(cluster, "re", after: {
                _ = try await api.patch("/apis/apps/v1/namespaces/default/deployments/re", [
                    "spec": ["template": ["spec": ["containers": [["name": "main", "image": "nginx:1.26"]]]]],
                ])
            }, until: { rolledOut($0) && $0[path: ["metadata", "generation"]] == 2 })
            for state in states where (state[path: ["status", "updatedReplicas"]]?.intValue ?? 0) > 0 {
                #expect(state[path: ["status", "replicas"]] == state[path: ["status", "updatedReplicas"]],
                        "no old pod runs beside a new one: \(String(describing: state["status"]))")
            }
            #expect(states.contains { $0[path: ["status", "availableReplicas"]] == nil }, "Recreate has downtime")
        }
    }

    @Test("ProgressDeadlineExceeded after progressDeadlineSeconds when the pods can never become available")
    func progressDeadline() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            var object = deployment("stuck", replicas: 2)
            object[path: ["spec", "progressDeadlineSeconds"]] = 1
            object[path: ["spec", "template", "spec", "nodeSelector"]] = ["disktype": "ssd"]
            let states = try await deploymentStates(cluster, "stuck", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            }, until: { deploymentCondition($0, "Progressing")?["status"] == "False" })
            let stuck = try #require(states.last)
            let set = try #require(try await api.get("/apis/apps/v1/namespaces/default/replicasets").body["items"]?[0])
            let progressing = deploymentCondition(stuck, "Progressing")
            #expect(progressing?["reason"] == "ProgressDeadlineExceeded")
            #expect(progressing?["message"] == .string("ReplicaSet \"\(set.metaName ?? "")\" has timed out progressing."))
            #expect(deploymentCondition(stuck, "Available")?["reason"] == "MinimumReplicasUnavailable")
            #expect(stuck[path: ["status", "unavailableReplicas"]] == 2)
            #expect(states.contains { deploymentCondition($0, "Progressing")?["reason"] == "ReplicaSetUpdated" },
                    "it was progressing before the deadline")
        }
    }

    @Test("a Deployment marked failing crash-loops its current pods while the old ReplicaSet keeps serving")
    func failingRollout() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await deploymentStates(cluster, "bad", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments",
                                       rollingDeployment("bad", replicas: 2, surge: 1, unavailable: 0))
            }, until: rolledOut)
            await cluster.setDeploymentFailing(namespace: "default", name: "bad")
            _ = try await api.patch("/apis/apps/v1/namespaces/default/deployments/bad", [
                "spec": ["template": ["spec": ["containers": [["name": "main", "image": "broken:1"]]]]],
            ])
            try await eventually {
                try await listPods(api, selector: "app%3Dbad").contains {
                    $0[path: ["status", "containerStatuses"]]?[0]?[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff"
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let current = try await api.get("/apis/apps/v1/namespaces/default/deployments/bad").body
            #expect(current[path: ["status", "availableReplicas"]] == 2, "the old pods keep serving")
            #expect(current[path: ["status", "updatedReplicas"]] == 1, "the rollout is stuck at its first new pod")
            #expect(deploymentCondition(current, "Available")?["status"] == "True")
            await cluster.setDeploymentFailing(namespace: "default", name: "bad", failing: false)
            try await eventually { rolledOut(try await api.get("/apis/apps/v1/namespaces/default/deployments/bad").body) }
        }
    }

    @Test("a ReplicaSet gets at most maxPodsPerReplicaSet pods and reports ReplicaFailure, which its Deployment copies")
    func podCap() async throws {
        try await withCluster(fastSimulation(maxPodsPerReplicaSet: 3)) { cluster, api in
            try await cluster.addDemoNodes()
            _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", deployment("huge", replicas: 1_000_000))
            try await eventually {
                let current = try await api.get("/apis/apps/v1/namespaces/default/deployments/huge").body
                return deploymentCondition(current, "ReplicaFailure") != nil && current[path: ["status", "availableReplicas"]] == 3
            }
            let current = try await api.get("/apis/apps/v1/namespaces/default/deployments/huge").body
            let failure = deploymentCondition(current, "ReplicaFailure")
            #expect(failure?["status"] == "True" && failure?["reason"] == "FailedCreate")
            #expect(failure?["message"]?.stringValue?.contains("at most 3 pods per ReplicaSet") == true)
            #expect(try await listPods(api, selector: "app%3Dhuge").count == 3)
            #expect(current[path: ["status", "replicas"]] == 3)
            _ = try await api.patch("/apis/apps/v1/namespaces/default/deployments/huge/scale", ["spec": ["replicas": 2]])
            try await eventually {
                let scaled = try await api.get("/apis/apps/v1/namespaces/default/deployments/huge").body
                return deploymentCondition(scaled, "ReplicaFailure") == nil && rolledOut(scaled)
            }
        }
    }

    @Test("a pod counts as available only after minReadySeconds of being Ready")
    func minReadySeconds() async throws {
        try await withCluster(fastSimulation()) { cluster, api in
            try await cluster.addDemoNodes()
            var object = deployment("slow", replicas: 1)
            object[path: ["spec", "minReadySeconds"]] = 2
            let states = try await deploymentStates(cluster, "slow", after: {
                _ = try await api.post("/apis/apps/v1/namespaces/default/deployments", object)
            }, until: rolledOut)
            #expect(states.contains { $0[path: ["status", "readyReplicas"]] == 1 && $0[path: ["status", "availableReplicas"]] == nil },
                    "Ready before available")
            let set = try #require(try await api.get("/apis/apps/v1/namespaces/default/replicasets").body["items"]?[0])
            #expect(set[path: ["spec", "minReadySeconds"]] == 2)
        }
    }

    @Test("surge rounds up and unavailability rounds down, as the deployment controller does")
    func rolloutArithmetic() {
        func budgets(_ replicas: Int64, _ surge: JSONValue, _ unavailable: JSONValue) -> (Int, Int) {
            var object = deployment("d", replicas: replicas)
            object[path: ["spec", "strategy"]] = ["type": "RollingUpdate",
                                                  "rollingUpdate": ["maxSurge": surge, "maxUnavailable": unavailable]]
            return (RolloutArithmetic.maxSurge(object), RolloutArithmetic.maxUnavailable(object))
        }
        #expect(budgets(10, "25%", "25%") == (3, 2))
        #expect(budgets(3, "25%", "25%") == (1, 0))
        #expect(budgets(3, 0, "10%") == (0, 1), "both zero after rounding: unavailable becomes 1")
        #expect(budgets(4, 2, 1) == (2, 1))
        var recreate = deployment("d", replicas: 4)
        recreate[path: ["spec", "strategy"]] = ["type": "Recreate"]
        #expect(RolloutArithmetic.maxSurge(recreate) == 0 && RolloutArithmetic.maxUnavailable(recreate) == 0)
        let hash = RolloutArithmetic.podTemplateHash(["spec": ["containers": []]], collisionCount: nil)
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) } && !hash.isEmpty)
        #expect(hash != RolloutArithmetic.podTemplateHash(["spec": ["containers": []]], collisionCount: 1))
    }
}
