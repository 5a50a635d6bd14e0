/// A change a watch delivers. Bookmarks are absorbed (they only move the resourceVersion);
/// deletes missed while disconnected arrive as synthesized `.deleted` after a relist.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    /// The object's last known state.
    case deleted(Object)
    /// The initial list has been delivered: a cache fed by this watch is now complete.
    case synced

    /// The object an event carries, if any.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): return object
        case .synced: return nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
