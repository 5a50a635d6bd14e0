import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Operator
import Synchronization
import Testing

/// Issue 12 end to end, on LocalCluster's scheduler-faithful simulator: placement sees what the
/// cluster really holds, and a move never drops serving capacity.
///
/// The demo fleet: cloud-gpu-1 (2 T4s), cloud-gpu-2 (1 T4), edge-gpu-1 and edge-gpu-2 (a P4 each),
/// edge-arm-1 and edge-arm-2 (Arm, no GPU); a stock device plugin (one nvidia.com/gpu per GPU).
@Suite struct ClusterTruthEndToEndTests {
    // MARK: 1. GPUs held by other pods

    @Test(.localClusterOnly("needs the simulated T4 nodes and LocalCluster's scheduler"))
    func gpusHeldByOtherPodsAreNotHandedOutAgain() async throws {
        try await E2EHarness.run { harness in
            try await harness.createPlainPod("training", gpus: 2, on: "cloud-gpu-1")
            try await harness.waitForPodRunning("training", on: "cloud-gpu-1")
            try await harness.apply(harness.modelYAML(name: "whole", layer: "cloud", replicas: 2, extra: """
                  gpu:
                    memory: 14Gi
                    products: [Tesla-T4]
                    exclusive: true
                """))
            let model = try await harness.waitForModel("whole", "placed on the one free T4 and serving there") {
                $0.status?.placements?.map(\.node) == ["cloud-gpu-2"] && $0.status?.readyReplicas == 1
            }
            let scheduled = try #require(model.status?.condition(.scheduled))
            #expect(scheduled.status == .false)
            #expect(scheduled.message.hasPrefix("placed 1 of 2 replicas"))
            #expect(scheduled.message.contains("device plugin"))
            #expect(try await harness.unschedulablePods(of: "whole").isEmpty)
        }
    }

    // MARK: 2. Shared GPUs through the device plugin

