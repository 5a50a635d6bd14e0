import KubeModel

/// Which stored objects each controller controls (by its controller owner reference), per
/// resource type, kept current on every write so the simulator's controllers find their
/// objects in time proportional to what they control, not to the cluster's size.
struct ControllerIndex: Sendable {
    /// storage key -> controller uid -> keys of the objects it controls.
    private var keys: [String: [String: Set<ObjectKey>]] = [:]

    mutating func update(_ storageKey: String, key: ObjectKey, old: String?, new: String?) {
        guard old != new else { return }
        if let old {
            keys[storageKey]?[old]?.remove(key)
            if keys[storageKey]?[old]?.isEmpty == true { keys[storageKey]?[old] = nil }
        }
        if let new { keys[storageKey, default: [:]][new, default: []].insert(key) }
    }

    /// The keys of the objects of one resource type that the controller with this uid controls.
    func keys(_ storageKey: String, controlledBy uid: String) -> Set<ObjectKey> { keys[storageKey]?[uid] ?? [] }
}
