import Foundation
import KubeClient
import KubeModel

/// A cluster in memory, for unit tests of code that reads and writes through `ClusterReader` and
/// `ClusterWriter`: no HTTP, no server process. It answers as a kube-apiserver does where the
/// operator can tell: it assigns uids, resourceVersions, `generation` and `creationTimestamp`;
/// fills in the server defaults of Deployments and Services (`InMemoryCluster+Defaults.swift`);
/// refuses a create of an existing name (409 `AlreadyExists`), a write from a stale
/// `resourceVersion` (409 `Conflict`) and a read, write or delete of a missing object (404);
/// keeps the stored status on `update` and everything but the status on `updateStatus`; and
/// answers a no-op update with the same `resourceVersion`.
///
/// Every accepted write is logged (`writes`), so a test asserts what was written, or that nothing
/// was. `failNext` scripts failures (a 409, a 403, a transport error). `seed`, `edit` and
/// `remove` change the cluster as someone else would, without entering the log.
///
/// Reads see every object: there is no watch lag and no label selector (an informer may select
/// fewer). Not modelled: finalizers (a delete removes at once), garbage collection of dependents,
/// namespaces that must exist, patches other than merge patches.
public actor InMemoryCluster: ClusterClient {
    private struct ScriptedFailure {
        var verb: ClusterVerb
        var resource: GroupVersionResource
        var name: String?
        var remaining: Int
        var error: any Error
    }

    private var objects: [GroupVersionResource: [ObjectKey: JSONValue]] = [:]
    private var lastResourceVersion: UInt64 = 1000
    private var failures: [ScriptedFailure] = []
    private var assignedClusterIPs = 0
    /// Every write accepted, in order.
    public private(set) var writes: [ClusterWrite] = []

    public init() {}

    // MARK: Test controls

    /// Stores `object` as if another party created it, status included; not logged. Fills in a
    /// uid, resourceVersion and creationTimestamp when missing. Returns it as stored.
    @discardableResult
    public func seed<Object: KubeObject>(_ object: Object) throws -> Object {
        try decode(seed(try encode(object), in: Object.gvr))
    }

    /// Stores an untyped object of `resource` as if another party created it; not logged.
    @discardableResult
    public func seed(_ object: JSONValue, in resource: GroupVersionResource) throws -> JSONValue {
        let key = try requireKey(object, resource)
        var stored = object
        stored[path: ["metadata", "resourceVersion"]] = nil
        stored[path: ["metadata", "uid"]] = stored[path: ["metadata", "uid"]] ?? .string(UUID().uuidString.lowercased())
        stored[path: ["metadata", "creationTimestamp"]] = stored[path: ["metadata", "creationTimestamp"]]
            ?? .string(KubeTime.format(Date()))
        if stored["spec"] != nil, stored[path: ["metadata", "generation"]] == nil {
            stored[path: ["metadata", "generation"]] = 1
        }
        return store(defaulted(stored, in: resource, previous: objects[resource]?[key]), key: key, in: resource)
    }

    /// Changes a stored object as another party would (a hand edit, a controller updating status):
    /// a new resourceVersion, `generation` bumped when more than metadata and status changed;
    /// not logged. Throws 404 when there is no such object.
    @discardableResult
    public func edit<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String,
                                         _ change: @Sendable (inout Object) -> Void) throws -> Object {
        let key = Self.key(Object.gvr, namespace, name)
        guard let stored = objects[Object.gvr]?[key] else { throw KubeAPIError.notFound(Object.gvr, name: name) }
        var object: Object = try decode(stored)
        change(&object)
        let changed = try encode(object)
        return try decode(store(revised(changed, over: stored, in: Object.gvr), key: key, in: Object.gvr))
    }

    /// Removes an object as another party would; not logged. Returns whether it existed.
    @discardableResult
    public func remove(_ resource: GroupVersionResource, namespace: String?, name: String) -> Bool {
        objects[resource]?.removeValue(forKey: Self.key(resource, namespace, name)) != nil
    }

    /// Makes the next `times` calls of `verb` on `resource` (on the object `name`, or any) fail
    /// with `error` instead of being carried out.
    public func failNext(_ verb: ClusterVerb, _ resource: GroupVersionResource, name: String? = nil, times: Int = 1,
                         with error: any Error) {
        failures.append(ScriptedFailure(verb: verb, resource: resource, name: name, remaining: times, error: error))
    }

    /// Empties the write log (for instance after setting a scene through the code under test).
    public func forgetWrites() {
        writes = []
    }

    // MARK: ClusterReader

    public func get<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) throws -> Object? {
        try get(Object.gvr, namespace: namespace, name: name).map(decode)
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String) throws -> JSONValue? {
        try scriptedFailure(.get, resource, name: name)
        return objects[resource]?[Self.key(resource, namespace, name)]
    }

    public func list<Object: KubeObject>(_ type: Object.Type, namespace: String?) throws -> [Object] {
        try list(Object.gvr, namespace: namespace).map(decode)
    }

    public func list(_ resource: GroupVersionResource, namespace: String?) throws -> [JSONValue] {
        try scriptedFailure(.list, resource, name: nil)
        return (objects[resource] ?? [:])
            .filter { namespace == nil || !resource.namespaced || $0.key.namespace == namespace }
            .sorted { $0.key < $1.key }
            .map(\.value)
    }

    public func list<Object: KubeObject>(_ type: Object.Type, index: ClusterIndex<Object>, value: String) throws
        -> [Object]
    {
        try list(type, namespace: nil).filter { index.matches($0, value) }
    }

    // MARK: ClusterWriter

    public func create<Object: KubeObject>(_ object: Object) throws -> Object {
        var body = try encode(object)
        let key = try requireKey(body, Object.gvr)
        try scriptedFailure(.create, Object.gvr, name: key.name)
        guard objects[Object.gvr]?[key] == nil else { throw KubeAPIError.alreadyExists(Object.gvr, name: key.name) }
        body["status"] = nil
        for field in ["uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp"] {
            body[path: ["metadata", field]] = nil
        }
        let stored = try seed(body, in: Object.gvr)
        return try decode(logged(.create, Object.gvr, key, stored))
    }

    public func update<Object: KubeObject>(_ object: Object) throws -> Object {
        try decode(replace(try encode(object), in: Object.gvr, verb: .update))
    }

    public func updateStatus<Object: KubeObject>(_ object: Object) throws -> Object {
        try decode(replace(try encode(object), in: Object.gvr, verb: .updateStatus))
    }

    public func patch<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, patch: Patch) throws
        -> Object
    {
        let key = Self.key(Object.gvr, namespace, name)
        try scriptedFailure(.patch, Object.gvr, name: name)
        guard case .merge(let change) = patch else {
            throw KubeClientError.invalidRequest("InMemoryCluster applies merge patches only")
        }
        guard let stored = objects[Object.gvr]?[key] else { throw KubeAPIError.notFound(Object.gvr, name: name) }
        var patched = stored.applyingMergePatch(change)
        patched["status"] = stored["status"]
        return try decode(logged(.patch, Object.gvr, key, store(revised(patched, over: stored, in: Object.gvr),
                                                                 key: key, in: Object.gvr)))
    }

    public func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String,
                                           options: DeleteOptions) throws {
        let key = Self.key(Object.gvr, namespace, name)
        try scriptedFailure(.delete, Object.gvr, name: name)
        guard objects[Object.gvr]?.removeValue(forKey: key) != nil else {
            throw KubeAPIError.notFound(Object.gvr, name: name)
        }
        writes.append(ClusterWrite(verb: .delete, resource: Object.gvr, key: key, object: nil))
    }

    public func update(_ object: JSONValue, in resource: GroupVersionResource) throws -> JSONValue {
        try replace(object, in: resource, verb: .update)
    }

    // MARK: Storage

    /// The next cluster IP of the service network 10.96.0.0/12.
    func nextClusterIP() -> String {
        assignedClusterIPs += 1
        return "10.96.\(assignedClusterIPs / 256).\(assignedClusterIPs % 256)"
    }

    /// An update or status update: the body must carry the stored resourceVersion.
    private func replace(_ body: JSONValue, in resource: GroupVersionResource, verb: ClusterVerb) throws -> JSONValue {
        let key = try requireKey(body, resource)
        guard let version = body[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty else {
            throw KubeClientError.invalidRequest(
                "update of \(resource.resource) \"\(key.name)\" has no metadata.resourceVersion, so it would overwrite "
                    + "changes blindly; get the object first and update that, or use patch or apply")
        }
        try scriptedFailure(verb, resource, name: key.name)
        guard let stored = objects[resource]?[key] else { throw KubeAPIError.notFound(resource, name: key.name) }
        guard stored[path: ["metadata", "resourceVersion"]]?.stringValue == version else {
            throw KubeAPIError.conflict(resource, name: key.name)
        }
        var next: JSONValue
        if verb == .updateStatus {
            next = stored
            next["status"] = body["status"]
        } else {
            next = body
            next["status"] = stored["status"]
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "generation"] {
                next[path: ["metadata", field]] = stored[path: ["metadata", field]]
            }
        }
        return logged(verb, resource, key, store(revised(next, over: stored, in: resource), key: key, in: resource))
    }

    /// `next` as the server stores it over `stored`: defaulted, with the generation bumped when
    /// more than metadata and status changed, and a new resourceVersion unless nothing changed.
    private func revised(_ next: JSONValue, over stored: JSONValue, in resource: GroupVersionResource) -> JSONValue {
        var next = defaulted(next, in: resource, previous: stored)
        next[path: ["metadata", "resourceVersion"]] = stored[path: ["metadata", "resourceVersion"]]
        guard next != stored else { return stored }
        if let generation = stored[path: ["metadata", "generation"]]?.intValue,
           next.droppingMetadataAndStatus != stored.droppingMetadataAndStatus {
            next[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        next[path: ["metadata", "resourceVersion"]] = nil
        return next
    }

    /// Stores `object` under `key` with the next resourceVersion (or as it is, when it already
    /// carries the stored version: nothing changed).
    private func store(_ object: JSONValue, key: ObjectKey, in resource: GroupVersionResource) -> JSONValue {
        var object = object
        if object[path: ["metadata", "resourceVersion"]] == nil
            || object[path: ["metadata", "resourceVersion"]] != objects[resource]?[key]?[path: ["metadata", "resourceVersion"]]
        {
            lastResourceVersion += 1
            object[path: ["metadata", "resourceVersion"]] = .string(String(lastResourceVersion))
        }
        objects[resource, default: [:]][key] = object
        return object
    }

    private func logged(_ verb: ClusterVerb, _ resource: GroupVersionResource, _ key: ObjectKey,
                        _ object: JSONValue) -> JSONValue {
        writes.append(ClusterWrite(verb: verb, resource: resource, key: key, object: object))
        return object
    }

    /// Throws the error a test scripted for this call, if any.
    private func scriptedFailure(_ verb: ClusterVerb, _ resource: GroupVersionResource, name: String?) throws {
        guard let index = failures.firstIndex(where: {
            $0.verb == verb && $0.resource == resource && ($0.name == nil || $0.name == name)
        }) else { return }
        let error = failures[index].error
        failures[index].remaining -= 1
        if failures[index].remaining <= 0 { failures.remove(at: index) }
        throw error
    }

    private func requireKey(_ object: JSONValue, _ resource: GroupVersionResource) throws -> ObjectKey {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw KubeClientError.invalidRequest("the \(resource.resource) object has no metadata.name; set one")
        }
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue
        if resource.namespaced, namespace?.isEmpty ?? true {
            throw KubeClientError.invalidRequest(
                "\(resource.resource) are namespaced: pass a namespace (for example \"default\")")
        }
        return Self.key(resource, namespace, name)
    }

    /// The key of `name`: in `namespace` for a namespaced resource, cluster-wide otherwise.
    private static func key(_ resource: GroupVersionResource, _ namespace: String?, _ name: String) -> ObjectKey {
        ObjectKey(namespace: resource.namespaced ? namespace : nil, name: name)
    }

    private func encode<Object: KubeObject>(_ object: Object) throws -> JSONValue {
        var object = object
        object.fillTypeMeta()
        return try JSONValue(encoding: object)
    }

    private func decode<Object: Decodable>(_ value: JSONValue) throws -> Object {
        try value.decode(as: Object.self)
    }
}

extension JSONValue {
    /// The object without `metadata` and `status`: what a change of bumps `generation`.
    fileprivate var droppingMetadataAndStatus: JSONValue {
        var copy = self
        copy["metadata"] = nil
        copy["status"] = nil
        return copy
    }
}