    @Test(.localClusterOnly("needs the simulated T4 nodes and LocalCluster's scheduler"))
    func aSharedModelsGPUIsAllocatedSoNoOtherPodGetsIt() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "shared", layer: "cloud", replicas: 1, extra: """
                  gpu:
                    memory: 6Gi
                    products: [Tesla-T4]
                """))
            let model = try await harness.waitUntilReady("shared", version: "1")
            let node = try #require(model.status?.placements?.first?.node)
            let deployment = try await harness.getJSON(["deployment", "shared-\(node)"])
            let container = deployment[path: ["spec", "template", "spec", "containers"]]?[0]
            #expect(container?[path: ["resources", "limits", "nvidia.com/gpu"]] == "1")
            #expect(container?[path: ["resources", "requests", "nvidia.com/gpu"]] == "1")
            let env = container?["env"]?.arrayValue ?? []
            #expect(!env.contains { $0["name"] == "NVIDIA_VISIBLE_DEVICES" })

            // Another workload asking for every GPU of that node no longer fits there.
            let gpus = node == "cloud-gpu-1" ? 2 : 1
            try await harness.createPlainPod("greedy", gpus: gpus, on: node)
            let message = try await eventuallyValue("greedy unschedulable") {
                try await harness.podScheduledMessage("greedy")
            }
            #expect(message.contains("Insufficient nvidia.com/gpu"))
        }
    }

    // MARK: 3. A gpu block without memory

    @Test(.localClusterOnly("needs the simulated GPU and Arm nodes"))
    func aGPUBlockWithoutMemoryStillNeedsAnAllowedGPU() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "anygpu", layer: "edge", replicas: 1, extra: "  gpu: {}"))
            try await harness.apply(harness.modelYAML(name: "p4only", layer: "edge", replicas: 1,
                                                      extra: "  gpu: {products: [Tesla-P4]}"))
            try await harness.apply(harness.modelYAML(name: "a100", layer: "cloud", replicas: 1,
                                                      extra: "  gpu: {products: [A100]}"))
            for name in ["anygpu", "p4only"] {
                let model = try await harness.waitUntilReady(name, version: "1")
                let placement = try #require(model.status?.placements?.first)
                #expect(["edge-gpu-1", "edge-gpu-2"].contains(placement.node), "\(name) on \(placement.node)")
                #expect(placement.gpu?.product == "Tesla-P4")
                let pods = try await harness.pods(of: name)
                #expect(pods.allSatisfy { ["edge-gpu-1", "edge-gpu-2"].contains($0[path: ["spec", "nodeName"]]?.stringValue ?? "") })
            }
            let a100 = try await harness.waitForModel("a100", "unschedulable") { $0.status?.condition(.scheduled)?.status == .false }
            #expect(a100.status?.condition(.scheduled)?.message.contains("A100") == true)
            #expect(a100.status?.condition(.ready)?.status == .false)
            #expect(try await harness.kubectl(["get", "deployments", "-o", "name"]).out.contains("a100") == false)
        }
    }

    // MARK: 4. What holds capacity

    @Test(.localClusterOnly("needs the simulated T4 nodes"))
    func aModelThatCannotBeDeployedHoldsNoGPU() async throws {
        try await E2EHarness.run { harness in
            let wrong = harness.digest("m-3")
            try await harness.apply(harness.modelYAML(name: "broken", layer: "cloud", replicas: 3, digests: ["1": wrong], extra: """
                  gpu:
                    memory: 12Gi
                    products: [Tesla-T4]
                """))
            _ = try await harness.waitForModel("broken", "failing verification") { $0.status?.condition(.verified)?.status == .false }
            try await harness.apply(harness.modelYAML(name: "fits", layer: "cloud", replicas: 3, extra: """
                  gpu:
                    memory: 10Gi
                    products: [Tesla-T4]
                """))
            let fits = try await harness.waitUntilReady("fits", version: "1")
            #expect(fits.status?.placements?.reduce(0) { $0 + $1.replicas } == 3)
            let broken = try await harness.model("broken")
            #expect(broken.status?.placements == nil)
            #expect(try await harness.kubectl(["get", "deployments", "-o", "name"]).out.contains("broken") == false)
        }
    }

    @Test(.localClusterOnly("needs the simulated T4 nodes"))
    func aPartlyPlacedModelDeploysWhatIsPlacedAndSaysSo() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "big", layer: "cloud", replicas: 7, extra: """
                  gpu:
                    memory: 12Gi
                    products: [Tesla-T4]
                """))
            let model = try await harness.waitForModel("big", "serving the 3 replicas the T4s hold") {
                $0.status?.readyReplicas == 3 && $0.status?.placements?.reduce(0) { $0 + $1.replicas } == 3
            }
            let scheduled = try #require(model.status?.condition(.scheduled))
            #expect(scheduled.status == .false)
            #expect(scheduled.message.hasPrefix("placed 3 of 7 replicas"))
            #expect(model.status?.condition(.available)?.status == .true)
            #expect(model.status?.condition(.ready)?.status == .false)
            let deployments = try await harness.client.list(.deployments, namespace: harness.namespace,
                                                            options: ListOptions(labelSelector: "\(ModelLabels.model)=big"))
            #expect(deployments.items.reduce(0) { $0 + ($1[path: ["spec", "replicas"]]?.intValue ?? 0) } == 3)
            #expect(try await harness.unschedulablePods(of: "big").isEmpty)
        }
    }

    // MARK: 5. Make before break

    @Test(.localClusterOnly("cordons and uncordons simulated nodes and time-slices their GPUs"))
    func aCordonMovesReplicasWithoutDroppingAvailabilityAndUncordonSpreadsThemAgain() async throws {
        try await E2EHarness.run { harness in
            // Time-slicing on the edge P4s (each GPU advertised twice), so both replicas can share one.
            for node in ["edge-gpu-1", "edge-gpu-2"] { try await harness.timeSlice(node: node, replicas: 2) }
            try await harness.apply(harness.modelYAML(name: "moving", layer: "edge", replicas: 2, extra: """
                  gpu:
                    memory: 3Gi
                    products: [Tesla-P4]
                """))
            _ = try await harness.waitForModel("moving", "spread over both edge GPU nodes and Ready") {
                Set($0.status?.placements?.map(\.node) ?? []) == ["edge-gpu-1", "edge-gpu-2"]
                    && $0.status?.condition(.ready)?.status == .true
            }
            let sampler = AvailabilitySampler(harness: harness, model: "moving")
            let sampling = Task { await sampler.run(every: .milliseconds(100)) }
            defer { sampling.cancel() }

            try await harness.kubectl(["cordon", "edge-gpu-1"])
            _ = try await harness.waitForModel("moving", "moved to edge-gpu-2 and Ready") {
                $0.status?.placements?.map(\.node) == ["edge-gpu-2"] && $0.status?.condition(.ready)?.status == .true
            }
            try await eventually("the Deployment on edge-gpu-1 removed") {
                try await harness.kubectl(["get", "deployment", "moving-edge-gpu-1"]).status != 0
            }
            try await harness.kubectl(["uncordon", "edge-gpu-1"])
            _ = try await harness.waitForModel("moving", "spread over both nodes again and Ready") {
                Set($0.status?.placements?.map(\.node) ?? []) == ["edge-gpu-1", "edge-gpu-2"]
                    && $0.status?.condition(.ready)?.status == .true
            }
            try await eventually("one replica on each node") {
                let deployments = try await harness.client.list(.deployments, namespace: harness.namespace,
                                                                options: ListOptions(labelSelector: "\(ModelLabels.model)=moving"))
                return deployments.items.count == 2
                    && deployments.items.allSatisfy { $0[path: ["status", "availableReplicas"]]?.intValue == 1 }
            }
            sampling.cancel()
            await sampling.value
            let samples = sampler.samples
            #expect(samples.count >= 5, "sampled \(samples.count) times")
            #expect(samples.allSatisfy { $0.model >= 2 }, "the model's available replicas dropped: \(samples.map(\.model))")
            #expect(samples.allSatisfy { $0.deployments >= 2 },
                    "the Deployments' available replicas dropped: \(samples.map(\.deployments))")
        }
    }

    // MARK: 6. Contradictions

    @Test(.localClusterOnly("names the simulated nodes"))
    func contradictoryConstraintsAreNamedBeforeAnythingIsDeployed() async throws {
        try await E2EHarness.run { harness in
            let cases: [(name: String, layer: String, extra: String, named: String)] = [
                ("pinned", "edge", "  nodeName: cloud-gpu-1", "cloud-gpu-1"),
                ("missing", "edge", "  nodeName: no-such-node", "no-such-node"),
                ("selected", "edge", "  nodeSelector: {disk: ssd}", "disk=ssd"),
                ("armtf", "edge", "  nodeSelector: {kubernetes.io/arch: arm64}", "amd64"),
            ]
            for entry in cases {
                try await harness.apply(harness.modelYAML(name: entry.name, layer: entry.layer, replicas: 1, extra: entry.extra))
            }
            for entry in cases {
                let model = try await harness.waitForModel(entry.name, "Scheduled=False") {
                    $0.status?.condition(.scheduled)?.status == .false
                }
                let message = model.status?.condition(.scheduled)?.message ?? ""
                #expect(message.contains(entry.named), "\(entry.name): \(message)")
                #expect(model.status?.condition(.ready)?.status == .false)
            }
            let deployments = try await harness.kubectl(["get", "deployments", "-o", "name"]).out
            for entry in cases { #expect(!deployments.contains("/\(entry.name)"), "\(entry.name) got a Deployment") }
        }
    }

    @Test(.localClusterOnly("needs LocalCluster's scheduler to leave the pod Pending"))
    func podsKubeSchedulerCannotPlaceTurnScheduledFalseWithItsMessage() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "hungry", layer: "cloud", replicas: 1, extra: """
                  resources:
                    requests: {cpu: "64"}
                """))
            let model = try await harness.waitForModel("hungry", "Scheduled=False with the scheduler's message") {
                $0.status?.condition(.scheduled)?.status == .false
            }
            let message = model.status?.condition(.scheduled)?.message ?? ""
            #expect(message.hasPrefix("1 of 1 pod cannot be scheduled: 0/6 nodes are available"))
            #expect(message.contains("Insufficient cpu"))
            #expect(model.status?.condition(.ready)?.status == .false)
        }
    }
}

