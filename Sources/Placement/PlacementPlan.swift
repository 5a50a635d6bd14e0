/// Replicas of one model on one node, and the GPU they use.
public struct PlacementAssignment: Sendable, Hashable, Comparable {
    public var node: String
    public var replicas: Int
    /// Index of the GPU on the node (the slot), nil for replicas that use no GPU.
    public var gpuIndex: Int?
    /// GPU memory each replica reserves on that GPU, in MiB (0 without a GPU).
    public var gpuMemoryMiB: Int64
    /// The replicas own the whole GPU.
    public var gpuExclusive: Bool

    public init(node: String, replicas: Int, gpuIndex: Int? = nil, gpuMemoryMiB: Int64 = 0, gpuExclusive: Bool = false) {
        self.node = node
        self.replicas = replicas
        self.gpuIndex = gpuIndex
        self.gpuMemoryMiB = gpuMemoryMiB
        self.gpuExclusive = gpuExclusive
    }

    public static func < (lhs: PlacementAssignment, rhs: PlacementAssignment) -> Bool {
        (lhs.node, lhs.gpuIndex ?? -1) < (rhs.node, rhs.gpuIndex ?? -1)
    }
}

/// Why some or all replicas of a model could not be placed, in words a person can act on.
public struct Unplaceable: Sendable, Hashable, Error, CustomStringConvertible {
    /// The constraint that ran out of candidates; suits a condition's `reason`.
    public enum Kind: String, Sendable, Hashable {
        case noNodes = "NoNodes"
        case nodesNotReady = "NodesNotReady"
        case nodeNameNotFound = "NodeNameNotFound"
        case layer = "NoNodeInLayer"
        case nodeSelector = "NodeSelectorMismatch"
        case architecture = "ArchitectureMismatch"
        case taints = "UntoleratedTaints"
        case gpuProduct = "NoMatchingGPU"
        case gpuTooSmall = "GPUTooSmall"
        case gpuMemoryExhausted = "InsufficientGPUMemory"
        case gpuExhausted = "NoFreeGPU"
        case cpuOrMemoryExhausted = "InsufficientCPUOrMemory"
        case gpuDevicesExhausted = "InsufficientGPUDevices"
        case podsExhausted = "TooManyPods"
    }

    public var kind: Kind
    /// Replicas that stay unplaced.
    public var unplacedReplicas: Int
    public var message: String

    public init(kind: Kind, unplacedReplicas: Int, message: String) {
        self.kind = kind
        self.unplacedReplicas = unplacedReplicas
        self.message = message
    }

    public var description: String { message }
}

/// The decision for one model: where its replicas run, and why the rest (if any) do not.
public struct ModelPlacement: Sendable, Hashable {
    public var key: ModelKey
    public var requestedReplicas: Int
    /// Sorted by node name, then GPU index.
    public var assignments: [PlacementAssignment]
    /// Set when fewer than `requestedReplicas` replicas are placed.
    public var unplaceable: Unplaceable?
    /// Replicas kept where the previous plan had them.
    public var keptReplicas: Int

    public init(key: ModelKey, requestedReplicas: Int, assignments: [PlacementAssignment], unplaceable: Unplaceable?, keptReplicas: Int) {
        self.key = key
        self.requestedReplicas = requestedReplicas
        self.assignments = assignments
        self.unplaceable = unplaceable
        self.keptReplicas = keptReplicas
    }

    public var placedReplicas: Int { assignments.reduce(0) { $0 + $1.replicas } }
    public var isFullyPlaced: Bool { placedReplicas == requestedReplicas }
}

/// GPU use of one GPU class (product and per-GPU memory).
public struct GPUClassFigures: Sendable, Hashable {
    public var product: String
    public var memoryMiB: Int64
    /// Memory of one GPU counted in whole request-granularity units, in MiB.
    public var usableMemoryMiB: Int64
    public var gpusInCluster: Int
    public var gpusUsed: Int
    /// ceil(GPU memory placed on this class / usable memory per GPU), plus whole GPUs taken exclusively.
    public var gpusLowerBound: Int
}

/// How good a plan is.
public struct PlacementFigures: Sendable, Hashable {
    public var replicasRequested: Int
    public var replicasPlaced: Int
    public var replicasKept: Int
    /// The unit GPU memory is counted in: the greatest common divisor of the requests, in MiB.
    public var granularityMiB: Int64
    public var gpusUsed: Int
    public var gpusLowerBound: Int
    /// Free GPU memory on partly used GPUs that is smaller than every GPU request of the batch, in MiB.
    public var fragmentedGPUMemoryMiB: Int64
    /// Free GPU memory on partly used GPUs, in MiB.
    public var freeGPUMemoryOnUsedGPUsMiB: Int64
    public var perClass: [GPUClassFigures]

    /// GPUs used divided by the lower bound (1 when no GPU is used).
    public var gpuRatio: Double { gpusLowerBound == 0 ? 1 : Double(gpusUsed) / Double(gpusLowerBound) }
}

/// The output of the placement core: a decision per model of the batch, and quality figures.
public struct PlacementPlan: Sendable, Hashable {
    /// Sorted by model key.
    public var models: [ModelPlacement]
    public var figures: PlacementFigures

    public init(models: [ModelPlacement], figures: PlacementFigures) {
        self.models = models
        self.figures = figures
    }

    /// The decision for `key`, if the model was part of the batch.
    public func placement(for key: ModelKey) -> ModelPlacement? {
        var low = 0, high = models.count
        while low < high {
            let mid = (low + high) / 2
            if models[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low < models.count && models[low].key == key ? models[low] : nil
    }

    /// Every model's assignments, keyed by model: the `existing` input of the next batch.
    public var assignmentsByModel: [ModelKey: [PlacementAssignment]] {
        Dictionary(uniqueKeysWithValues: models.map { ($0.key, $0.assignments) })
    }
}
