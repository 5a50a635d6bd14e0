import KubeModel

/// What a reconcile asks of the controller afterwards.
public struct ReconcileResult: Sendable, Equatable {
    /// Reconcile again after this delay (for example to poll a rollout), with backoff reset.
    public var requeueAfter: Duration?

    public init(requeueAfter: Duration? = nil) {
        self.requeueAfter = requeueAfter
    }

    /// Done until something changes.
    public static let done = ReconcileResult()
}

/// Brings one object's world in line with its spec. Thrown errors are retried with per-item
/// backoff; a result's `requeueAfter` schedules another pass.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}
