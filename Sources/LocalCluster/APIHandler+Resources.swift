import Foundation
import KubeClient
import KubeModel

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
        if let user = request.restrictedUser {
            throw APIError.forbidden(user: user, verb: Self.verb(request, target: target), type: target.type,
                                     namespace: target.namespace, name: target.name, subresource: target.subresource)
        }
        let table = TableRequest(accept: request.headers["accept"] ?? "", query: query)
        if target.type.isReview {
            guard request.method == "POST", target.name == nil else { throw APIError.methodNotAllowed() }
            var review = try Self.parseBody(request)
            review["apiVersion"] = .string(target.type.apiVersion)
            review["kind"] = .string(target.type.kind)
            // No authorization here: every authenticated request may do anything.
            review["status"] = ["allowed": true, "reason": "LocalCluster allows every authenticated request"]
            return Self.json(review, status: 201)
        }
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
            if let token = page.continueToken {
                metadata["continue"] = .string(token)
            } else if target.type.isCustom {
                metadata["continue"] = ""  // as a real server lists custom resources
            }
            if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remaining)) }
            if let table {
                return Self.json(TableConverter(type: target.type, includeObject: table.includeObject)
                    .table(for: page.items, listMetadata: metadata))
            }
            return Self.json(ListPresentation.list(target.type, metadata: metadata, items: page.items))
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
            let (body, options, warnings) = decodedForWrite(
                try Self.parseBody(request), type: target.type, options: Self.writeOptions(query, headers: request.headers))
            let created = try await store.create(target.type, namespace: target.namespace, body: body, options: options)
            return Self.json(created, status: 201, headers: warnings)
        case ("PUT", let name?):
            let parsed = try Self.parseBody(request)
            let requested = Self.writeOptions(query, headers: request.headers)
            // A scale body is a Scale, not the resource: the store reads it as one.
            let (body, options, warnings) = target.subresource == "scale"
                ? (parsed, requested, unknownFieldWarnings(parsed, type: target.type, options: requested))
                : decodedForWrite(parsed, type: target.type, options: requested)
            let updated = try await store.update(target.type, namespace: target.namespace, name: name, body: body,
                                                 subresource: target.subresource, options: options, verb: "update")
            return Self.json(updated, headers: warnings)
        case ("PATCH", let name?):
            let contentType = request.headers["content-type"] ?? ""
            guard let patchType = PatchType(contentType: contentType) else {
                throw APIError.unsupportedMediaType(contentType)
            }
            let body = try Self.parseBody(request)
            let options = Self.writeOptions(query, headers: request.headers)
            let warnings = patchType == .json ? []
                : unknownFieldWarnings(BodyDecoding.withoutDirectives(body), type: target.type, options: options)
            let (patched, created) = try await store.patch(
                target.type, namespace: target.namespace, name: name, patchType: patchType, patch: body,
                subresource: target.subresource, options: options)
            return Self.json(patched, status: created ? 201 : 200, headers: warnings)
        case ("DELETE", let name?):
            let body = request.body.isEmpty ? nil : try? JSONValue.parse(request.body)
            let deleted = try await store.delete(target.type, namespace: target.namespace, name: name,
                                                 options: DeleteOptions(body: body, query: query))
            // 202 Accepted while finalizers keep the object (it then carries a deletionTimestamp); 200 once gone.
            if deleted.metaDeletionTimestamp != nil { return Self.json(deleted, status: 202) }
            return Self.json(ListPresentation.deleted(deleted, type: target.type))
        case ("DELETE", nil):
            let body = request.body.isEmpty ? nil : try? JSONValue.parse(request.body)
            let deleted = try await store.deleteCollection(
                target.type, namespace: target.namespace,
                labelSelector: try LabelSelector(parsing: query["labelSelector"] ?? ""),
                fieldSelector: try FieldSelector(parsing: query["fieldSelector"] ?? "", for: target.type),
                options: DeleteOptions(body: body, query: query))
            return Self.json(ListPresentation.list(target.type, metadata: [:], items: deleted))
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

    /// The RBAC verb of a request: get, list, watch, create, update, patch, delete or deletecollection.
    static func verb(_ request: ServerRequest, target: ResourceRequest) -> String {
        switch (request.method, target.name) {
        case ("GET", nil):
            return ["true", "1"].contains(request.query["watch"] ?? "") ? "watch" : "list"
        case ("GET", _): return "get"
        case ("POST", _): return "create"
        case ("PUT", _): return "update"
        case ("PATCH", _): return "patch"
        case ("DELETE", nil): return "deletecollection"
        case ("DELETE", _): return "delete"
        default: return request.method.lowercased()
        }
    }

    static func parseBody(_ request: ServerRequest) throws(APIError) -> JSONValue {
        guard !request.body.isEmpty else { throw APIError.badRequest("the request body is empty; send a JSON object") }
        let contentType = request.headers["content-type"] ?? ""
        if contentType.contains("protobuf"), let decoded = ProtobufBodies.decode(request.body) {
            return decoded
        }
        if contentType.contains("protobuf") || contentType.contains("cbor") {
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "LocalCluster accepts JSON (and YAML for apply) request bodies, not \(contentType); "
                               + "kubectl's typed generators send protobuf, which is understood only for Namespace, "
                               + "ConfigMap, Secret, ServiceAccount, Deployment and Service: write the object to a file and use kubectl apply -f or "
                               + "kubectl create -f instead")
        }
        do {
            return try JSONValue.parse(request.body)
        } catch {
            guard contentType.contains("yaml") else {
                throw APIError.badRequest("the request body is not valid JSON: \(error)")
            }
            do {
                return try YAML.parse(String(decoding: request.body, as: UTF8.self))
            } catch {
                throw APIError.badRequest("the request body is neither JSON nor valid YAML: \(error)")
            }
        }
    }

    /// `dryRun`, `fieldValidation`, `force`, and the field manager: `fieldManager`, else the User-Agent's
    /// product name (`kubectl/v1.25.0 (linux/amd64)` -> `kubectl`), as a real server names it.
    static func writeOptions(_ query: [String: String], headers: [String: String] = [:]) -> WriteOptions {
        var options = WriteOptions()
        options.dryRun = query["dryRun"] != nil
        if let validation = query["fieldValidation"] { options.fieldValidation = validation }
        let agent = headers["user-agent"].flatMap { $0.split(separator: "/").first.map(String.init) }
        options.fieldManager = query["fieldManager"] ?? agent.map { String($0.prefix(128)) } ?? "unknown"
        options.force = query["force"] == "true"
        return options
    }

    /// The body a create or update hands the store, its options and `Warning` headers. Under the
    /// default (`Warn`) validation the body is decoded here, once, for its unknown fields, and
    /// handed on decoded: the store would decode it again to the same object. A body that does
    /// not decode goes on as sent, for the store to refuse with its 400.
    private func decodedForWrite(_ body: JSONValue, type: ResourceType, options: WriteOptions)
        -> (body: JSONValue, options: WriteOptions, warnings: [(name: String, value: String)])
    {
        guard options.fieldValidation == "Warn", let decoded = try? BodyDecoding.decode(body, type: type, logger: logger)
        else { return (body, options, []) }
        var decodedOptions = options
        decodedOptions.bodyIsDecoded = true
        return (decoded.object, decodedOptions, BodyDecoding.warnings(unknownFields: decoded.unknownFields))
    }

    /// `Warning` headers for the unknown fields of a request body under the default (`Warn`) validation.
    private func unknownFieldWarnings(_ body: JSONValue, type: ResourceType, options: WriteOptions)
        -> [(name: String, value: String)]
    {
        guard options.fieldValidation == "Warn",
              let unknown = try? BodyDecoding.decode(body, type: type, logger: logger).unknownFields else { return [] }
        return BodyDecoding.warnings(unknownFields: unknown)
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
