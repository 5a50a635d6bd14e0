import KubeModel

/// Where a controller's work comes from: an informer's changes, each either mapped to the keys
/// to reconcile (queued at `.change` priority, or `.background` for the informer's initial list
/// and replays) or handed to a handler that queues by other means (a batching coordinator).
/// Subscribing replays the informer's cache, so a controller that starts on an already-synced
/// cache (a standby that became leader) sees every object once, like an initial list.
public struct WatchSource: Sendable {
    /// What the source watches, for logs.
    public let name: String
    private let subscribe: @Sendable (WorkQueue<ObjectKey>) async -> @Sendable () async -> Void

    init(name: String, subscribe: @escaping @Sendable (WorkQueue<ObjectKey>) async -> @Sendable () async -> Void) {
        self.name = name
        self.subscribe = subscribe
    }

    /// Subscribes now (replaying the cache); the returned pump feeds the queue until its task is
    /// cancelled or the informer stops.
    func start(feeding queue: WorkQueue<ObjectKey>) async -> @Sendable () async -> Void {
        await subscribe(queue)
    }

    /// Changes mapped to keys: each key is queued, at `.background` priority for the initial
    /// list and replays, `.change` otherwise.
    public static func mapped<Object>(_ informer: Informer<Object>,
                                      map: @escaping @Sendable (InformerChange<Object>) async -> [ObjectKey]) -> WatchSource {
        WatchSource(name: "\(informer.gvr)") { queue in
            let changes = await informer.changes(replayExisting: true)
            return {
                for await change in changes {
                    let priority: WorkQueuePriority = change.fromInitialList ? .background : .change
                    for key in await map(change) { await queue.add(key, priority: priority) }
                }
            }
        }
    }

    /// Changes handed to `handler` (which queues by its own means, or not at all).
    public static func handled<Object>(_ informer: Informer<Object>,
                                       handler: @escaping @Sendable (InformerChange<Object>) async -> Void) -> WatchSource {
        WatchSource(name: "\(informer.gvr)") { _ in
            let changes = await informer.changes(replayExisting: true)
            return {
                for await change in changes { await handler(change) }
            }
        }
    }
}

/// The kind that owns objects through a controller owner reference (`kind` in the API group `group`).
public struct OwnerKind: Sendable, Hashable {
    public var kind: String
    public var group: String

    public init(kind: String, group: String) {
        self.kind = kind
        self.group = group
    }

    /// The key of the object's controlling owner of this kind, if any.
    public func controllerKey(of metadata: ObjectMeta) -> ObjectKey? {
        guard let owner = metadata.ownerReferences?.first(where: {
            $0.controller == true && $0.kind == kind && $0.apiVersion.hasPrefix(group + "/")
        }) else { return nil }
        return ObjectKey(namespace: metadata.namespace, name: owner.name)
    }
}
