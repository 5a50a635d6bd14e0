/// The effect of a node taint, as Kubernetes spells it.
public enum TaintEffect: String, Sendable, Hashable, Comparable, CaseIterable {
    case noSchedule = "NoSchedule"
    case preferNoSchedule = "PreferNoSchedule"
    case noExecute = "NoExecute"

    /// Whether an untolerated taint of this effect keeps new replicas off the node.
    public var excludes: Bool { self != .preferNoSchedule }

    public static func < (lhs: TaintEffect, rhs: TaintEffect) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A taint on a node (`spec.taints[]`).
public struct PlacementTaint: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var effect: TaintEffect

    public init(key: String, value: String = "", effect: TaintEffect) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    /// The taint as `kubectl describe node` prints it: `key=value:Effect` or `key:Effect`.
    public var description: String { value.isEmpty ? "\(key):\(effect.rawValue)" : "\(key)=\(value):\(effect.rawValue)" }

    public static func < (lhs: PlacementTaint, rhs: PlacementTaint) -> Bool {
        (lhs.key, lhs.value, lhs.effect.rawValue) < (rhs.key, rhs.value, rhs.effect.rawValue)
    }

    /// The taint Kubernetes distributions put on edge nodes; edge-layer workloads tolerate it.
    public static let edgeRole = PlacementTaint(key: PlacementNode.edgeRoleLabel, effect: .noSchedule)
}

/// A node as the placement core sees it: what it offers and who may run on it.
///
/// GPU figures follow the NVIDIA GPU feature discovery labels: `gpuProduct` (`Tesla-T4`),
/// `gpuMemoryMiB` per device, and the number of devices usable for placement (`usableGPUCount`:
/// the smaller of the `nvidia.com/gpu.count` label and allocatable `nvidia.com/gpu` when both
/// are known, so time-sliced devices are not counted twice).
///
/// `allocatableGPUs` is what the device plugin advertises (each GPU once, or `replicas` times
/// under time-slicing or MPS): every replica that requests the device-plugin resource takes one
/// of them, as kube-scheduler counts it.
public struct PlacementNode: Sendable, Hashable {
    /// The label that marks an edge node; cloud nodes lack it.
    public static let edgeRoleLabel = "node-role.kubernetes.io/edge"

    public var name: String
    /// Allocatable CPU in millicores.
    public var cpuMillis: Int64
    /// Allocatable memory in bytes.
    public var memoryBytes: Int64
    /// Allocatable units of the GPU device-plugin resource (`nvidia.com/gpu`, or the name the
    /// cluster advertises); nil when the node does not report the resource.
    public var allocatableGPUs: Int?
    /// Allocatable pods (`status.allocatable.pods`); nil when unknown (no limit).
    public var allocatablePods: Int?
    /// `kubernetes.io/arch` (`amd64`, `arm64`); empty when unlabelled.
    public var architecture: String
    /// True when the node carries `node-role.kubernetes.io/edge`.
    public var isEdge: Bool
    public var taints: [PlacementTaint]
    public var unschedulable: Bool
    public var ready: Bool
    public var labels: [String: String]
    /// `nvidia.com/gpu.product`, such as `Tesla-T4`.
    public var gpuProduct: String?
    /// `nvidia.com/gpu.memory`: memory of one GPU in MiB (nil when unlabelled).
    public var gpuMemoryMiB: Int64?
    /// `nvidia.com/gpu.count` (nil when unlabelled).
    public var gpuCountLabel: Int?

    public init(
        name: String, cpuMillis: Int64, memoryBytes: Int64, allocatableGPUs: Int? = nil,
        architecture: String = "amd64", isEdge: Bool = false, taints: [PlacementTaint] = [],
        unschedulable: Bool = false, ready: Bool = true, labels: [String: String] = [:],
        gpuProduct: String? = nil, gpuMemoryMiB: Int64? = nil, gpuCountLabel: Int? = nil, allocatablePods: Int? = nil
    ) {
        self.name = name
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.allocatableGPUs = allocatableGPUs
        self.architecture = architecture
        self.isEdge = isEdge
        self.taints = taints
        self.unschedulable = unschedulable
        self.ready = ready
        self.labels = labels
        self.gpuProduct = gpuProduct
        self.gpuMemoryMiB = gpuMemoryMiB
        self.gpuCountLabel = gpuCountLabel
        self.allocatablePods = allocatablePods
    }

    /// GPUs the placement core may hand out on this node.
    public var usableGPUCount: Int {
        switch (gpuCountLabel, allocatableGPUs) {
        case let (label?, allocatable?): return max(0, min(label, allocatable))
        case let (label?, nil): return max(0, label)
        case let (nil, allocatable?): return max(0, allocatable)
        case (nil, nil): return 0
        }
    }

    /// Ready and not cordoned.
    public var acceptsNewWork: Bool { ready && !unschedulable }

    /// Takes new work with nothing of its lifecycle in the way: ready, not cordoned, and without
    /// the condition taints the node lifecycle controller adds and removes a little later
    /// (`node.kubernetes.io/unschedulable`, `not-ready`, `unreachable`, `memory-pressure`, ...).
    /// A node that turns open again after an uncordon or an outage is "reopened".
    public var isOpen: Bool {
        acceptsNewWork && !taints.contains { $0.effect.excludes && $0.key.hasPrefix("node.kubernetes.io/") }
    }
}
