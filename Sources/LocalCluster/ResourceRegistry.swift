import KubeClient

/// The set of served resources: the built-ins plus one entry per served version of every
/// established CustomResourceDefinition. A value type owned by the store.
struct ResourceRegistry: Sendable {
    private(set) var types: [ResourceType] = BuiltinResources.all
    /// CRD name -> the resource types it contributes.
    private var fromCRDs: [String: [ResourceType]] = [:]

    func lookup(group: String, version: String, plural: String) -> ResourceType? {
        types.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Any served version of the resource with this storage key (for garbage collection and lookups by kind).
    func anyVersion(storageKey: String) -> ResourceType? {
        types.first { $0.storageKey == storageKey }
    }

    func lookup(apiVersion: String, kind: String) -> ResourceType? {
        types.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// Group versions in discovery order: core first, then groups in registration order.
    var groupVersions: [(group: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for type in types {
            if versions[type.group] == nil { order.append(type.group) }
            if !(versions[type.group] ?? []).contains(type.version) { versions[type.group, default: []].append(type.version) }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    func types(group: String, version: String) -> [ResourceType] {
        types.filter { $0.group == group && $0.version == version }
    }

    /// Registers (or re-registers) the versions a CRD serves.
    mutating func register(crdName: String, types newTypes: [ResourceType]) {
        unregister(crdName: crdName)
        fromCRDs[crdName] = newTypes
        types.append(contentsOf: newTypes)
    }

    mutating func unregister(crdName: String) {
        guard let old = fromCRDs.removeValue(forKey: crdName) else { return }
        types.removeAll { type in old.contains { $0.group == type.group && $0.version == type.version && $0.plural == type.plural } }
    }
}
