import KubeClient
import KubeModel
import ModelAPI
import Testing
@testable import Placement

/// Reading Node and InferenceModel objects, and Kubernetes quantities.
@Suite("Placement adapters")
struct PlacementAdapterTests {
    @Test("quantities", arguments: [
        ("500m", Int64(1000), Int64(500)), ("2", 1000, 2000), ("1.5", 1000, 1500), ("0.1", 1000, 100),
        ("2Gi", 1, 2_147_483_648), ("16Gi", 1, 17_179_869_184), ("100M", 1, 100_000_000), ("1e3", 1, 1000),
        ("128974848", 1, 128_974_848), ("1Ki", 1, 1024), ("250u", 1000, 1),
    ])
    func quantity(text: String, factor: Int64, expected: Int64) throws {
        #expect(try QuantityParsing.scaled(text, field: "f", by: factor) == expected)
    }

    @Test("bad quantities are rejected with the field and an example", arguments: ["", "abc", "1.2.3", "-1", "5 Gi", "Gi"])
    func badQuantity(text: String) {
        #expect(throws: PlacementQuantityError.self) { try QuantityParsing.scaled(text, field: "spec.gpu.memory", by: 1) }
    }

    @Test("a Node object becomes a PlacementNode")
    func node() throws {
        let yaml = """
            kind: Node
            metadata:
              name: edge-p4-1
              labels: {kubernetes.io/arch: amd64, node-role.kubernetes.io/edge: "", nvidia.com/gpu.product: Tesla-P4, nvidia.com/gpu.memory: "7611", nvidia.com/gpu.count: "1", zone: a}
            spec:
              unschedulable: true
              taints: [{key: node-role.kubernetes.io/edge, effect: NoSchedule}, {key: spot, value: "yes", effect: PreferNoSchedule}]
            status:
              allocatable: {cpu: 7500m, memory: 31Gi, nvidia.com/gpu: "1"}
              conditions: [{type: MemoryPressure, status: "False"}, {type: Ready, status: "True"}]
            """
        let node = try PlacementNode(node: YAML.parse(yaml))
        #expect(node.name == "edge-p4-1")
        #expect(node.cpuMillis == 7500 && node.memoryBytes == 31 << 30)
        #expect(node.allocatableGPUs == 1 && node.gpuCountLabel == 1 && node.usableGPUCount == 1)
        #expect(node.gpuProduct == "Tesla-P4" && node.gpuMemoryMiB == 7611)
        #expect(node.architecture == "amd64" && node.isEdge && node.ready && node.unschedulable)
        #expect(node.taints.count == 2 && node.taints.contains(PlacementTaint(key: "spot", value: "yes", effect: .preferNoSchedule)))
        #expect(node.labels["zone"] == "a")
    }

