import KubeClient
import ModelAPI

/// Places models that need a GPU (the placement core behind a batching window).
public protocol ModelScheduling: Sendable {
    /// The model's placement: placed, pending the next batch, or why it cannot be placed.
    func schedule(_ model: InferenceModel) async -> SchedulingState
    /// The model was deleted: its capacity is free again.
    func forget(_ key: ObjectKey) async
}
