import Foundation
import KubeModel

/// The observed state of an InferenceModel, written only through the `/status` subresource.
///
/// `url` and `servingVersion` are the original blueprint's keys, read by other systems; the
/// rest are additions. Absent fields are left out when encoding.
public struct InferenceModelStatus: Codable, Sendable, Hashable {
    /// The cluster URL of the model's Service (`http://<name>.<namespace>.svc:<port>`).
    public var url: String?
    /// The manifest version (or the image) that every ready replica serves. It moves to a new
    /// version only when all the new version's replicas are available.
    public var servingVersion: String?
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int64?
    /// Conditions in the Kubernetes convention; see `ModelConditionType`.
    public var conditions: [ModelCondition]?
    /// Where the replicas run: one entry per node (and GPU, when the model uses one).
    public var placements: [ModelPlacement]?
    /// The number of replicas that exist (the scale subresource's `statusReplicasPath`).
    public var replicas: Int?
    /// The number of replicas that are ready.
    public var readyReplicas: Int?
    /// The label selector of the serving pods, as a string (the scale subresource's
    /// `labelSelectorPath`, used by `kubectl scale` and autoscalers).
    public var selector: String?
    /// Archives whose SHA-256 the operator has verified; a resync or restart trusts these
    /// instead of downloading again.
    public var verified: [VerifiedDigest]?
    /// Where the serving pods keep the archive, and why; nil for image models.
    public var archiveCache: ArchiveCacheStatus?
    /// What went wrong, in a sentence a person can act on; nil when all is well.
    public var message: String?

    public init(
        url: String? = nil, servingVersion: String? = nil, observedGeneration: Int64? = nil,
        conditions: [ModelCondition]? = nil, placements: [ModelPlacement]? = nil, replicas: Int? = nil,
        readyReplicas: Int? = nil, selector: String? = nil, verified: [VerifiedDigest]? = nil,
        archiveCache: ArchiveCacheStatus? = nil, message: String? = nil
    ) {
        self.url = url
        self.servingVersion = servingVersion
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.placements = placements
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.selector = selector
        self.verified = verified
        self.archiveCache = archiveCache
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case url, servingVersion, observedGeneration, conditions, placements, replicas, readyReplicas
        case selector, verified, archiveCache, message
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeNonEmptyStringIfPresent(forKey: .url)
        servingVersion = try container.decodeNonEmptyStringIfPresent(forKey: .servingVersion)
        observedGeneration = try container.decodeIfPresentNonNull(Int64.self, forKey: .observedGeneration)
        conditions = try container.decodeIfPresentNonNull([ModelCondition].self, forKey: .conditions)
        placements = try container.decodeIfPresentNonNull([ModelPlacement].self, forKey: .placements)
        replicas = try container.decodeIfPresentNonNull(Int.self, forKey: .replicas)
        readyReplicas = try container.decodeIfPresentNonNull(Int.self, forKey: .readyReplicas)
        selector = try container.decodeNonEmptyStringIfPresent(forKey: .selector)
        verified = try container.decodeIfPresentNonNull([VerifiedDigest].self, forKey: .verified)
        archiveCache = try? container.decodeIfPresentNonNull(ArchiveCacheStatus.self, forKey: .archiveCache)
        message = try container.decodeNonEmptyStringIfPresent(forKey: .message)
    }
}

/// Where some of a model's replicas run: a node, how many replicas, and the GPU they use.
public struct ModelPlacement: Codable, Sendable, Hashable {
    /// The node's name.
    public var node: String
    /// How many replicas run on this node (on this GPU, when `gpu` is set).
    public var replicas: Int
    /// The GPU these replicas use; nil for CPU-only models.
    public var gpu: GPUAssignment?

    public init(node: String, replicas: Int, gpu: GPUAssignment? = nil) {
        self.node = node
        self.replicas = replicas
        self.gpu = gpu
    }
}

/// One GPU of a node given to a model's replicas.
///
/// The memory is written as a Kubernetes quantity under `memory` (`6Gi`, `1431Mi`), as resources
/// are, so `kubectl describe` reads "Memory: 6Gi"; statuses written before kept whole MiB under
/// `memoryMiB`, which is still read.
public struct GPUAssignment: Codable, Sendable, Hashable {
    /// The GPU's index on its node (0-based, as `nvidia-smi` numbers them).
    public var index: Int
    /// The GPU memory reserved per replica, in MiB.
    public var memoryMiB: Int64?
    /// The GPU product (`Tesla-T4`).
    public var product: String?

    public init(index: Int, memoryMiB: Int64? = nil, product: String? = nil) {
        self.index = index
        self.memoryMiB = memoryMiB
        self.product = product
    }

    enum CodingKeys: String, CodingKey { case index, memory, memoryMiB, product }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        product = try container.decodeIfPresent(String.self, forKey: .product)
        if let text = try? container.decodeIfPresent(String.self, forKey: .memory),
           let bytes = try? Quantity(parsing: text).decimal {
            memoryMiB = NSDecimalNumber(decimal: bytes / Decimal(1 << 20)).int64Value
        } else {
            memoryMiB = try? container.decodeIfPresent(Int64.self, forKey: .memoryMiB)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        if let memoryMiB { try container.encode(Quantity(memoryMiB << 20, binary: true).description, forKey: .memory) }
        try container.encodeIfPresent(product, forKey: .product)
    }
}
