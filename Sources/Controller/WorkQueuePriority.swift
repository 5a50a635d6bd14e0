/// Which lane an item waits in. Items from real changes are handed out before items from an
/// initial list or a periodic resync, so a model applied while thousands of others are being
/// listed starts reconciling at once.
public enum WorkQueuePriority: Int, Sendable, Comparable {
    /// Initial list, resync, retries after a backoff.
    case background = 0
    /// A watch event for a real change.
    case change = 1

    public static func < (lhs: WorkQueuePriority, rhs: WorkQueuePriority) -> Bool { lhs.rawValue < rhs.rawValue }
}
