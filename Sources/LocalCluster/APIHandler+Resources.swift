import Foundation
import KubeClient

/// Where a resource request points: the type, namespace, object name and subresource.
struct ResourceRequest {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?
}

extension APIHandler {
    func resource(_ request: ServerRequest, group: String, version: String, rest: [String]) async throws(APIError)
        -> ServerResponse
    {
        let target = try await resolve(group: group, version: version, rest: rest)
        let query = request.query
        let table = TableRequest(accept: request.headers["accept"] ?? "", query: query)
        switch (request.method, target.name) {
        case ("GET", nil):
            let isWatch = query["watch"].map { $0 == "true" || $0 == "1" } ?? false
            let labelSelector = try LabelSelector(parsing: query["labelSelector"] ?? "")
            let fieldSelector = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: target.type)
            if isWatch {
                return try await watch(target, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                       query: query, table: table)
            }
            let limit = query["limit"].flatMap { Int($0) }
            let page = try await store.listPage(target.type, namespace: target.namespace, labelSelector: labelSelector,
                                                fieldSelector: fieldSelector, limit: limit,
                                                continueToken: query["continue"])
            var metadata: JSONValue = ["resourceVersion": .string(page.resourceVersion)]
            if let token = page.continueToken { metadata["continue"] = .string(token) }
            if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remaining)) }
            if let table {
                return Self.json(TableConverter(type: target.type, includeObject: table.includeObject)
                    .table(for: page.items, listMetadata: metadata))
            }
            return Self.json([
                "kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion),
                "metadata": metadata, "items": .array(page.items),
            ])
        case ("GET", let name?):
            let object: JSONValue
            if target.subresource == "scale" {
                object = try await store.getScale(target.type, namespace: target.namespace, name: name)
                return Self.json(object)
            }
            if let subresource = target.subresource, subresource != "status" || !target.type.hasStatus {
                throw APIError.notFound(target.type, "\(name)/\(subresource)")
            }
            object = try await store.get(target.type, namespace: target.namespace, name: name)
            if let table {
                return Self.json(TableConverter(type: target.type, includeObject: table.includeObject)
                    .table(for: [object], listMetadata: ["resourceVersion": .string(object.metaResourceVersion)]))
            }
            return Self.json(object)
        case ("POST", nil):
            let body = try Self.parseBody(request)
            let created = try await store.create(target.type, namespace: target.namespace, body: body,
                                                 options: Self.writeOptions(query))
            return Self.json(created, status: 201)
        case ("PUT", let name?):
            let body = try Self.parseBody(request)
            let updated = try await store.update(target.type, namespace: target.namespace, name: name, body: body,
                                                 subresource: target.subresource, options: Self.writeOptions(query),
                                                 verb: "update")
            return Self.json(updated)
        case ("PATCH", let name?):
            let contentType = request.headers["content-type"] ?? ""
            guard let patchType = PatchType(contentType: contentType) else {
                throw APIError.unsupportedMediaType(contentType)
            }
            let body = try Self.parseBody(request)
            let existed = (try? await store.get(target.type, namespace: target.namespace, name: name)) != nil
            let patched = try await store.patch(target.type, namespace: target.namespace, name: name,
                                                patchType: patchType, patch: body, subresource: target.subresource,
                                                options: Self.writeOptions(query))
            return Self.json(patched, status: existed ? 200 : 201)
        case ("DELETE", let name?):
            let body = request.body.isEmpty ? nil : try? JSONValue.parse(request.body)
            let deleted = try await store.delete(target.type, namespace: target.namespace, name: name,
                                                 options: DeleteOptions(body: body, query: query))
            return Self.json(deleted)
        case ("DELETE", nil):
            let body = request.body.isEmpty ? nil : try? JSONValue.parse(request.body)
            let deleted = try await store.deleteCollection(
                target.type, namespace: target.namespace,
                labelSelector: try LabelSelector(parsing: query["labelSelector"] ?? ""),
                fieldSelector: try FieldSelector(parsing: query["fieldSelector"] ?? "", for: target.type),
                options: DeleteOptions(body: body, query: query))
            return Self.json([
                "kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion),
                "metadata": [:], "items": .array(deleted),
            ])
        default:
            throw APIError.methodNotAllowed()
        }
    }

    /// Parses `.../namespaces/NS/PLURAL/NAME/SUB` or `.../PLURAL/NAME/SUB` (and the namespaces resource itself).
    private func resolve(group: String, version: String, rest: [String]) async throws(APIError) -> ResourceRequest {
        var parts = rest
        var namespace: String?
        let namespaceSubresource = parts.count == 3 && ["status", "finalize"].contains(parts[2])
        if group.isEmpty, parts.first == "namespaces", parts.count >= 3, !namespaceSubresource {
            namespace = parts[1]
            parts.removeFirst(2)
        } else if !group.isEmpty, parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let plural = parts.first, parts.count <= 3 else { throw Self.notFoundPath }
        guard let type = await store.resourceType(group: group, version: version, plural: plural) else {
            throw Self.notFoundPath
        }
        if namespace != nil, !type.namespaced { throw Self.notFoundPath }
        if namespace == nil, type.namespaced, parts.count > 1 { throw Self.notFoundPath }
        var subresource = parts.count > 2 ? parts[2] : nil
        if subresource == "finalize", type.plural == "namespaces" { subresource = "status" }
        return ResourceRequest(type: type, namespace: namespace, name: parts.count > 1 ? parts[1] : nil,
                               subresource: subresource)
    }

    static func parseBody(_ request: ServerRequest) throws(APIError) -> JSONValue {
        guard !request.body.isEmpty else { throw APIError.badRequest("the request body is empty; send a JSON object") }
        do {
            return try JSONValue.parse(request.body)
        } catch {
            let contentType = request.headers["content-type"] ?? ""
            if contentType.contains("yaml") {
                throw APIError.badRequest("this server accepts YAML request bodies only in their JSON form "
                    + "(YAML flow style); send application/json or JSON text")
            }
            throw APIError.badRequest("the request body is not valid JSON: \(error)")
        }
    }

    static func writeOptions(_ query: [String: String]) -> WriteOptions {
        var options = WriteOptions()
        options.dryRun = query["dryRun"] != nil
        if let validation = query["fieldValidation"] { options.fieldValidation = validation }
        options.fieldManager = query["fieldManager"]
        options.force = query["force"] == "true"
        return options
    }
}

/// Whether (and how) the client asked for `Table` output.
struct TableRequest {
    var includeObject: String

    init?(accept: String, query: [String: String]) {
        guard accept.contains("as=Table") else { return nil }
        includeObject = query["includeObject"] ?? "Metadata"
    }
}
