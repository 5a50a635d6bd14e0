/// What each replica of a model needs of a GPU, in the units placement counts: the typed form
/// of a validated `spec.gpu`, part of `ServingWorkload`.
///
/// A model has one exactly when its spec has a `gpu` block of any shape (`gpu: {}` and
/// `gpu: {products: [Tesla-P4]}` too); see `InferenceModelSpec.needsGPU`, the one definition of
/// "needs a GPU" that placement, rendering and the commands share.
public struct GPUWorkload: Sendable, Hashable {
    /// GPU memory per replica in MiB (2^20 bytes), as the `nvidia.com/gpu.memory` node label
    /// counts it. A quantity that is not a whole number of MiB is rounded up to the next MiB
    /// (`1.5G`, 1.5e9 bytes, asks for 1431 MiB), so every value the CRD accepts can be placed.
    /// 0 when `memory` is unset: any GPU will do.
    public var memoryMiB: Int64
    /// The GPU products allowed, as in the `nvidia.com/gpu.product` node label; empty allows any.
    public var products: [String]
    /// A whole GPU per replica instead of a share of one.
    public var exclusive: Bool

    public init(memoryMiB: Int64 = 0, products: [String] = [], exclusive: Bool = false) {
        self.memoryMiB = memoryMiB
        self.products = products
        self.exclusive = exclusive
    }

    /// The typed form of a `gpu` block that passed validation (its memory parses and is positive).
    init(validated requirements: GPURequirements) {
        self.init(memoryMiB: requirements.memoryMiB ?? 0, products: requirements.products ?? [],
                  exclusive: requirements.isExclusive)
    }
}
