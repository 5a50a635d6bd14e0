import KubeModel

/// A secondary index of a cache (client-go's Indexer): a name and the values each object
/// files under. `InformerCache` keeps it up to date in the informer (register it with
/// `InformerCache.adding(_:indexes:)`); `InMemoryCluster` and `APIClient` evaluate it over a list.
public struct ClusterIndex<Object: Sendable>: Sendable {
    public let name: String
    public let values: @Sendable (Object) -> [String]

    public init(name: String, values: @escaping @Sendable (Object) -> [String]) {
        self.name = name
        self.values = values
    }
}

extension ClusterIndex where Object: KubeObject {
    /// Objects by the uid of their controller (the owner reference with `controller: true`).
    public static var controllerUID: ClusterIndex {
        ClusterIndex(name: "controller-uid") { object in
            object.metadata.ownerReferences?.filter { $0.controller == true }.map(\.uid) ?? []
        }
    }

    /// Whether `object` files under `value`.
    func matches(_ object: Object, _ value: String) -> Bool {
        values(object).contains(value)
    }
}
