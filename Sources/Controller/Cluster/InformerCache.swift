import KubeClient
import KubeModel

/// `ClusterReader` over informers' caches: what a reconciler reads. Each resource is read from
/// the informer registered for it (by resource and object type), so a read never goes to the API
/// server and sees only what that informer selects (its namespace, label and field selectors).
/// Reading a resource or an index nobody registered throws `InformerCache.NotCached`.
///
/// `APIClient` takes the objects its writes return into the matching informer
/// (`recordWrite`), so a reconcile that runs before the watch caught up sees its own write.
public struct InformerCache: ClusterReader {
    /// A read of something no informer here caches: a wiring mistake, not a cluster condition.
    public struct NotCached: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Key: Hashable {
        var resource: GroupVersionResource
        var type: ObjectIdentifier
    }

    private struct Entry {
        var informer: any Sendable
        var indexes: Set<String>
    }

    private var entries: [Key: Entry] = [:]
    /// How a written object of a type reaches the informer of its resource (directly, or through
    /// the projection that informer keeps).
    private var recorders: [Key: @Sendable (any Sendable) async -> Void] = [:]

    public init() {}

    /// This cache with `informer` added for its resource, and `indexes` added to the informer.
    public func adding<Object: WatchObject>(_ informer: Informer<Object>, indexes: [ClusterIndex<Object>] = [])
        async -> InformerCache
    {
        for index in indexes { await informer.addIndex(index.name, values: index.values) }
        var copy = self
        let key = Key(resource: informer.gvr, type: ObjectIdentifier(Object.self))
        copy.entries[key] = Entry(informer: informer, indexes: Set(indexes.map(\.name)))
        copy.recorders[key] = { written in
            if let object = written as? Object { await informer.recordWrite(object) }
        }
        return copy
    }

    /// This cache with `informer`, which keeps a projection of its resource (such as the parts of
    /// a Deployment a reconciler reads), added; writes of whole `Written` objects reach it
    /// through `project`.
    public func adding<Object: WatchObject, Written: WatchObject>(
        _ informer: Informer<Object>, indexes: [ClusterIndex<Object>] = [], recordingWritesOf _: Written.Type,
        as project: @escaping @Sendable (Written) -> Object
    ) async -> InformerCache {
        var copy = await adding(informer, indexes: indexes)
        copy.recorders[Key(resource: informer.gvr, type: ObjectIdentifier(Written.self))] = { written in
            if let object = written as? Written { await informer.recordWrite(project(object)) }
        }
        return copy
    }

    /// Takes an object a write returned into the informer of its resource, if one is registered.
    public func recordWrite<Object: WatchObject>(_ object: Object, in resource: GroupVersionResource) async {
        await recorders[Key(resource: resource, type: ObjectIdentifier(Object.self))]?(object)
    }

    // MARK: ClusterReader

    public func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws -> Object? {
        await (try informer(Object.self, Object.gvr)).get(namespace: namespace, name: name)
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String) async throws -> JSONValue? {
        await (try informer(JSONValue.self, resource)).get(namespace: namespace, name: name)
    }

    public func list<Object: KubeObject>(_ type: Object.Type, namespace: String?) async throws -> [Object] {
        await (try informer(Object.self, Object.gvr)).list(namespace: namespace)
    }

    public func list(_ resource: GroupVersionResource, namespace: String?) async throws -> [JSONValue] {
        await (try informer(JSONValue.self, resource)).list(namespace: namespace)
    }

    public func list<Object: KubeObject>(_ type: Object.Type, index: ClusterIndex<Object>, value: String) async throws
        -> [Object]
    {
        guard let found = entry(Object.self, Object.gvr), found.indexes.contains(index.name) else {
            throw NotCached(description: "no informer here indexes \(Object.gvr) by \(index.name)")
        }
        return await found.informer.byIndex(index.name, value)
    }

    // MARK: Lookup

    private func entry<Object: WatchObject>(_ type: Object.Type, _ resource: GroupVersionResource)
        -> (informer: Informer<Object>, indexes: Set<String>)?
    {
        guard let entry = entries[Key(resource: resource, type: ObjectIdentifier(Object.self))],
              let informer = entry.informer as? Informer<Object> else { return nil }
        return (informer, entry.indexes)
    }

    private func informer<Object: WatchObject>(_ type: Object.Type, _ resource: GroupVersionResource) throws
        -> Informer<Object>
    {
        guard let found = entry(type, resource) else {
            throw NotCached(description: "no informer here caches \(resource) as \(Object.self)")
        }
        return found.informer
    }
}
