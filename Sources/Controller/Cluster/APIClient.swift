import KubeClient
import KubeModel

/// `ClusterReader` and `ClusterWriter` straight to the API server over a `RESTClient`: reads
/// are live GETs and lists (controller-runtime's API reader, for objects no informer watches);
/// writes are sent as they are, and each object a write returns is taken into `cache`
/// (client-go's mutation cache), so the next reconcile reads its own write even before the
/// watch event arrives.
public struct APIClient: ClusterClient {
    public let client: RESTClient
    /// The informers that take this client's writes; empty when nothing caches them.
    public let cache: InformerCache

    public init(client: RESTClient, cache: InformerCache = InformerCache()) {
        self.client = client
        self.cache = cache
    }

    // MARK: ClusterReader

    public func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object? {
        do {
            return try await client.get(type, namespace: namespace, name: name)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String) async throws -> JSONValue? {
        do {
            return try await client.get(resource, namespace: namespace, name: name)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    public func list<Object: KubeObject>(_ type: Object.Type, namespace: String?) async throws -> [Object] {
        try await client.listAll(type, namespace: namespace).items.sorted { $0.objectKey < $1.objectKey }
    }

    public func list(_ resource: GroupVersionResource, namespace: String?) async throws -> [JSONValue] {
        try await client.listAll(resource, namespace: namespace).items.sorted { $0.objectKey < $1.objectKey }
    }

    public func list<Object: KubeObject>(_ type: Object.Type, index: ClusterIndex<Object>, value: String) async throws
        -> [Object]
    {
        try await list(type, namespace: nil).filter { index.matches($0, value) }
    }

    // MARK: ClusterWriter

    public func create<Object: KubeObject>(_ object: Object) async throws -> Object {
        await recorded(try await client.create(object), in: Object.gvr)
    }

    public func update<Object: KubeObject>(_ object: Object) async throws -> Object {
        await recorded(try await client.update(object), in: Object.gvr)
    }

    public func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object {
        await recorded(try await client.updateStatus(object), in: Object.gvr)
    }

    public func patch<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, patch: Patch)
        async throws -> Object
    {
        await recorded(try await client.patch(type, namespace: namespace, name: name, patch: patch), in: Object.gvr)
    }

    public func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String,
                                           options: DeleteOptions) async throws {
        try await client.delete(type, namespace: namespace, name: name, options: options)
    }

    public func update(_ object: JSONValue, in resource: GroupVersionResource) async throws -> JSONValue {
        await recorded(try await client.update(resource, body: object), in: resource)
    }

    private func recorded<Object: WatchObject>(_ object: Object, in resource: GroupVersionResource) async -> Object {
        await cache.recordWrite(object, in: resource)
        return object
    }
}
