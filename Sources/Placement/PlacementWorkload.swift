import ModelAPI

/// Identifies an InferenceModel: `namespace/name`.
public struct ModelKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ModelKey, rhs: ModelKey) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}

/// Where a model is deployed: `deployToLayer` of the InferenceModel spec.
public enum PlacementLayer: String, Sendable, Hashable, Comparable {
    /// Nodes labelled `node-role.kubernetes.io/edge`.
    case edge
    /// Nodes without that label.
    case cloud

    public static func < (lhs: PlacementLayer, rhs: PlacementLayer) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A pod toleration with Kubernetes semantics (`operator` Equal or Exists; an empty key with
/// Exists tolerates every taint; a nil effect matches every effect).
public struct PlacementToleration: Sendable, Hashable, Comparable {
    public enum Operator: String, Sendable, Hashable { case equal = "Equal", exists = "Exists" }

    public var key: String
    public var `operator`: Operator
    public var value: String
    public var effect: TaintEffect?

    public init(key: String, operator: Operator = .equal, value: String = "", effect: TaintEffect? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
    }

    /// Whether this toleration covers `taint`.
    public func tolerates(_ taint: PlacementTaint) -> Bool {
        if let effect, effect != taint.effect { return false }
        switch `operator` {
        case .exists: return key.isEmpty || key == taint.key
        case .equal: return key == taint.key && value == taint.value
        }
    }

    public static func < (lhs: PlacementToleration, rhs: PlacementToleration) -> Bool {
        (lhs.key, lhs.operator.rawValue, lhs.value, lhs.effect?.rawValue ?? "")
            < (rhs.key, rhs.operator.rawValue, rhs.value, rhs.effect?.rawValue ?? "")
    }
}

/// How a GPU replica gets its GPU from the node.
public enum GPUAllocation: String, Sendable, Hashable {
    /// Every GPU replica requests one unit of the device plugin's resource (`nvidia.com/gpu`):
    /// a whole GPU from a stock device plugin, one of its `replicas` under time-slicing or MPS.
    case devicePlugin
    /// Only exclusive replicas request the device-plugin resource; shared ones name their GPU
    /// themselves (`NVIDIA_VISIBLE_DEVICES`), unseen by kube-scheduler (the legacy opt-in mode).
    case exclusiveOnly
}

/// A model to place: its replicas and what each replica needs.
///
/// Toleration rule: a workload tolerates a taint when one of `tolerations` does, and a workload
/// of the edge layer also tolerates the edge-role taint (`node-role.kubernetes.io/edge`, any
/// value and effect), since edge nodes carry it to keep ordinary pods away.
public struct PlacementWorkload: Sendable, Hashable {
    public var key: ModelKey
    public var replicas: Int
    /// CPU request per replica in millicores.
    public var cpuMillis: Int64
    /// Memory request per replica in bytes.
    public var memoryBytes: Int64
    /// The GPU each replica needs (ModelAPI's typed form of `spec.gpu`); nil: no GPU.
    public var gpu: GPUWorkload?
    /// `kubernetes.io/arch` values the serving image supports; empty allows any.
    public var architectures: [String]
    /// `deployToLayer`; nil places on either layer.
    public var layer: PlacementLayer?
    public var nodeSelector: [String: String]
    public var nodeName: String?
    public var tolerations: [PlacementToleration]
    /// How each GPU replica gets its GPU; decides whether it takes a unit of the device plugin's resource.
    public var gpuAllocation: GPUAllocation

    public init(
        key: ModelKey, replicas: Int, cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, gpu: GPUWorkload? = nil,
        architectures: [String] = [], layer: PlacementLayer? = nil, nodeSelector: [String: String] = [:],
        nodeName: String? = nil, tolerations: [PlacementToleration] = [], gpuAllocation: GPUAllocation = .devicePlugin
    ) {
        self.key = key
        self.replicas = replicas
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpu = gpu
        self.architectures = architectures
        self.layer = layer
        self.nodeSelector = nodeSelector
        self.nodeName = nodeName
        self.tolerations = tolerations
        self.gpuAllocation = gpuAllocation
    }

    /// Whether each replica needs a GPU (a share of one, or a whole one): it has a `gpu`, as
    /// every model with a `gpu` block does (`InferenceModelSpec.needsGPU`).
    public var needsGPU: Bool { gpu != nil }

    /// GPU memory per replica in MiB; 0 when any GPU will do, or without a GPU.
    public var gpuMemoryMiB: Int64 { gpu?.memoryMiB ?? 0 }

    /// Allowed `nvidia.com/gpu.product` values; empty allows any GPU.
    public var gpuProducts: [String] { gpu?.products ?? [] }

    /// A whole GPU per replica instead of a share of one.
    public var gpuExclusive: Bool { gpu?.exclusive ?? false }

    /// Units of the device plugin's resource each replica requests (0 or 1).
    public var gpuDevicesPerReplica: Int {
        guard needsGPU else { return 0 }
        return gpuAllocation == .devicePlugin || gpuExclusive ? 1 : 0
    }

    /// Whether this workload tolerates `taint` (see the toleration rule above).
    public func tolerates(_ taint: PlacementTaint) -> Bool {
        if layer == .edge && taint.key == PlacementNode.edgeRoleLabel { return true }
        return tolerations.contains { $0.tolerates(taint) }
    }

    /// Whether `product` is one the workload allows (case-insensitive).
    public func allowsProduct(_ product: String?) -> Bool {
        if gpuProducts.isEmpty { return true }
        guard let product = product?.lowercased() else { return false }
        return gpuProducts.contains { $0.lowercased() == product }
    }
}
