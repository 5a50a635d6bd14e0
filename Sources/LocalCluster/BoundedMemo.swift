import Synchronization

/// Results worked out once per process by their text (CRD patterns, CEL rules, quantity
/// spellings): the same few texts recur on every write they concern. At most `capacity` are kept
/// (all dropped when full: they are only a shortcut).
final class BoundedMemo<Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = Mutex<[String: Value]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value remembered for `key`, or `compute()`'s, remembered from now on.
    func value(for key: String, compute: () -> Value) -> Value {
        if let known = values.withLock({ $0[key] }) { return known }
        let value = compute()
        values.withLock { values in
            if values.count >= capacity { values.removeAll() }
            values[key] = value
        }
        return value
    }
}
