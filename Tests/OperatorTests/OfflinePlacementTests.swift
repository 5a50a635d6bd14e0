import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Placement
import Testing
@testable import Operator

/// What `model-operator render --nodes` does: models validated once by ModelAPI, GPU models
/// placed on the nodes, then rendered (issue 11).
@Suite struct OfflinePlacementTests {
    let settings = OperatorSettings(fetchImage: "model-operator:test")

    /// A P4 edge box (time-sliced four ways) and an Arm edge box without a GPU, as Node objects.
    static func nodes() throws -> [PlacementNode] {
        try YAML.parseDocuments("""
            kind: Node
            metadata:
              name: edge-p4
              labels: {kubernetes.io/arch: amd64, node-role.kubernetes.io/edge: "", nvidia.com/gpu.product: Tesla-P4, nvidia.com/gpu.memory: "7611", nvidia.com/gpu.count: "1"}
            spec: {taints: [{key: node-role.kubernetes.io/edge, effect: NoSchedule}]}
            status:
              allocatable: {cpu: "8", memory: 32Gi, pods: "110", nvidia.com/gpu: "4"}
              conditions: [{type: Ready, status: "True"}]
            ---
            kind: Node
            metadata:
              name: edge-arm
              labels: {kubernetes.io/arch: arm64, node-role.kubernetes.io/edge: ""}
            spec: {taints: [{key: node-role.kubernetes.io/edge, effect: NoSchedule}]}
            status:
              allocatable: {cpu: "64", memory: 256Gi, pods: "110"}
              conditions: [{type: Ready, status: "True"}]
            """).map { try PlacementNode(node: $0) }
    }

    /// The rendered Deployments of the model, placed on `nodes()`.
    func render(_ model: InferenceModel, choice: ServingChoice) throws -> [Deployment] {
        let serving = try ServingWorkload(validating: model)
        let states = OfflinePlacement.schedulingStates(of: [serving], on: try Self.nodes())
        let scheduling = try #require(states[model.metadata.key])
        return DesiredState.render(model: model, choice: choice, scheduling: scheduling, settings: settings).deployments
    }

    static func pinnedNodes(_ deployments: [Deployment]) -> [String] {
        deployments.flatMap { deployment in
            deployment.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?
                .nodeSelectorTerms.flatMap { $0.matchFields ?? [] }.flatMap { $0.values ?? [] } ?? []
        }
    }

    @Test func aGPUMemoryOf1_5GIsPlacedAndEachReplicaIsToldItHas1431MiB() throws {
        let model = RenderFixtures.model(layer: .edge, replicas: 2, gpu: GPURequirements(memory: "1.5G", products: ["Tesla-P4"]))
        let deployments = try render(model, choice: .verifiedArchive(RenderFixtures.version4))
        #expect(Self.pinnedNodes(deployments) == ["edge-p4"])
        #expect(deployments.map { $0.spec?.replicas } == [2])
        let container = try #require(deployments.first?.spec?.template.spec?.containers.first)
        #expect(container.env?.contains(EnvVar(name: "MODEL_GPU_MEMORY_MIB", value: "1431")) == true)
        #expect(container.resources?.limits?["nvidia.com/gpu"] == Quantity(1))
    }

    @Test func aGPUBlockWithOnlyProductsIsNeverRenderedOntoTheArmBoxWithoutAGPU() throws {
        let model = RenderFixtures.model(layer: .edge, image: "registry.example.com/models/facial:4", replicas: 3,
                                         gpu: GPURequirements(products: ["Tesla-P4"]))
        let deployments = try render(model, choice: .image("registry.example.com/models/facial:4"))
        #expect(!deployments.isEmpty)
        #expect(Self.pinnedNodes(deployments) == ["edge-p4"])
        #expect(deployments.reduce(0) { $0 + ($1.spec?.replicas ?? 0) } == 3)
        for deployment in deployments {
            #expect(deployment.spec?.template.spec?.containers.first?.resources?.limits?["nvidia.com/gpu"] == Quantity(1))
        }
    }

    @Test func modelsWithoutAGPUAreLeftToKubeScheduler() throws {
        let model = RenderFixtures.model(layer: .edge)
        let states = OfflinePlacement.schedulingStates(of: [try ServingWorkload(validating: model)], on: try Self.nodes())
        #expect(states.isEmpty)
    }
}
