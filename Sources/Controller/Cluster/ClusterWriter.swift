import KubeClient
import KubeModel

/// Writes to the cluster: every change a controller makes goes through one of these verbs, so
/// `APIClient` sends it to the API server and `InMemoryCluster` applies and records it for tests.
/// Errors are the API server's (`KubeAPIError`: 409 `Conflict` on a stale `resourceVersion`, 409
/// `AlreadyExists`, 404 `NotFound`, ...).
public protocol ClusterWriter: Sendable {
    /// Creates the object (namespace from its metadata); returns it as stored.
    func create<Object: KubeObject>(_ object: Object) async throws -> Object
    /// Replaces the object as read and changed; 409 Conflict when it changed meanwhile. The
    /// server keeps the stored status.
    func update<Object: KubeObject>(_ object: Object) async throws -> Object
    /// Replaces the object's status (the `status` subresource); the rest of the body is ignored.
    func updateStatus<Object: KubeObject>(_ object: Object) async throws -> Object
    /// Patches the object.
    func patch<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, patch: Patch) async throws
        -> Object
    /// Deletes the object.
    func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String, options: DeleteOptions)
        async throws
    /// Replaces an untyped object of `resource` as read and changed; 409 Conflict when it changed meanwhile.
    func update(_ object: JSONValue, in resource: GroupVersionResource) async throws -> JSONValue
}

extension ClusterWriter {
    /// Deletes the object with the server's default propagation.
    public func delete<Object: KubeObject>(_ type: Object.Type, namespace: String?, name: String) async throws {
        try await delete(type, namespace: namespace, name: name, options: DeleteOptions())
    }
}