    @Test("a Node without a Ready condition is not ready; a bad label is an error")
    func nodeErrors() throws {
        let plain = try PlacementNode(node: YAML.parse("metadata: {name: n}\nstatus: {allocatable: {cpu: '4'}}"))
        #expect(!plain.ready && !plain.isEdge && plain.usableGPUCount == 0)
        #expect(throws: PlacementInputError.self) {
            try PlacementNode(node: YAML.parse("metadata: {name: n, labels: {nvidia.com/gpu.memory: lots}}"))
        }
        let error = #expect(throws: PlacementInputError.self) {
            try PlacementNode(node: YAML.parse("metadata: {name: n}\nstatus: {allocatable: {memory: 12XB}}"))
        }
        #expect(error?.description.contains("status.allocatable.memory") == true)
    }

    @Test("an InferenceModel, validated by ModelAPI, becomes a PlacementWorkload")
    func workload() throws {
        let yaml = """
            apiVersion: ai.kubeedge.io/v1alpha1
            kind: InferenceModel
            metadata: {name: facialexpression, namespace: vision}
            spec:
              modelName: facialexpression
              deployToLayer: edge
              image: registry.example.com/models/facialexpression:4
              servingPort: 8080
              replicas: 2
              nodeSelector: {zone: a}
              resources: {requests: {cpu: 500m, memory: 1Gi}}
              gpu: {memory: 6Gi, products: [Tesla-P4], exclusive: false}
              architectures: [amd64]
              tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            """
        let workload = try PlacementWorkload(model: InferenceModel.decode(from: YAML.parse(yaml)))
        #expect(workload.key == ModelKey(namespace: "vision", name: "facialexpression"))
        #expect(workload.replicas == 2 && workload.layer == .edge && workload.nodeSelector == ["zone": "a"])
        #expect(workload.cpuMillis == 500 && workload.memoryBytes == 1 << 30)
        #expect(workload.gpuMemoryMiB == 6144 && workload.gpuProducts == ["Tesla-P4"] && !workload.gpuExclusive)
        #expect(workload.architectures == ["amd64"])
        #expect(workload.tolerates(PlacementTaint(key: "dedicated", value: "x", effect: .noSchedule)))
        #expect(workload.tolerates(.edgeRole))
        #expect(!workload.tolerates(PlacementTaint(key: "dedicated", effect: .noExecute)))
    }

    @Test("the blueprint's minimal InferenceModel needs no GPU and gets defaults")
    func minimalWorkload() throws {
        let model = try InferenceModel.decode(from: YAML.parse("""
            metadata: {name: m}
            spec: {modelName: m, deployToLayer: cloud, image: registry.example.com/m:1, servingPort: 8080, nodeName: ''}
            """))
        let workload = try PlacementWorkload(model: model)
        #expect(workload.key.namespace == "default" && workload.replicas == 1 && !workload.needsGPU && workload.nodeName == nil)
    }

    @Test("a bad InferenceModel is refused by ModelAPI's decoding or validation, naming the field")
    func workloadErrors() throws {
        let cases = [
            ("spec: {deployToLayer: fog}", "spec.deployToLayer \"fog\" is not a layer; set it to edge or cloud"),
            ("spec: {replicas: -1}", "spec.replicas"),
            ("spec: {gpu: {memory: six}}", "spec.gpu.memory"),
            ("spec: {gpu: {memory: '0'}}", "spec.gpu.memory 0 must be more than 0"),
            ("spec: {architectures: amd64}", "spec.architectures must be a list"),
            ("spec: {tolerations: [{key: k, operator: Maybe}]}", "spec.tolerations[0].operator"),
        ]
        let valid = try YAML.parse("""
            metadata: {name: m}
            spec: {modelName: m, deployToLayer: cloud, image: registry.example.com/m:1, servingPort: 8080}
            """)
        #expect(try PlacementWorkload(model: InferenceModel.decode(from: valid)).key.name == "m")
        for (spec, expected) in cases {
            // The case's fields replace those of the valid model.
            let object = valid.applyingMergePatch(try YAML.parse(spec))
            let error = #expect(throws: (any Error).self) {
                try PlacementWorkload(model: InferenceModel.decode(from: object))
            }
            #expect(error.map { "\($0)" }?.contains(expected) == true, "\(spec): \(String(describing: error))")
        }
        let unnamed = #expect(throws: InvalidInferenceModel.self) {
            try PlacementWorkload(model: InferenceModel.decode(from: valid.applyingMergePatch(["metadata": ["name": nil]])))
        }
        #expect(unnamed?.description.contains("metadata.name is required") == true)
    }

    @Test("assignments round-trip through their status JSON")
    func assignmentJSON() throws {
        let assignment = PlacementAssignment(node: "n", replicas: 2, gpuIndex: 1, gpuMemoryMiB: 4096, gpuExclusive: false)
        #expect(try PlacementAssignment(json: assignment.jsonValue) == assignment)
        let cpuOnly = PlacementAssignment(node: "n", replicas: 1)
        #expect(try PlacementAssignment(json: cpuOnly.jsonValue) == cpuOnly)
    }
}
