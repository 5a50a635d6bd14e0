import Foundation
import KubeModel

/// Untyped verbs: bodies and results as `JSONValue`, for any resource (custom resources included).
extension RESTClient {
    /// GET one object (or one of its subresources, such as `status`).
    public func get(_ gvr: GroupVersionResource, namespace: String? = nil, name: String,
                    subresource: String? = nil) async throws -> JSONValue {
        let path = ResourcePath.path(gvr, namespace: try requireNamespace(gvr, namespace), name: name,
                                     subresource: subresource)
        return try await sendDecoding(JSONValue.self, method: "GET", path: path)
    }

    /// One page of a collection. A nil `namespace` lists across all namespaces.
    public func list(_ gvr: GroupVersionResource, namespace: String? = nil, options: ListOptions = ListOptions())
        async throws -> KubeList<JSONValue>
    {
        try await list(KubeList<JSONValue>.self, gvr, namespace: namespace, options: options)
    }

    /// Every page of a collection, following `continue` tokens; the result carries the first page's
    /// resourceVersion (the snapshot all pages belong to), the one to watch from.
    public func listAll(_ gvr: GroupVersionResource, namespace: String? = nil,
                        options: ListOptions = ListOptions()) async throws -> KubeList<JSONValue> {
        try await listAll(JSONValue.self, gvr, namespace: namespace, options: options)
    }

    /// POST a new object; returns it as stored (with uid, resourceVersion, defaults).
    public func create(_ gvr: GroupVersionResource, namespace: String? = nil, body: JSONValue,
                       options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let namespace = try requireNamespace(gvr, namespace ?? body[path: ["metadata", "namespace"]]?.stringValue)
        let path = ResourcePath.withQuery(ResourcePath.path(gvr, namespace: namespace), options.queryItems)
        return try await sendDecoding(JSONValue.self, method: "POST", path: path, body: try body.jsonData(),
                                      contentType: "application/json")
    }

