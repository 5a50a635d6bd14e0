import KubeModel

/// Reads objects of the cluster: typed objects (`KubeObject` models) and untyped ones
/// (`JSONValue`, named by their resource). `InformerCache` reads the reflector stores (what a
/// reconciler reads), `APIClient` asks the API server itself (for objects nothing watches), and
/// `InMemoryCluster` answers from memory for tests.
///
/// A missing object is `nil`, not an error; errors are the server's (a live read) or say that
/// nothing caches the resource (a cache read).
public protocol ClusterReader: Sendable {
    /// The object `namespace/name` (`name` alone for a cluster-scoped type), or nil.
    func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object?
    /// The untyped object `namespace/name` of `resource`, or nil.
    func get(_ resource: GroupVersionResource, namespace: String?, name: String) async throws -> JSONValue?
    /// Every object of the type, sorted by key; `namespace` narrows to one namespace.
    func list<Object: KubeObject>(_ type: Object.Type, namespace: String?) async throws -> [Object]
    /// Every untyped object of `resource`, sorted by key; `namespace` narrows to one namespace.
    func list(_ resource: GroupVersionResource, namespace: String?) async throws -> [JSONValue]
    /// The objects whose `index` gives `value`, sorted by key (client-go's `ByIndex`).
    func list<Object: KubeObject>(_ type: Object.Type, index: ClusterIndex<Object>, value: String) async throws
        -> [Object]
}

extension ClusterReader {
    /// The object with this key, or nil.
    public func get<Object: KubeObject>(_ type: Object.Type, _ key: ObjectKey) async throws -> Object? {
        try await get(type, namespace: key.namespace, name: key.name)
    }

    /// Every object of the type in every namespace, sorted by key.
    public func list<Object: KubeObject>(_ type: Object.Type) async throws -> [Object] {
        try await list(type, namespace: nil)
    }

    /// Every untyped object of `resource` in every namespace, sorted by key.
    public func list(_ resource: GroupVersionResource) async throws -> [JSONValue] {
        try await list(resource, namespace: nil)
    }
}

/// Reads and writes: what a controller's client does (controller-runtime's `client.Client`).
public typealias ClusterClient = ClusterReader & ClusterWriter
