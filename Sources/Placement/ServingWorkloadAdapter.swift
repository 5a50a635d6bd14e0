import ModelAPI

extension PlacementWorkload {
    /// The placement input of a model's serving plan, which ModelAPI decoded and validated:
    /// its replicas, requests, GPU (`needsGPU` exactly when the model has a `gpu` block, GPU
    /// memory in whole MiB rounded up), layer, node selector, node name, architectures and
    /// tolerations. Nothing is read again from the object.
    public init(_ serving: ServingWorkload, gpuAllocation: GPUAllocation = .devicePlugin) {
        self.init(
            key: ModelKey(namespace: serving.namespace, name: serving.name),
            replicas: serving.replicas,
            cpuMillis: serving.cpuMillis,
            memoryBytes: serving.memoryBytes,
            gpu: serving.gpu,
            architectures: serving.architectures,
            // Validation allows only edge and cloud, the raw values of PlacementLayer.
            layer: PlacementLayer(rawValue: serving.layer.rawValue),
            nodeSelector: serving.nodeSelector,
            nodeName: serving.nodeName,
            tolerations: serving.tolerations.map(PlacementToleration.init(validated:)),
            gpuAllocation: gpuAllocation)
    }

    /// Validates the model through ModelAPI (`ServingWorkload(validating:)`) and reads its plan;
    /// an invalid model throws the validator's errors, naming the model.
    public init(model: InferenceModel, gpuAllocation: GPUAllocation = .devicePlugin) throws(InvalidInferenceModel) {
        self.init(try ServingWorkload(validating: model), gpuAllocation: gpuAllocation)
    }
}

extension PlacementToleration {
    /// A toleration that passed validation: its operator is Equal or Exists (Equal when unset)
    /// and its effect, when set, is one Kubernetes knows.
    init(validated toleration: ModelToleration) {
        let effect = toleration.effect.flatMap { $0.isEmpty ? nil : TaintEffect(rawValue: $0) }
        self.init(key: toleration.key ?? "", operator: Operator(rawValue: toleration.operator ?? "Equal") ?? .equal,
                  value: toleration.value ?? "", effect: effect)
    }
}

extension PlacementAssignment {
    /// An entry of a model's `status.placements` as a previous assignment for the planner
    /// (`exclusive`: the model's `spec.gpu.exclusive`).
    public init(status placement: ModelAPI.ModelPlacement, exclusive: Bool) {
        self.init(node: placement.node, replicas: placement.replicas, gpuIndex: placement.gpu?.index,
                  gpuMemoryMiB: placement.gpu?.memoryMiB ?? 0, gpuExclusive: exclusive)
    }
}
