import Foundation
import KubeModel

/// The GPU a model needs: how much GPU memory, which GPU products may serve it, and whether it
/// needs a GPU of its own.
///
/// Shared (the default) lets several models' replicas share one GPU as long as their `memory`
/// fits in the GPU's memory; exclusive reserves a whole GPU per replica.
public struct GPURequirements: Codable, Sendable, Hashable {
    /// GPU memory per replica as a quantity (`"6Gi"`, `"512Mi"`); nil means any GPU will do.
    public var memory: String?
    /// The GPU products allowed, as in the `nvidia.com/gpu.product` node label (`Tesla-T4`,
    /// `Tesla-P4`); nil or empty means any product.
    public var products: [String]?
    /// Whether each replica needs a whole GPU; nil means false (shared).
    public var exclusive: Bool?

    public init(memory: String? = nil, products: [String]? = nil, exclusive: Bool? = nil) {
        self.memory = memory
        self.products = products
        self.exclusive = exclusive
    }

    enum CodingKeys: String, CodingKey { case memory, products, exclusive }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        memory = try container.decodeNonEmptyStringIfPresent(forKey: .memory)
        products = try container.decodeIfPresentNonNull([String].self, forKey: .products)
        exclusive = try container.decodeIfPresentNonNull(Bool.self, forKey: .exclusive)
    }

    /// Whether each replica needs a whole GPU (`exclusive`, default false).
    public var isExclusive: Bool { exclusive ?? false }

    /// The requested GPU memory as a quantity; nil when unset or malformed.
    public var memoryQuantity: Quantity? {
        memory.flatMap { try? Quantity(parsing: $0) }
    }

    /// The requested GPU memory in MiB (2^20 bytes), rounded up, as the `nvidia.com/gpu.memory`
    /// node label counts it; nil when unset or malformed.
    public var memoryMiB: Int64? {
        memoryQuantity.map { Quantity(decimal: $0.decimal / 1_048_576).value }
    }
}
