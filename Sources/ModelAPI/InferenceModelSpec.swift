/// The desired state of an InferenceModel.
///
/// Two ways to deploy, as in the original blueprint: a serving `image` that contains the model,
/// or a `manifest` of model archives (one per version) that the operator downloads and verifies.
/// When `image` is set (non-empty), `manifest` and `targetVersion` are ignored.
///
/// The original keys are spelled exactly as the blueprint spells them, so existing YAML keeps
/// working. Decoding is tolerant (a null or empty `image` is unset, an unquoted
/// `targetVersion: 4` reads as `"4"`, missing required keys read as empty) so that
/// `InferenceModelValidator` can say what is wrong instead of a decoder error. Required keys
/// (`modelName`, `deployToLayer`, `servingPort`) are always encoded; absent optionals never are.
public struct InferenceModelSpec: Codable, Sendable, Hashable {
    /// The model's name, used for the model directory and the serving container's model name.
    public var modelName: String
    /// `edge` or `cloud`.
    public var deployToLayer: DeployLayer
    /// The serving framework (`tensorflow`, `pytorch`, `onnx`, `tensorrt`, ...); selects the
    /// default serving image when `image` is unset.
    public var frameworkType: String?
    /// Node labels that every serving node must carry.
    public var nodeSelector: [String: String]?
    /// Pins every replica to this node.
    public var nodeName: String?
    /// A serving image that contains the model. Nil when absent, null or empty.
    public var image: String?
    /// The model's versions, each an archive with its SHA-256.
    public var manifest: [InferenceModelFile]?
    /// The version to serve; must name a manifest entry. Nil (or empty): the highest version.
    public var targetVersion: String?
    /// The port the model server listens on and the Service exposes (1-65535).
    public var servingPort: Int
    /// The number of serving replicas; nil means 1.
    public var replicas: Int?

    // Additions to the original API (all optional, backward compatible).

    /// Compute resources of the serving container.
    public var resources: ServingResources?
    /// The GPU the model needs: memory, allowed products, exclusive or shared.
    public var gpu: GPURequirements?
    /// The CPU architectures (`amd64`, `arm64`, ...) the serving image supports; nil means any.
    public var architectures: [String]?
    /// Tolerations added to the serving pods, beyond those the operator adds for edge taints.
    public var tolerations: [ModelToleration]?
    /// The Secret with the credentials for downloading the archives; nil: no credentials.
    public var archiveCredentials: ArchiveCredentialsReference?
    /// `Node` or `Pod` (see `ArchiveCacheMode`); nil: the namespace's label, else `Pod`. Kept as
    /// written so validation can name a wrong value.
    public var archiveCache: String?

    /// The replica count when `replicas` is unset.
    public static let defaultReplicas = 1
    /// The most replicas the CRD allows (`maximum` of `spec.replicas`).
    public static let maximumReplicas = 1000

    public init(
        modelName: String, deployToLayer: DeployLayer, frameworkType: String? = nil,
        nodeSelector: [String: String]? = nil, nodeName: String? = nil, image: String? = nil,
        manifest: [InferenceModelFile]? = nil, targetVersion: String? = nil, servingPort: Int,
        replicas: Int? = nil, resources: ServingResources? = nil, gpu: GPURequirements? = nil,
        architectures: [String]? = nil, tolerations: [ModelToleration]? = nil,
        archiveCredentials: ArchiveCredentialsReference? = nil, archiveCache: String? = nil
    ) {
        self.modelName = modelName
        self.deployToLayer = deployToLayer
        self.frameworkType = frameworkType
        self.nodeSelector = nodeSelector
        self.nodeName = nodeName
        self.image = image
        self.manifest = manifest
        self.targetVersion = targetVersion
        self.servingPort = servingPort
        self.replicas = replicas
        self.resources = resources
        self.gpu = gpu
        self.architectures = architectures
        self.tolerations = tolerations
        self.archiveCredentials = archiveCredentials
        self.archiveCache = archiveCache
    }

    enum CodingKeys: String, CodingKey {
        case modelName, deployToLayer, frameworkType, nodeSelector, nodeName, image, manifest
        case targetVersion, servingPort, replicas, resources, gpu, architectures, tolerations
        case archiveCredentials, archiveCache
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        modelName = try container.decodeScalarStringIfPresent(forKey: .modelName) ?? ""
        deployToLayer = DeployLayer(rawValue: try container.decodeScalarStringIfPresent(forKey: .deployToLayer) ?? "")
        frameworkType = try container.decodeNonEmptyStringIfPresent(forKey: .frameworkType)
        nodeSelector = try container.decodeScalarStringMapIfPresent(forKey: .nodeSelector)
        nodeName = try container.decodeNonEmptyStringIfPresent(forKey: .nodeName)
        image = try container.decodeNonEmptyStringIfPresent(forKey: .image)
        manifest = try container.decodeIfPresentNonNull([InferenceModelFile].self, forKey: .manifest)
        targetVersion = try container.decodeNonEmptyStringIfPresent(forKey: .targetVersion)
        servingPort = try container.decodeIfPresentNonNull(Int.self, forKey: .servingPort) ?? 0
        replicas = try container.decodeIfPresentNonNull(Int.self, forKey: .replicas)
        resources = try container.decodeIfPresentNonNull(ServingResources.self, forKey: .resources)
        gpu = try container.decodeIfPresentNonNull(GPURequirements.self, forKey: .gpu)
        architectures = try container.decodeIfPresentNonNull([String].self, forKey: .architectures)
        tolerations = try container.decodeIfPresentNonNull([ModelToleration].self, forKey: .tolerations)
        archiveCredentials = try container.decodeIfPresentNonNull(ArchiveCredentialsReference.self, forKey: .archiveCredentials)
        archiveCache = try container.decodeNonEmptyStringIfPresent(forKey: .archiveCache)
    }

    /// The number of replicas to run: `replicas`, or 1 when unset.
    public var effectiveReplicas: Int { replicas ?? InferenceModelSpec.defaultReplicas }

    /// How the model reaches the serving pod.
    public var source: ModelSource {
        if let image { return .image(image) }
        if let manifest, !manifest.isEmpty { return .manifest(manifest) }
        return .none
    }

    /// Whether the model needs a GPU: it has a `gpu` block of any shape (`gpu: {}` and
    /// `gpu: {products: [Tesla-P4]}` too, not only one with memory or `exclusive`). The one
    /// definition: placement (through `ServingWorkload.gpu`), rendering and the commands use it.
    public var needsGPU: Bool { gpu != nil }
}

/// How a model reaches its serving pod, derived from `image` and `manifest`.
public enum ModelSource: Sendable, Hashable {
    /// A serving image that contains the model; `manifest` and `targetVersion` are ignored.
    case image(String)
    /// Archives downloaded and verified by the operator and the init container.
    case manifest([InferenceModelFile])
    /// Neither: the spec is invalid.
    case none
}
