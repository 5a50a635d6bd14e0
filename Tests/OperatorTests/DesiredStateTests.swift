import Foundation
import KubeModel
import ModelAPI
import Testing
@testable import Operator

@Suite struct DesiredStateTests {
    let settings = OperatorSettings(fetchImage: "model-operator:test")

    @Test func edgeManifestModelGetsVerifiedFetchInitContainerAffinityAndTolerations() throws {
        let model = RenderFixtures.model(layer: .edge, nodeSelector: ["kubernetes.io/hostname": "precision-5820"])
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: settings)
        let deployment = try #require(state.deployments.first)
        #expect(state.deployments.count == 1)
        #expect(deployment.metadata.name == "facialexpression")
        #expect(deployment.metadata.namespace == "vision")
        #expect(deployment.spec?.replicas == 2)
        #expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable == .int(0))
        let owner = try #require(deployment.metadata.ownerReferences?.first)
        #expect(owner.kind == "InferenceModel" && owner.uid == "uid-1" && owner.controller == true)
        #expect(deployment.metadata.labels?["app.kubernetes.io/managed-by"] == "model-operator")

        let pod = try #require(deployment.spec?.template.spec)
        let fetch = try #require(pod.initContainers?.first)
        #expect(fetch.image == "model-operator:test")
        #expect(fetch.args?.starts(with: ["fetch", "--url", "http://127.0.0.1:18080/m4.tar.gz",
                                          "--sha256", RenderFixtures.digest4]) == true)
        let server = try #require(pod.containers.first)
        #expect(server.image == "tensorflow/serving:2.14.1")
        #expect(server.ports?.first?.containerPort == 8080)
        #expect(server.args?.contains("--rest_api_port=8080") == true)
        #expect(server.readinessProbe?.httpGet?.path == "/v1/models/facialexpression")

        let terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        let expressions = try #require(terms?.first?.matchExpressions)
        #expect(expressions.contains(NodeSelectorRequirement(key: "node-role.kubernetes.io/edge", operator: "Exists")))
        #expect(expressions.contains(NodeSelectorRequirement(key: "kubernetes.io/arch", operator: "In", values: ["amd64"])))
        #expect(pod.tolerations?.contains(Toleration(key: "node-role.kubernetes.io/edge", operator: "Exists",
                                                     effect: "NoSchedule")) == true)
        #expect(pod.nodeSelector == ["kubernetes.io/hostname": "precision-5820"])
        #expect(deployment.spec?.template.metadata?.annotations?[ModelLabels.servingVersionAnnotation] == "4")

        #expect(state.service.spec?.ports?.first?.port == 8080)
        #expect(state.service.spec?.selector == ["ai.kubeedge.io/inferencemodel": "facialexpression"])
        #expect(deployment.spec?.selector.matchLabels == state.service.spec?.selector)
    }

    @Test func cloudModelAvoidsEdgeNodesAndHasNoEdgeToleration() throws {
        let model = RenderFixtures.model(layer: .cloud, nodeName: "cloud-1")
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: settings)
        let pod = try #require(state.deployments.first?.spec?.template.spec)
        let expressions = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?
            .nodeSelectorTerms.first?.matchExpressions ?? []
        #expect(expressions.contains(NodeSelectorRequirement(key: "node-role.kubernetes.io/edge", operator: "DoesNotExist")))
        #expect(pod.tolerations == nil)
        #expect(pod.nodeName == "cloud-1")
    }

    @Test func imageModelRunsItsImageWithoutFetching() throws {
        let model = RenderFixtures.model(image: "registry.local/facial:4")
        let state = DesiredState.render(model: model, choice: .image("registry.local/facial:4"),
                                        scheduling: .byScheduler, settings: settings)
        let pod = try #require(state.deployments.first?.spec?.template.spec)
        #expect(pod.initContainers == nil)
        // No models volume and no node cache: only the scratch directory of the read-only root.
        #expect(pod.volumes?.map(\.name) == ["tmp"])
        #expect(pod.containers.first?.image == "registry.local/facial:4")
        #expect(pod.containers.first?.readinessProbe?.tcpSocket?.port == .int(8080))
    }

    @Test func nothingVerifiedMeansNoDeploymentButAService() {
        let state = DesiredState.render(model: RenderFixtures.model(), choice: nil, scheduling: .byScheduler,
                                        settings: settings)
        #expect(state.deployments.isEmpty)
        #expect(state.service.metadata.name == "facialexpression")
    }

    @Test func gpuPlacementsBecomePinnedDeploymentsPerNodeAndGPU() throws {
        let model = RenderFixtures.model(replicas: 3, gpu: GPURequirements(memory: "6Gi", products: ["Tesla-T4"]))
        let placements = [
            ModelPlacement(node: "edge-p4-1", replicas: 1, gpu: GPUAssignment(index: 0, memoryMiB: 6144, product: "Tesla-P4")),
            ModelPlacement(node: "cloud-t4-1", replicas: 1, gpu: GPUAssignment(index: 0, memoryMiB: 6144, product: "Tesla-T4")),
            ModelPlacement(node: "cloud-t4-1", replicas: 1, gpu: GPUAssignment(index: 1, memoryMiB: 6144, product: "Tesla-T4")),
        ]
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .placed(placements), settings: settings)
        #expect(state.deployments.map { $0.metadata.name ?? "" } ==
                ["facialexpression-cloud-t4-1-gpu0", "facialexpression-cloud-t4-1-gpu1", "facialexpression-edge-p4-1"])
        let edge = try #require(state.deployments.last)
        let term = edge.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?
            .nodeSelectorTerms.first
        #expect(term?.matchFields == [NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["edge-p4-1"])])
        // A shared replica asks the device plugin for its GPU, so kube-scheduler counts it.
        let container = try #require(edge.spec?.template.spec?.containers.first)
        #expect(container.resources?.requests?["nvidia.com/gpu"] == Quantity(1))
        #expect(container.resources?.limits?["nvidia.com/gpu"] == Quantity(1))
        #expect(container.env?.contains { $0.name == "NVIDIA_VISIBLE_DEVICES" } == false)
        #expect(container.env?.contains(EnvVar(name: "MODEL_GPU_MEMORY_MIB", value: "6144")) == true)
        #expect(edge.spec?.template.spec?.containers.first?.image == "tensorflow/serving:2.14.1-gpu")
        // Selectors of sibling Deployments must not overlap, or they would fight over pods.
        let selectors = Set(state.deployments.map { $0.spec?.selector.matchLabels ?? [:] })
        #expect(selectors.count == 3)
    }

    @Test func sharedGPUUsesVisibleDevicesOnlyInTheLegacyMode() throws {
        let model = RenderFixtures.model(replicas: 1, gpu: GPURequirements(memory: "6Gi", products: ["Tesla-T4"]))
        let placement = ModelPlacement(node: "n1", replicas: 1, gpu: GPUAssignment(index: 1, memoryMiB: 6144))
        var legacy = settings
        legacy.gpuSharing = .visibleDevices
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .placed([placement]), settings: legacy)
        let container = try #require(state.deployments.first?.spec?.template.spec?.containers.first)
        #expect(container.env?.contains(EnvVar(name: "NVIDIA_VISIBLE_DEVICES", value: "1")) == true)
        #expect(container.resources?.limits?["nvidia.com/gpu"] == nil)
    }

    @Test func theGPUResourceNameIsConfigurable() throws {
        let model = RenderFixtures.model(replicas: 1, gpu: GPURequirements(memory: "6Gi"))
        let placement = ModelPlacement(node: "n1", replicas: 1, gpu: GPUAssignment(index: 0, memoryMiB: 6144))
        var renamed = settings
        renamed.gpuResource = "nvidia.com/gpu.shared"
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .placed([placement]), settings: renamed)
        let container = try #require(state.deployments.first?.spec?.template.spec?.containers.first)
        #expect(container.resources?.limits?["nvidia.com/gpu.shared"] == Quantity(1))
        #expect(container.resources?.limits?["nvidia.com/gpu"] == nil)
    }

    @Test func exclusiveGPURequestsAWholeDevice() throws {
        let model = RenderFixtures.model(replicas: 1, gpu: GPURequirements(memory: "6Gi", exclusive: true))
        let placement = ModelPlacement(node: "n1", replicas: 1, gpu: GPUAssignment(index: 0, memoryMiB: 15360))
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .placed([placement]), settings: settings)
        let container = try #require(state.deployments.first?.spec?.template.spec?.containers.first)
        #expect(container.resources?.limits?["nvidia.com/gpu"] == Quantity(1))
        #expect(container.env?.contains { $0.name == "NVIDIA_VISIBLE_DEVICES" } == false)
    }

    @Test func renderedObjectsEncodeWithoutNulls() throws {
        let state = DesiredState.render(model: RenderFixtures.model(), choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: settings)
        let json = String(decoding: try JSONEncoder().encode(state.deployments[0]), as: UTF8.self)
        #expect(!json.contains("null"))
    }

    /// `model-operator render` of a file: the model has no uid, and a real API server refuses an
    /// owner reference with `uid: ""`, so none is rendered; in a cluster the reference is there.
    @Test func aModelWithoutUIDRendersNoOwnerReference() throws {
        var model = RenderFixtures.model()
        model.metadata.uid = nil
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: OperatorSettings())
        #expect(state.service.metadata.ownerReferences == nil)
        #expect(state.deployments.allSatisfy { $0.metadata.ownerReferences == nil })
        let stored = DesiredState.render(model: RenderFixtures.model(), choice: .verifiedArchive(RenderFixtures.version4),
                                         scheduling: .byScheduler, settings: OperatorSettings())
        #expect(stored.service.metadata.ownerReferences?.first?.uid == "uid-1")
        #expect(stored.deployments.first?.metadata.ownerReferences?.first?.controller == true)
    }

    /// What PodSecurity `restricted` checks of every container, and bounded scratch volumes
    /// (the node cache's hostPath is the one exception, a choice of issue 13).
    @Test func podsRunNonRootWithoutPrivilegesAndWithBoundedVolumes() throws {
        for choice in [ServingChoice.verifiedArchive(RenderFixtures.version4), .image("registry.local/m:1")] {
            let state = DesiredState.render(model: RenderFixtures.model(), choice: choice, scheduling: .byScheduler,
                                            settings: OperatorSettings())
            let pod = try #require(state.deployments.first?.spec?.template.spec)
            #expect(pod.securityContext?.runAsNonRoot == true)
            #expect(pod.securityContext?.seccompProfile?.type == "RuntimeDefault")
            for container in pod.containers + (pod.initContainers ?? []) {
                let security = try #require(container.securityContext, "\(container.name)")
                #expect(security.runAsNonRoot == true && security.allowPrivilegeEscalation == false, "\(container.name)")
                #expect(security.capabilities?.drop == ["ALL"] && security.readOnlyRootFilesystem == true, "\(container.name)")
                #expect(security.seccompProfile?.type == "RuntimeDefault", "\(container.name)")
            }
            for volume in pod.volumes ?? [] where volume.emptyDir != nil {
                #expect(volume.emptyDir?.sizeLimit != nil, "\(volume.name) is bounded")
            }
        }
    }
}