/// Samples a model's available replicas (its status, and its Deployments' sum) until cancelled.
final class AvailabilitySampler: Sendable {
    struct Sample: Sendable {
        var model: Int
        var deployments: Int
    }

    private let harness: E2EHarness
    private let name: String
    private let taken = Mutex<[Sample]>([])

    init(harness: E2EHarness, model: String) {
        self.harness = harness
        self.name = model
    }

    var samples: [Sample] { taken.withLock { $0 } }

    func run(every interval: Duration) async {
        while !Task.isCancelled {
            if let model = try? await harness.model(name),
               let deployments = try? await harness.client.list(.deployments, namespace: harness.namespace,
                                                                options: ListOptions(labelSelector: "\(ModelLabels.model)=\(name)")) {
                let available = deployments.items.reduce(0) { $0 + Int($1[path: ["status", "availableReplicas"]]?.intValue ?? 0) }
                taken.withLock { $0.append(Sample(model: model.status?.readyReplicas ?? 0, deployments: available)) }
            }
            try? await Task.sleep(for: interval)
        }
    }
}

extension E2EHarness {
    /// A plain pod (no owner) asking for `gpus` of nvidia.com/gpu, which the scheduler binds to `node`.
    func createPlainPod(_ name: String, gpus: Int, on node: String) async throws {
        let gpu = JSONValue.string(String(gpus))
        _ = try await client.create(.pods, namespace: namespace, body: [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": "training"]],
            "spec": [
                "nodeSelector": ["kubernetes.io/hostname": .string(node)],
                "containers": [["name": "work", "image": "registry.local/training:1",
                                "resources": ["requests": ["cpu": "1", "nvidia.com/gpu": gpu], "limits": ["nvidia.com/gpu": gpu]]]],
            ],
        ])
    }

