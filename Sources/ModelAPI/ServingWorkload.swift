import KubeModel

/// The one typed serving plan of a model: how many replicas, what each replica requests, the
/// GPU it needs and the nodes it may run on, read from an InferenceModel that passed
/// `InferenceModelValidator`.
///
/// The only way to get one is through validation (`init(validating:)`, `validated(_:)`), so
/// whatever starts from it (the placement core, `render`, `place`, the operator's placement
/// coordinator) reads the numbers and rules ModelAPI checked, never its own parse of the object.
public struct ServingWorkload: Sendable, Hashable {
    /// `metadata.namespace`, `default` when unset (a file given to `render` or `place`).
    public var namespace: String
    /// `metadata.name`.
    public var name: String
    /// `spec.replicas`, 1 when unset.
    public var replicas: Int
    /// `spec.resources.requests.cpu` in millicores, rounded up; 0 when unset.
    public var cpuMillis: Int64
    /// `spec.resources.requests.memory` in bytes, rounded up; 0 when unset.
    public var memoryBytes: Int64
    /// The GPU each replica needs; nil exactly when the model needs none (`spec.needsGPU`).
    public var gpu: GPUWorkload?
    /// `spec.deployToLayer`: `edge` or `cloud`.
    public var layer: DeployLayer
    /// `spec.nodeSelector`; empty when unset.
    public var nodeSelector: [String: String]
    /// `spec.nodeName`; nil when unset or empty.
    public var nodeName: String?
    /// `spec.architectures` (Kubernetes names); empty allows any.
    public var architectures: [String]
    /// `spec.tolerations`, each with a known operator and effect.
    public var tolerations: [ModelToleration]

    /// Whether each replica needs a GPU: the model's `spec.needsGPU`.
    public var needsGPU: Bool { gpu != nil }

    /// Validates the model (`InferenceModelValidator`, plus a name, which a file may lack) and
    /// returns its serving plan, or throws every error the validator found.
    public init(validating model: InferenceModel) throws(InvalidInferenceModel) {
        let (workload, issues) = ServingWorkload.validated(model)
        guard let workload else { throw InvalidInferenceModel(model: model, issues: issues) }
        self = workload
    }

    /// Validates the model once: every issue (warnings included), and the serving plan when no
    /// issue is an error.
    public static func validated(_ model: InferenceModel) -> (workload: ServingWorkload?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        if (model.metadata.name ?? "").isEmpty {
            issues.append(ValidationIssue(field: "metadata.name", message: "metadata.name is required; name the model, such as facialexpression"))
        }
        issues += InferenceModelValidator.validate(model)
        guard !issues.hasErrors else { return (nil, issues) }
        return (ServingWorkload(checked: model), issues)
    }

    /// The plan of a model that passed validation: its quantities parse and are not negative,
    /// its layer is edge or cloud, its tolerations are well-formed.
    private init(checked model: InferenceModel) {
        let spec = model.spec
        namespace = model.metadata.namespace ?? "default"
        name = model.metadata.name ?? ""
        replicas = spec.effectiveReplicas
        // Validation parsed both requests; a missing one counts as 0, as kube-scheduler counts it.
        let requests = spec.resources?.requests ?? [:]
        cpuMillis = requests["cpu"].flatMap { try? Quantity(parsing: $0) }?.milliValue ?? 0
        memoryBytes = requests["memory"].flatMap { try? Quantity(parsing: $0) }?.value ?? 0
        gpu = spec.needsGPU ? spec.gpu.map(GPUWorkload.init(validated:)) : nil
        layer = spec.deployToLayer
        nodeSelector = spec.nodeSelector ?? [:]
        nodeName = spec.nodeName
        architectures = spec.architectures ?? []
        tolerations = spec.tolerations ?? []
    }
}

/// An InferenceModel that failed validation, so it has no serving plan: names the model and
/// says every error, as the `InvalidSpec` condition does.
public struct InvalidInferenceModel: Error, Sendable, Hashable, CustomStringConvertible {
    /// `namespace/name` of the model (`default` when the namespace is unset).
    public var model: String
    /// Every issue found, warnings included.
    public var issues: [ValidationIssue]

    public init(model: InferenceModel, issues: [ValidationIssue]) {
        self.model = "\(model.metadata.namespace ?? "default")/\(model.metadata.name ?? "")"
        self.issues = issues
    }

    /// The condition reason of the errors (`InvalidSpec` when mixed).
    public var reason: ModelConditionReason { issues.reason ?? .invalidSpec }

    public var description: String { "InferenceModel \(model): \(issues.summary)" }
}
