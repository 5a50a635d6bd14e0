import KubeModel

/// A secondary index over an informer's cache (client-go's Indexer): each object maps to zero or
/// more index values, and `byIndex` finds the objects with a value without scanning the cache.
struct InformerIndex<Object: Sendable>: Sendable {
    let values: @Sendable (Object) -> [String]
    private(set) var entries: [String: Set<ObjectKey>] = [:]

    init(values: @escaping @Sendable (Object) -> [String]) {
        self.values = values
    }

    /// Moves `key` from the values of `old` to those of `new` (either may be nil).
    mutating func update(key: ObjectKey, old: Object?, new: Object?) {
        let before = old.map(values) ?? []
        let after = new.map(values) ?? []
        guard before != after else { return }
        for value in before {
            entries[value]?.remove(key)
            if entries[value]?.isEmpty == true { entries[value] = nil }
        }
        for value in after { entries[value, default: []].insert(key) }
    }
}