    func waitForPodRunning(_ name: String, on node: String) async throws {
        try await eventually("pod \(name) running on \(node)") {
            let pod = try await client.get(.pods, namespace: namespace, name: name)
            return pod[path: ["spec", "nodeName"]]?.stringValue == node && pod[path: ["status", "phase"]] == "Running"
        }
    }

    /// The message of a pod's `PodScheduled=False` condition, nil while it has none.
    func podScheduledMessage(_ name: String) async throws -> String? {
        let pod = try await client.get(.pods, namespace: namespace, name: name)
        let condition = pod[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "PodScheduled" }
        guard condition?["status"] == "False" else { return nil }
        return condition?["message"]?.stringValue
    }

    /// The model's serving pods.
    func pods(of model: String) async throws -> [JSONValue] {
        try await client.list(.pods, namespace: namespace, options: ListOptions(labelSelector: "\(ModelLabels.model)=\(model)")).items
    }

    /// The model's pods that kube-scheduler could not place.
    func unschedulablePods(of model: String) async throws -> [String] {
        try await pods(of: model).compactMap { pod in
            let condition = pod[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "PodScheduled" }
            return condition?["status"] == "False" ? pod[path: ["metadata", "name"]]?.stringValue : nil
        }
    }

    /// Makes a simulated node's device plugin time-slice its GPUs: `replicas` units per GPU.
    func timeSlice(node name: String, replicas: Int) async throws {
        var node = try await client.get(.nodes, name: name)
        let count = Int(node[path: ["metadata", "labels", "nvidia.com/gpu.count"]]?.stringValue ?? "1") ?? 1
        node[path: ["metadata", "labels", "nvidia.com/gpu.replicas"]] = .string(String(replicas))
        node[path: ["metadata", "labels", "nvidia.com/gpu.sharing-strategy"]] = "time-slicing"
        node = try await client.update(.nodes, body: node)
        for field in ["capacity", "allocatable"] {
            node[path: ["status", field, "nvidia.com/gpu"]] = .string(String(count * replicas))
        }
        _ = try await client.updateStatus(.nodes, body: node)
    }
}
