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

    /// The keys of one resource type's controlled objects, by controller uid.
    func byController(_ storageKey: String) -> [String: Set<ObjectKey>] { keys[storageKey] ?? [:] }
}

/// The active objects (not being deleted, not finished pods) of one resource type, looked up
/// by their controller's uid: a snapshot taken when a simulation step begins.
struct ControlledObjects {
    let stored: [ObjectKey: JSONValue]
    let keys: [String: Set<ObjectKey>]

    /// The active objects the controller with this uid controls, by key; nil when there are none.
    subscript(controllerUID: String) -> [JSONValue]? {
        guard let owned = keys[controllerUID] else { return nil }
        let objects = owned.sorted().compactMap { stored[$0] }.filter(\.isActiveForSimulation)
        return objects.isEmpty ? nil : objects
    }
}
