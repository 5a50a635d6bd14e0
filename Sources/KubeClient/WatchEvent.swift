import KubeModel

/// A change a watch delivers. Bookmarks are absorbed (they only move the resourceVersion);
/// deletes missed while disconnected arrive after a relist as `.deletedFinalStateUnknown`.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    /// The object's last known state.
    case deleted(Object)
    /// The object was deleted while the watch was down (a relist no longer has it); its last
    /// state is whatever the consumer's store holds (client-go's `DeletedFinalStateUnknown`).
    case deletedFinalStateUnknown(ObjectKey)
    /// The initial list has been delivered: a cache fed by this watch is now complete.
    case synced

    /// The object an event carries, if any.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): return object
        case .deletedFinalStateUnknown, .synced: return nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
