import KubeModel
import ModelAPI

/// Decides where a model's replicas may run: GPU models through the placement core (behind a
/// batching window), the others by kube-scheduler once their constraints are checked against
/// the known nodes.
public protocol ModelScheduling: Sendable {
    /// The model's placement: placed, left to kube-scheduler, pending the next batch, or why it
    /// cannot be placed. `deployable` is false while the model can have no Deployment (nothing
    /// verified to serve yet): such a model holds no capacity.
    func schedule(_ model: InferenceModel, deployable: Bool) async -> SchedulingState
    /// The model was deleted: its capacity is free again.
    func forget(_ key: ObjectKey) async
}
