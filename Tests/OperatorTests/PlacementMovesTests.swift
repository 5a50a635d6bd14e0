import Foundation
import KubeModel
import ModelAPI
import struct Placement.ModelKey
import Testing
@testable import Operator

/// Issue 12 in the operator: make before break, what pods take from nodes, and what is reported.
@Suite struct PlacementMovesTests {
    let settings = OperatorSettings(fetchImage: "model-operator:test")

    private func pinned(_ placements: [ModelPlacement]) -> [Deployment] {
        let model = RenderFixtures.model(replicas: placements.reduce(0) { $0 + $1.replicas },
                                         gpu: GPURequirements(memory: "3Gi"))
        return DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                   scheduling: .placed(placements), settings: settings).deployments
    }

    private func gpu(_ node: String, _ replicas: Int) -> ModelPlacement {
        ModelPlacement(node: node, replicas: replicas, gpu: GPUAssignment(index: 0, memoryMiB: 3072))
    }

    // MARK: Make before break

    @Test func aMovedReplicaIsRemovedOnlyOnceItsReplacementIsAvailable() throws {
        // Before the cordon: one replica on each edge node. After: both on edge-gpu-2.
        let before = pinned([gpu("edge-gpu-1", 1), gpu("edge-gpu-2", 1)]).map { CachedDeployment(RenderFixtures.observed($0, available: 1)) }
        let after = pinned([gpu("edge-gpu-2", 2)])

        let moving = ReplicaHandover.plan(desired: after, existing: before)
        #expect(moving.apply.map { $0.spec?.replicas } == [2])
        #expect(moving.retain.map(\.metadata.name) == ["facialexpression-edge-gpu-1"])
        #expect(moving.remove.isEmpty)

        // The scaled-up Deployment reports both replicas available: now the old one goes.
        let scaled = CachedDeployment(RenderFixtures.observed(after[0], available: 2))
        let done = ReplicaHandover.plan(desired: after, existing: [before[0], scaled])
        #expect(done.retain.isEmpty)
        #expect(done.remove.map(\.metadata.name) == ["facialexpression-edge-gpu-1"])
    }

    @Test func aShrinkingDeploymentKeepsItsReplicasUntilTheSpreadIsAvailable() throws {
        // After the uncordon: one replica goes back to edge-gpu-1.
        let stacked = pinned([gpu("edge-gpu-2", 2)]).map { CachedDeployment(RenderFixtures.observed($0, available: 2)) }
        let spread = pinned([gpu("edge-gpu-1", 1), gpu("edge-gpu-2", 1)])
        let waiting = ReplicaHandover.plan(desired: spread, existing: stacked)
        #expect(waiting.apply.map { $0.spec?.replicas } == [1, 2])
        let newOne = CachedDeployment(RenderFixtures.observed(spread[0], available: 1))
        let ready = ReplicaHandover.plan(desired: spread, existing: [newOne] + stacked)
        #expect(ready.apply.map { $0.spec?.replicas } == [1, 1])
    }

    @Test func aLeftoverWithNothingAvailableGoesAtOnce() throws {
        let gone = pinned([gpu("removed-node", 1)]).map { CachedDeployment(RenderFixtures.observed($0, available: 0)) }
        let replacement = pinned([gpu("edge-gpu-2", 1)])
        let handover = ReplicaHandover.plan(desired: replacement, existing: gone)
        #expect(handover.remove.map(\.metadata.name) == ["facialexpression-removed-node"])
        #expect(handover.retain.isEmpty)
    }

    // MARK: What pods take

    @Test func aPodFootprintKeepsOnlyWhatPlacementCounts() throws {
        let json = """
            {"metadata": {"name": "train-1", "namespace": "ml", "resourceVersion": "7",
                          "labels": {"app": "train"}, "annotations": {"big": "\(String(repeating: "x", count: 200))"}},
             "spec": {"nodeName": "cloud-gpu-1",
                      "initContainers": [{"name": "init", "resources": {"requests": {"cpu": "3", "memory": "1Gi"}}}],
                      "containers": [
                          {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "2Gi"}, "limits": {"nvidia.com/gpu": "2"}}},
                          {"name": "b", "resources": {"requests": {"cpu": "1", "memory": "512Mi"}}}],
                      "overhead": {"cpu": "100m"}},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
            """
        let pod = try JSONDecoder().decode(PodFootprint.self, from: Data(json.utf8))
        #expect(pod.objectKey == ObjectKey(namespace: "ml", name: "train-1"))
        // max(3, 0.5 + 1) CPU plus the overhead; max(1Gi, 2.5Gi) memory; the GPU from its limit.
        #expect(pod.cpuMillis == 3100)
        #expect(pod.memoryBytes == (2 << 30) + (512 << 20))
        #expect(pod.extended == ["nvidia.com/gpu": 2])
        #expect(pod.model == nil)
        #expect(pod.placementPod(gpuResource: "nvidia.com/gpu")?.gpuDevices == 2)

        let ours = try JSONDecoder().decode(PodFootprint.self, from: Data("""
            {"metadata": {"name": "m-1", "namespace": "vision", "labels": {"ai.kubeedge.io/inferencemodel": "m",
                          "app.kubernetes.io/managed-by": "model-operator"}},
             "spec": {"containers": [{"name": "s"}]}, "status": {"phase": "Pending"}}
            """.utf8))
        #expect(ours.model == "m")
        #expect(ours.placementPod(gpuResource: "nvidia.com/gpu") == nil, "not bound yet")
        var finished = pod
        finished.phase = "Succeeded"
        #expect(finished.placementPod(gpuResource: "nvidia.com/gpu") == nil)
    }

    @Test func podLoadsFollowEveryChange() {
        var loads = PodLoads(gpuResource: "nvidia.com/gpu")
        let pending = PodFootprint(namespace: "ml", name: "p", nodeName: nil, phase: "Pending", cpuMillis: 1000,
                                   extended: ["nvidia.com/gpu": 1])
        #expect(loads.apply(old: nil, new: pending).isEmpty)
        var bound = pending
        bound.nodeName = "n1"
        #expect(loads.apply(old: pending, new: bound) == [PodLoads.Change(node: "n1", grew: true, ownPod: false)])
        let ours = PodFootprint(namespace: "vision", name: "m-1", nodeName: "n1", phase: "Running", model: "m", cpuMillis: 500)
        _ = loads.apply(old: nil, new: ours)
        #expect(loads.others["n1"]?.cpuMillis == 1000 && loads.others["n1"]?.gpuDevices == 1)
        #expect(loads.models[ModelKey(namespace: "vision", name: "m")]?["n1"]?.count == 1)
        #expect(loads.podCount == 2)
        _ = loads.apply(old: bound, new: nil)
        _ = loads.apply(old: ours, new: nil)
        #expect(loads.others.isEmpty && loads.models.isEmpty && loads.podCount == 0)
    }

    // MARK: What is reported

    @Test func unschedulablePodsTurnScheduledFalseWithTheSchedulersMessage() throws {
        let deployments = pinned([gpu("cloud-gpu-1", 1), gpu("cloud-gpu-2", 1)])
        let template = try #require(deployments.first?.spec?.template.metadata?.labels)
        let message = "0/6 nodes are available: 1 Insufficient nvidia.com/gpu, 5 node(s) didn't match Pod's node affinity/selector."
        let stuck = ModelPod(Pod(metadata: ObjectMeta(name: "facialexpression-cloud-gpu-1-abc", namespace: "vision",
                                                      labels: template),
                                 status: PodStatus(phase: "Pending", conditions: [
                                     Condition(type: "PodScheduled", status: "False", reason: "Unschedulable", message: message),
                                 ])))
        let placements = [gpu("cloud-gpu-1", 1), gpu("cloud-gpu-2", 1)]
        let reported = SchedulingState.placed(placements).reporting(unschedulable: [stuck], of: deployments)
        #expect(reported == .partiallyPlaced(placements, reason: "1 of 2 pods cannot be scheduled: " + message))
        #expect(SchedulingState.byScheduler.reporting(unschedulable: [stuck], of: deployments)
                == .unplaceable(reason: "1 of 2 pods cannot be scheduled: " + message))
        // Pods of a Deployment that is being replaced do not count.
        #expect(SchedulingState.placed(placements).reporting(unschedulable: [stuck], of: [deployments[1]]) == .placed(placements))
    }

    @Test func partlyPlacedModelsDeployWhatIsPlacedAndSaySo() throws {
        let placements = [gpu("cloud-gpu-1", 2), ModelPlacement(node: "cloud-gpu-2", replicas: 1, gpu: GPUAssignment(index: 0, memoryMiB: 12288))]
        let model = RenderFixtures.model(replicas: 7, gpu: GPURequirements(memory: "12Gi"))
        let scheduling = SchedulingState.partiallyPlaced(placements, reason: "placed 3 of 7 replicas; the other 4 found no node")
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4), scheduling: scheduling,
                                        settings: settings)
        #expect(state.deployments.reduce(0) { $0 + ($1.spec?.replicas ?? 0) } == 3)
        let status = StatusRenderer.render(StatusInputs(
            model: model, errors: [], target: .verifiedArchive(RenderFixtures.version4),
            verification: .verified(VerifiedDigest(version: "4", url: RenderFixtures.version4.downloadURL, sha256: RenderFixtures.digest4, verifiedAt: Date(timeIntervalSince1970: 1_800_000_000))), scheduling: scheduling,
            deployments: state.deployments.map { CachedDeployment(RenderFixtures.observed($0, available: $0.spec?.replicas ?? 0)) },
            service: CachedService(state.service), verified: [], now: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(status.condition(.scheduled)?.status == .false)
        #expect(status.condition(.scheduled)?.message.hasPrefix("placed 3 of 7 replicas") == true)
        #expect(status.placements?.count == 2)
        #expect(status.condition(.ready)?.status == .false)
        #expect(status.readyReplicas == 3)
    }

    @Test func anArchitectureTheServingImageLacksIsAConflict() {
        var model = RenderFixtures.model()
        model.spec.architectures = ["arm64"]
        let arm = ServingArchitectures(model: model, settings: settings, imageBased: false)
        #expect(arm.conflict?.contains("tensorflow serving image is built for amd64") == true)
        model.spec.architectures = ["amd64", "arm64"]
        #expect(ServingArchitectures(model: model, settings: settings, imageBased: false) ==
                ServingArchitectures(model: RenderFixtures.model(), settings: settings, imageBased: false))
        #expect(ServingArchitectures(model: model, settings: settings, imageBased: true).allowed == ["amd64", "arm64"])
    }
}
