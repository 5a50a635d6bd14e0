import Foundation
import KubeModel
import ModelAPI
import Testing

/// Issue 3 end to end: kubectl apply, the emitted objects, status, rollout, scale, delete.
@Suite(.serialized) struct ServingLifecycleTests {
    @Test func applyEmitsDeploymentAndServiceOnTheRightNodesAndReportsURLAndVersion() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "edge-face", layer: "edge", versions: ["1", "2"], target: "1", replicas: 2,
                                                port: 8080, extra: "  nodeSelector:\n    kubernetes.io/arch: amd64"))
            try await harness.apply(harness.modelYAML(name: "cloud-face", layer: "cloud", versions: ["1"], replicas: 1, port: 9000))
            let edge = try await harness.waitUntilDeployed("edge-face", version: "1")
            #expect(edge.status?.url == "http://edge-face.\(harness.namespace).svc:8080")
            #expect(edge.status?.observedGeneration == edge.metadata.generation)

            let deployment = try await harness.getJSON(["deployment", "edge-face"])
            #expect(deployment[path: ["spec", "replicas"]] == 2)
            #expect(deployment[path: ["spec", "selector", "matchLabels"]] == ["ai.kubeedge.io/inferencemodel": "edge-face"])
            #expect(deployment[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] == 0)
            let owner = deployment[path: ["metadata", "ownerReferences"]]?[0]
            #expect(owner?["kind"] == "InferenceModel" && owner?["controller"] == true && owner?["uid"] == .string(edge.metadata.uid ?? ""))
            let pod = try #require(deployment[path: ["spec", "template", "spec"]])
            let expressions = pod[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?[0]?["matchExpressions"]
            #expect(expressions?.arrayValue?.contains(["key": "node-role.kubernetes.io/edge", "operator": "Exists"]) == true)
            #expect(pod["tolerations"]?.arrayValue?.contains(["key": "node-role.kubernetes.io/edge", "operator": "Exists", "effect": "NoSchedule"]) == true)
            #expect(pod["nodeSelector"] == ["kubernetes.io/arch": "amd64"])
            #expect(pod["containers"]?[0]?["ports"]?[0]?["containerPort"] == 8080)
            let fetchArgs = pod["initContainers"]?[0]?["args"]?.arrayValue ?? []
            #expect(fetchArgs.contains(.string(harness.archiveURL("m-1"))))
            #expect(fetchArgs.contains(.string(harness.digest("m-1"))))

            let service = try await harness.getJSON(["service", "edge-face"])
            #expect(service[path: ["spec", "selector"]] == ["ai.kubeedge.io/inferencemodel": "edge-face"])
            #expect(service[path: ["spec", "ports"]]?[0]?["port"] == 8080)
            #expect(service[path: ["metadata", "ownerReferences"]]?[0]?["name"] == "edge-face")

            let cloud = try await harness.waitUntilDeployed("cloud-face", version: "1")
            #expect(cloud.status?.url == "http://cloud-face.\(harness.namespace).svc:9000")
            let cloudPod = try await harness.getJSON(["deployment", "cloud-face"])[path: ["spec", "template", "spec"]]
            let cloudTerms = cloudPod?[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?[0]?["matchExpressions"]
            #expect(cloudTerms?.arrayValue?.contains(["key": "node-role.kubernetes.io/edge", "operator": "DoesNotExist"]) == true)
            #expect(cloudPod?["tolerations"] == nil)

            let table = try await harness.kubectl(["get", "inferencemodels"])
            #expect(table.out.contains("edge-face") && table.out.contains("http://edge-face.\(harness.namespace).svc:8080"))
        }
    }

    // A real cluster gives no way to hold a new version's pods back on purpose.
    @Test(.localClusterOnly("holds the new version's pods back with LocalCluster's simulator (setDeploymentFailing)"))
    func servingVersionMovesOnlyAfterTheNewVersionIsFullyAvailable() async throws {
        try await E2EHarness.run { harness in
            let cluster = try #require(harness.localCluster)
            try await harness.apply(harness.modelYAML(name: "roll", versions: ["1", "2"], target: "1"))
            _ = try await harness.waitUntilReady("roll", version: "1")

            // Ready is sampled every 100 ms from here to the end: the old version serves at the
            // requested capacity throughout, so Ready must never turn False (issue 13).
            let samples = ReadySamples()
            let sampler = Task {
                while !Task.isCancelled {
                    if let status = try? await harness.model("roll").status, let ready = status.condition(.ready) {
                        let rollingOut = status.condition(.progressing)?.reason != .serving
                        await samples.add(ready.status == .true ? nil : "\(ready.reason.rawValue): \(ready.message)",
                                          duringRollout: rollingOut)
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { sampler.cancel() }

            // The new version's pods will not become available until we say so.
            await cluster.setNextRolloutFailing(namespace: harness.namespace, name: "roll")
            try await harness.apply(harness.modelYAML(name: "roll", versions: ["1", "2"], target: "2"))
            try await eventually("Deployment template on version 2") {
                try await harness.getJSON(["deployment", "roll"])[path: ["spec", "template", "metadata", "annotations",
                                                                   "ai.kubeedge.io/model-version"]] == "2"
            }
            // The simulator fails the new pods at once, so the rollout is reported stuck (a real
            // cluster reports RollingOut until the progress deadline); either way version 1 serves.
            let rolling = try await harness.waitForModel("roll", "reporting the unfinished rollout") {
                [.rollingOut, .rolloutFailed].contains($0.status?.condition(.progressing)?.reason)
                    && $0.status?.observedGeneration == $0.metadata.generation
            }
            #expect(rolling.status?.servingVersion == "1")
            #expect(rolling.status?.condition(.ready)?.status == .true)
            #expect(rolling.status?.condition(.ready)?.message.contains("version 1 serves on 2 of 2 replicas") == true)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await harness.model("roll").status?.servingVersion == "1")

            await cluster.setDeploymentFailing(namespace: harness.namespace, name: "roll", failing: false)
            let done = try await harness.waitUntilReady("roll", version: "2")
            #expect(done.status?.condition(.progressing)?.reason == .serving)
            sampler.cancel()
            let notReady = await samples.failures
            // How many samples fit depends on the machine's load; at least one must have been taken
            // while the rollout was under way (the test holds it there for half a second).
            let (taken, duringRollout) = (await samples.count, await samples.duringRollout)
            #expect(duringRollout > 0, "the sampler saw the rollout (\(taken) samples)")
            #expect(notReady.isEmpty, "Ready turned False during the rollout: \(notReady.prefix(3))")
            let events = try await harness.kubectl(["get", "events", "--field-selector", "involvedObject.name=roll"])
            #expect(events.out.contains("ServingVersionChanged"))
        }
    }

    @Test func kubectlScaleChangesReplicasThroughTheScaleSubresource() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "scaled", replicas: 1))
            _ = try await harness.waitUntilDeployed("scaled", version: "1")
            let result = try await harness.kubectl(["scale", "inferencemodel", "scaled", "--replicas=3"])
            #expect(result.status == 0, "\(result.err)")
            try await eventually("Deployment scaled to 3") {
                try await harness.getJSON(["deployment", "scaled"])[path: ["spec", "replicas"]] == 3
            }
            // Ready replicas need pods that run.
            if harness.environment.archivePodsBecomeAvailable {
                let model = try await harness.waitForModel("scaled", "at 3 ready replicas") {
                    $0.status?.readyReplicas == 3 && $0.status?.condition(.ready)?.status == .true
                }
                #expect(model.status?.replicas == 3)
            }
        }
    }

    @Test func deletingTheModelCollectsItsChildren() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "gone"))
            _ = try await harness.waitUntilDeployed("gone", version: "1")
            let result = try await harness.kubectl(["delete", "inferencemodel", "gone"])
            #expect(result.status == 0, "\(result.err)")
            try await eventually("children collected") {
                let deployments = try await harness.kubectl(["get", "deployments", "-o", "name"]).out
                let services = try await harness.kubectl(["get", "services", "-o", "name"]).out
                return !deployments.contains("gone") && !services.contains("service/gone")
            }
        }
    }

    @Test func aDeletedOrHandEditedChildIsRestored() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "heal", replicas: 2))
            _ = try await harness.waitUntilDeployed("heal", version: "1")
            #expect(try await harness.kubectl(["scale", "deployment", "heal", "--replicas=5"]).status == 0)
            try await eventually("hand edit undone") {
                try await harness.getJSON(["deployment", "heal"])[path: ["spec", "replicas"]] == 2
            }
            #expect(try await harness.kubectl(["delete", "service", "heal"]).status == 0)
            try await eventually("Service recreated") {
                try await harness.getJSON(["service", "heal"])[path: ["spec", "ports"]]?[0]?["port"] == 8080
            }
        }
    }
}

/// Ready samples taken while a rollout runs: how many, and the ones that were not True.
actor ReadySamples {
    private(set) var count = 0
    private(set) var duringRollout = 0
    private(set) var failures: [String] = []

    func add(_ failure: String?, duringRollout rolling: Bool) {
        count += 1
        if rolling { duringRollout += 1 }
        if let failure { failures.append(failure) }
    }
}
