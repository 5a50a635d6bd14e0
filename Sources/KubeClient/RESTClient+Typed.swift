import Foundation
import KubeModel

/// Typed verbs for `KubeObject` models: the resource comes from the type's `gvr`.
extension RESTClient {
    /// GET one object.
    public func get<T: KubeObject>(_ type: T.Type, namespace: String? = nil, name: String) async throws -> T {
        let path = ResourcePath.path(T.gvr, namespace: try requireNamespace(T.gvr, namespace), name: name)
        return try await sendDecoding(T.self, method: "GET", path: path)
    }

    /// One page of objects.
    public func list<T: KubeObject>(_ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions())
        async throws -> KubeList<T>
    {
        try await list(KubeList<T>.self, T.gvr, namespace: namespace, options: options)
    }

    /// Every page of objects, following `continue` tokens.
    public func listAll<T: KubeObject>(_ type: T.Type, namespace: String? = nil,
                                       options: ListOptions = ListOptions()) async throws -> KubeList<T> {
        try await listAll(T.self, T.gvr, namespace: namespace, options: options)
    }

    /// POST a new object (namespace from the object's metadata); returns it as stored.
    public func create<T: KubeObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        var object = object
        object.fillTypeMeta()
        let namespace = try requireNamespace(T.gvr, object.metadata.namespace)
        let path = ResourcePath.withQuery(ResourcePath.path(T.gvr, namespace: namespace), options.queryItems)
        return try await sendDecoding(T.self, method: "POST", path: path, body: try RESTClient.encode(object),
                                      contentType: "application/json")
    }

    /// PUT an object as read and changed: 409 Conflict (`isConflict`) when someone changed it meanwhile.
    /// Fields the model does not know are not sent; prefer `patch`/`apply` for objects others also write.
    public func update<T: KubeObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        try await put(object, subresource: nil, options: options)
    }

    /// PUT the `status` subresource of an object; the server ignores spec changes in the body.
    public func updateStatus<T: KubeObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        try await put(object, subresource: "status", options: options)
    }

    /// GET the `status` subresource.
    public func getStatus<T: KubeObject>(_ type: T.Type, namespace: String? = nil, name: String) async throws -> T {
        let path = ResourcePath.path(T.gvr, namespace: try requireNamespace(T.gvr, namespace), name: name,
                                     subresource: "status")
        return try await sendDecoding(T.self, method: "GET", path: path)
    }

    /// PATCH an object (or a subresource) and decode the result.
    public func patch<T: KubeObject>(_ type: T.Type, namespace: String? = nil, name: String, patch: Patch,
                                     subresource: String? = nil, options: PatchOptions = PatchOptions()) async throws
        -> T
    {
        let request = try patchRequest(T.gvr, namespace: namespace, name: name, patch: patch,
                                       subresource: subresource, options: options)
        return try await sendDecoding(T.self, method: "PATCH", path: request.path, body: request.body,
                                      contentType: patch.contentType)
    }

    /// PATCH the `status` subresource.
    public func patchStatus<T: KubeObject>(_ type: T.Type, namespace: String? = nil, name: String, patch: Patch,
                                           options: PatchOptions = PatchOptions()) async throws -> T {
        try await self.patch(T.self, namespace: namespace, name: name, patch: patch, subresource: "status",
                             options: options)
    }

    /// Server-side apply of a typed object: sends only the fields set in it, owned by `fieldManager`.
    public func apply<T: KubeObject>(_ object: T, fieldManager: String, force: Bool = false,
                                     subresource: String? = nil) async throws -> T {
        var object = object
        object.fillTypeMeta()
        let name = try requireName(object.metadata.name, T.gvr)
        return try await patch(T.self, namespace: object.metadata.namespace, name: name,
                               patch: .apply(try JSONValue(encoding: object)), subresource: subresource,
                               options: PatchOptions(fieldManager: fieldManager, force: force))
    }

    /// DELETE an object by name.
    @discardableResult
    public func delete<T: KubeObject>(_ type: T.Type, namespace: String? = nil, name: String,
                                      options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        try await delete(T.gvr, namespace: namespace, name: name, options: options)
    }

    private func put<T: KubeObject>(_ object: T, subresource: String?, options: WriteOptions) async throws -> T {
        var object = object
        object.fillTypeMeta()
        let namespace = try requireNamespace(T.gvr, object.metadata.namespace)
        let name = try requireName(object.metadata.name, T.gvr)
        guard let version = object.metadata.resourceVersion, !version.isEmpty else {
            throw KubeClientError.invalidRequest(
                "update of \(T.gvr.resource) \"\(name)\" has no metadata.resourceVersion, so it would overwrite "
                    + "changes blindly; get the object first and update that, or use patch or apply")
        }
        let path = ResourcePath.withQuery(
            ResourcePath.path(T.gvr, namespace: namespace, name: name, subresource: subresource), options.queryItems)
        return try await sendDecoding(T.self, method: "PUT", path: path, body: try RESTClient.encode(object),
                                      contentType: "application/json")
    }
}
