import KubeClient
import KubeModel
import ModelAPI
import Testing

/// The one typed serving plan of a model, read once from a validated InferenceModel (issue 11).
@Suite struct ServingWorkloadTests {
    /// A valid image-based model with `spec` (YAML lines) added to its spec.
    static func model(_ spec: String = "", name: String = "m") throws -> InferenceModel {
        let fields = spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return try InferenceModel.decode(from: YAML.parse("""
            metadata: {name: \(name)}
            spec:
              modelName: m
              deployToLayer: edge
              image: registry.example.com/models/m:1
              servingPort: 8080
            \(fields)
            """))
    }

    @Test func aGPUMemoryThatIsNotWholeMiBIsValidAndRoundsUpToTheNextMiB() throws {
        for (memory, mebibytes) in [("1.5G", Int64(1431)), ("1.5Mi", 2), ("1", 1), ("6Gi", 6144), ("1500M", 1431)] {
            let model = try Self.model("gpu: {memory: \(memory)}")
            #expect(InferenceModelValidator.validate(model).isEmpty, "\(memory)")
            #expect(try ServingWorkload(validating: model).gpu?.memoryMiB == mebibytes, "\(memory)")
        }
    }

    @Test func aGPUBlockOfAnyShapeNeedsAGPU() throws {
        let productsOnly = try ServingWorkload(validating: Self.model("gpu: {products: [Tesla-P4]}"))
        #expect(productsOnly.needsGPU)
        #expect(productsOnly.gpu == GPUWorkload(memoryMiB: 0, products: ["Tesla-P4"], exclusive: false))
        #expect(try ServingWorkload(validating: Self.model("gpu: {}")).gpu == GPUWorkload())
        #expect(try ServingWorkload(validating: Self.model("gpu: {memory: 6Gi, exclusive: true}")).gpu
            == GPUWorkload(memoryMiB: 6144, exclusive: true))
        for spec in ["", "gpu: null"] {
            let model = try Self.model(spec)
            let plan = try ServingWorkload(validating: model)
            #expect(!model.spec.needsGPU && !plan.needsGPU && plan.gpu == nil, "\(spec)")
        }
    }

    @Test func thePlanHoldsTheRequestsAndNodeConstraintsInPlacementUnits() throws {
        let plan = try ServingWorkload(validating: Self.model("""
            replicas: 3
            resources: {requests: {cpu: 1.5, memory: 512Mi}, limits: {cpu: "2"}}
            nodeSelector: {zone: a}
            nodeName: edge-1
            architectures: [arm64, amd64]
            tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            """))
        #expect(plan.namespace == "default" && plan.name == "m" && plan.replicas == 3)
        #expect(plan.cpuMillis == 1500 && plan.memoryBytes == 512 << 20)
        #expect(plan.layer == .edge && plan.nodeSelector == ["zone": "a"] && plan.nodeName == "edge-1")
        #expect(plan.architectures == ["arm64", "amd64"])
        #expect(plan.tolerations == [ModelToleration(key: "dedicated", operator: "Exists", effect: "NoSchedule")])
        #expect(!plan.needsGPU)

        let defaults = try ServingWorkload(validating: Self.model())
        #expect(defaults.replicas == 1 && defaults.cpuMillis == 0 && defaults.memoryBytes == 0 && defaults.nodeName == nil)
    }

    @Test func anInvalidModelHasNoPlanAndTheErrorNamesTheModelAndEveryProblem() throws {
        let model = try Self.model("replicas: -2\ngpu: {memory: '0'}", name: "broken")
        let error = #expect(throws: InvalidInferenceModel.self) { try ServingWorkload(validating: model) }
        #expect(error?.model == "default/broken")
        #expect(error?.reason == .invalidSpec)
        #expect(error?.description.hasPrefix("InferenceModel default/broken: 2 problems: ") == true)
        #expect(error?.description.contains("spec.replicas -2 must not be negative") == true)
        #expect(error?.description.contains("spec.gpu.memory 0 must be more than 0") == true)
        #expect(ServingWorkload.validated(model).workload == nil)
    }

    @Test func aModelWithoutANameHasNoPlan() throws {
        var model = try Self.model()
        model.metadata.name = nil
        let validated = ServingWorkload.validated(model)
        #expect(validated.workload == nil)
        #expect(validated.issues.errors.map(\.field) == ["metadata.name"])
    }

    @Test func warningsComeWithThePlan() throws {
        let model = try Self.model("targetVersion: '4'")
        let validated = ServingWorkload.validated(model)
        #expect(validated.workload != nil)
        #expect(validated.issues.warnings.map(\.field) == ["spec.targetVersion"])
    }
}
