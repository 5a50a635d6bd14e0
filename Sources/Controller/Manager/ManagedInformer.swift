import KubeModel

/// An informer of any object type, as the `Manager` runs it: a watch that runs in the caller's
/// task until cancelled, and whether its initial list arrived.
public protocol ManagedInformer: Actor {
    /// The resource it watches, for logs.
    nonisolated var gvr: GroupVersionResource { get }
    func run() async
    var hasSynced: Bool { get }
    func waitForSync() async throws
}

extension Informer: ManagedInformer {}