    /// PUT a whole object (or its `status` subresource). The body must carry `metadata.resourceVersion`:
    /// the server rejects the write with 409 Conflict when the object changed since (optimistic concurrency).
    public func update(_ gvr: GroupVersionResource, namespace: String? = nil, body: JSONValue,
                       subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let namespace = try requireNamespace(gvr, namespace ?? body[path: ["metadata", "namespace"]]?.stringValue)
        let name = try requireName(body[path: ["metadata", "name"]]?.stringValue, gvr)
        guard let version = body[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty else {
            throw KubeClientError.invalidRequest(
                "update of \(gvr.resource) \"\(name)\" has no metadata.resourceVersion, so it would overwrite "
                    + "changes blindly; get the object first and update that, or use patch or apply")
        }
        let path = ResourcePath.withQuery(
            ResourcePath.path(gvr, namespace: namespace, name: name, subresource: subresource), options.queryItems)
        return try await sendDecoding(JSONValue.self, method: "PUT", path: path, body: try body.jsonData(),
                                      contentType: "application/json")
    }

    /// PATCH an object (or its `status` subresource) with a merge, JSON, strategic-merge or apply patch.
    public func patch(_ gvr: GroupVersionResource, namespace: String? = nil, name: String, patch: Patch,
                      subresource: String? = nil, options: PatchOptions = PatchOptions()) async throws -> JSONValue {
        let request = try patchRequest(gvr, namespace: namespace, name: name, patch: patch, subresource: subresource,
                                       options: options)
        return try await sendDecoding(JSONValue.self, method: "PATCH", path: request.path, body: request.body,
                                      contentType: patch.contentType)
    }

    /// DELETE an object. Returns the server's reply: the object (still terminating, with finalizers or
    /// foreground deletion) or a `Status`.
    @discardableResult
    public func delete(_ gvr: GroupVersionResource, namespace: String? = nil, name: String,
                       options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        var query: [(String, String)] = []
        if let policy = options.propagationPolicy { query.append(("propagationPolicy", policy.rawValue)) }
        let path = ResourcePath.withQuery(
            ResourcePath.path(gvr, namespace: try requireNamespace(gvr, namespace), name: name), query)
        return try await sendDecoding(JSONValue.self, method: "DELETE", path: path, body: try options.body.jsonData(),
                                      contentType: "application/json")
    }

    // MARK: - Status subresource

    /// GET the `status` subresource.
    public func getStatus(_ gvr: GroupVersionResource, namespace: String? = nil, name: String) async throws
        -> JSONValue
    {
        try await get(gvr, namespace: namespace, name: name, subresource: "status")
    }

    /// PUT the `status` subresource: the server takes only `status` from the body and ignores spec changes.
    public func updateStatus(_ gvr: GroupVersionResource, namespace: String? = nil, body: JSONValue,
                             options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await update(gvr, namespace: namespace, body: body, subresource: "status", options: options)
    }

    /// PATCH the `status` subresource.
    public func patchStatus(_ gvr: GroupVersionResource, namespace: String? = nil, name: String, patch: Patch,
                            options: PatchOptions = PatchOptions()) async throws -> JSONValue {
        try await self.patch(gvr, namespace: namespace, name: name, patch: patch, subresource: "status",
                             options: options)
    }

    // MARK: - Shared

    func patchRequest(_ gvr: GroupVersionResource, namespace: String?, name: String, patch: Patch,
                      subresource: String?, options: PatchOptions) throws -> (path: String, body: Data) {
        var query: [(String, String)] = []
        if case .apply = patch {
            guard let manager = options.fieldManager, !manager.isEmpty else {
                throw KubeClientError.invalidRequest(
                    "server-side apply needs a field manager: pass PatchOptions(fieldManager: \"your-controller\")")
            }
            query.append(("fieldManager", manager))
            if options.force { query.append(("force", "true")) }
        } else {
            if let manager = options.fieldManager { query.append(("fieldManager", manager)) }
            if options.force {
                throw KubeClientError.invalidRequest("force applies only to server-side apply patches (.apply)")
            }
        }
        if options.dryRun { query.append(("dryRun", "All")) }
        let path = ResourcePath.withQuery(
            ResourcePath.path(gvr, namespace: try requireNamespace(gvr, namespace), name: name,
                              subresource: subresource), query)
        return (path, try patch.body.jsonData())
    }

    func list<L: Decodable>(_ type: L.Type, _ gvr: GroupVersionResource, namespace: String?,
                            options: ListOptions) async throws -> L {
        let path = ResourcePath.withQuery(
            ResourcePath.path(gvr, namespace: gvr.namespaced ? namespace : nil), options.queryItems)
        return try await sendDecoding(L.self, method: "GET", path: path)
    }

    /// Follows `continue` tokens until the last page. `limit` defaults to 500 per page.
    func listAll<Item: Decodable & Sendable>(_ item: Item.Type, _ gvr: GroupVersionResource, namespace: String?,
                                           options: ListOptions) async throws -> KubeList<Item> {
        var items: [Item] = []
        var undecodable: [UndecodableObject] = []
        var all = try await forEachPage(Item.self, gvr, namespace: namespace, options: options) { page in
            items.append(contentsOf: page.items)
            undecodable.append(contentsOf: page.undecodable)
        }
        all.items = items
        all.undecodable = undecodable
        return all
    }

    /// Lists page by page, following `continue` tokens, and hands each page to `body` as it
    /// arrives; returns the first page's list envelope (its resourceVersion is the list's) without
    /// items. `limit` defaults to 500 per page.
    func forEachPage<Item: Decodable & Sendable>(_ item: Item.Type, _ gvr: GroupVersionResource, namespace: String?,
                                               options: ListOptions, body: (KubeList<Item>) async throws -> Void)
        async throws -> KubeList<Item>
    {
        var pageOptions = options
        if pageOptions.limit == nil { pageOptions.limit = 500 }
        var first = try await list(KubeList<Item>.self, gvr, namespace: namespace, options: pageOptions)
        var token = first.metadata.continue
        try await body(first)
        first.items = []
        first.undecodable = []
        var pages = 1
        while let next = token, !next.isEmpty {
            pageOptions.continueToken = next
            // Later pages come from the snapshot the token names; a resourceVersion would be rejected.
            pageOptions.resourceVersion = nil
            pageOptions.resourceVersionMatch = nil
            let page = try await list(KubeList<Item>.self, gvr, namespace: namespace, options: pageOptions)
            token = page.metadata.continue
            try await body(page)
            pages += 1
            if pages > 1_000_000 { throw KubeClientError.invalidRequest("list of \(gvr) did not end after 1e6 pages") }
        }
        first.metadata.continue = nil
        first.metadata.remainingItemCount = nil
        return first
    }
}
