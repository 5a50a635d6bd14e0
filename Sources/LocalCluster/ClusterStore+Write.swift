import Foundation
import KubeClient

extension ClusterStore {
    // MARK: - Create

    /// Creates an object (POST). 409 AlreadyExists when the name is taken; 422 Invalid for bad names or
    /// (custom resources) schema violations.
    public func create(_ type: ResourceType, namespace: String?, object body: JSONValue) throws(APIError) -> JSONValue {
        try create(type, namespace: namespace, body: body, options: WriteOptions())
    }

    func create(_ type: ResourceType, namespace requestNamespace: String?, body: JSONValue,
                options: WriteOptions) throws(APIError) -> JSONValue {
        guard case .object = body else { throw APIError.badRequest("the body of the request must be a JSON object") }
        var object = body
        try checkKind(object, type)
        let namespace = try resolveNamespace(type, requestNamespace: requestNamespace, object: object)
        var name = object.metaName
        if name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            repeat {
                name = prefix + NameValidation.randomSuffix()
            } while objects[type.storageKey]?[key(type, namespace, name)] != nil
        }
        if name.isEmpty {
            throw APIError.invalid(type, "", [FieldError(reason: "FieldValueRequired", field: "metadata.name",
                                                         detail: "Required value: name or generateName is required")])
        }
        let nameError = type.plural == "namespaces" ? NameValidation.labelError(name) : NameValidation.subdomainError(name)
        if let nameError { throw APIError.invalid(type, name, [nameError]) }
        let objectKey = key(type, namespace, name)
        if objects[type.storageKey]?[objectKey] != nil { throw APIError.alreadyExists(type, name) }
        if type.namespaced, let namespace { try ensureNamespace(namespace, dryRun: options.dryRun) }

        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata["name"] = .string(name)
        if type.namespaced { metadata["namespace"] = namespace.map(JSONValue.string) } else { metadata["namespace"] = nil }
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Timestamp.now())
        metadata["deletionTimestamp"] = nil
        metadata["generation"] = .int(1)
        metadata["resourceVersion"] = nil
        metadata["selfLink"] = nil
        object["metadata"] = .object(metadata)
        if type.isCustom && type.hasStatus || ["deployments.apps", "replicasets.apps", "services"].contains(type.storageKey) {
            object["status"] = nil
        }
        object = BuiltinDefaults.apply(to: object, type: type)
        object = try admitCustom(object, old: nil, type: type, options: options)
        if type.storageKey == BuiltinResources.customResourceDefinitions.storageKey {
            object = try admitCRD(object)
        }
        if options.dryRun { return presented(object, as: type) }
        let stored = store(object, type: type, key: objectKey, eventType: .added, previous: nil)
        countWrite("create", type)
        return presented(stored, as: type)
    }

    // MARK: - Update

    /// Replaces an object (PUT) or its status (`subresource: "status"`). 409 Conflict when the body's
    /// resourceVersion is stale; an empty resourceVersion updates unconditionally.
    public func update(_ type: ResourceType, namespace: String?, name: String, object body: JSONValue,
                       subresource: String? = nil) throws(APIError) -> JSONValue {
        try update(type, namespace: namespace, name: name, body: body, subresource: subresource, options: WriteOptions(),
                   verb: "update")
    }

    func update(_ type: ResourceType, namespace: String?, name: String, body: JSONValue, subresource: String?,
                options: WriteOptions, verb: String) throws(APIError) -> JSONValue {
        guard case .object = body else { throw APIError.badRequest("the body of the request must be a JSON object") }
        if subresource == "scale" {
            return try updateScale(type, namespace: namespace, name: name, scale: body, options: options, verb: verb)
        }
        if let subresource, subresource != "status" || !type.hasStatus {
            throw APIError.notFound(type, "\(name)/\(subresource)")
        }
        try checkKind(body, type)
        let objectKey = key(type, namespace, name)
        guard let old = objects[type.storageKey]?[objectKey] else { throw APIError.notFound(type, name) }
        let bodyName = body.metaName
        if !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if type.namespaced, let bodyNamespace = body.metaNamespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let requestedRV = body.metaResourceVersion
        if !requestedRV.isEmpty, requestedRV != old.metaResourceVersion { throw APIError.conflict(type, name) }

        var object: JSONValue
        if subresource == "status" {
            object = old
            object["status"] = body["status"]
        } else {
            object = body
            var metadata = object["metadata"]?.objectValue ?? [:]
            for preserved in ["uid", "creationTimestamp", "deletionTimestamp", "generation", "namespace", "name",
                              "deletionGracePeriodSeconds"] {
                metadata[preserved] = old[path: ["metadata", preserved]]
            }
            object["metadata"] = .object(metadata)
            if type.hasStatus { object["status"] = old["status"] }
            if old.metaDeletionTimestamp != nil {
                let added = Set(object.metaFinalizers).subtracting(old.metaFinalizers)
                if !added.isEmpty {
                    throw APIError.invalid(type, name, [FieldError(
                        reason: "FieldValueForbidden", field: "metadata.finalizers",
                        detail: "Forbidden: no new finalizers can be added if the object is being deleted, found new "
                            + "finalizers \(added.sorted())")])
                }
            }
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        object = BuiltinDefaults.apply(to: object, type: type)
        object = try admitCustom(object, old: old, type: type, options: options)
        if type.storageKey == BuiltinResources.customResourceDefinitions.storageKey, subresource == nil {
            object = try admitCRD(object)
        }
        if Self.generationRelevantContent(object) != Self.generationRelevantContent(old) {
            object[path: ["metadata", "generation"]] = .int((old[path: ["metadata", "generation"]]?.intValue ?? 1) + 1)
        }
        if options.dryRun { return presented(object, as: type) }
        countWrite(verb, type, subresource: subresource)
        if object.withResourceVersion(nil) == old.withResourceVersion(nil) {
            return presented(old, as: type)
        }
        if object.metaDeletionTimestamp != nil, object.metaFinalizers.isEmpty {
            let removed = remove(type: type, key: objectKey)
            collectGarbage()
            return presented(removed, as: type)
        }
        let stored = store(object, type: type, key: objectKey, eventType: .modified, previous: old)
        if object.metaDeletionTimestamp != nil { collectGarbage() }
        return presented(stored, as: type)
    }

    /// What a change must touch to bump `metadata.generation`: `spec`, or for objects without a spec
    /// everything but metadata and status.
    static func generationRelevantContent(_ object: JSONValue) -> JSONValue {
        if let spec = object["spec"] { return spec }
        var rest = object
        rest["metadata"] = nil
        rest["status"] = nil
        rest["apiVersion"] = nil
        rest["kind"] = nil
        return rest
    }

    // MARK: - Patch

    /// Patches an object or its status/scale subresource. Server-side apply (`application/apply-patch+yaml`)
    /// creates the object when missing and otherwise merges the applied configuration into it.
    func patch(_ type: ResourceType, namespace: String?, name: String, patchType: PatchType, patch: JSONValue,
               subresource: String?, options: WriteOptions) throws(APIError) -> JSONValue {
        let objectKey = key(type, namespace, name)
        guard let old = objects[type.storageKey]?[objectKey] else {
            if patchType == .apply, subresource == nil {
                var body = patch
                body[path: ["metadata", "name"]] = .string(name)
                if type.namespaced, let namespace { body[path: ["metadata", "namespace"]] = .string(namespace) }
                let created = try create(type, namespace: namespace, body: body, options: options)
                return created
            }
            throw APIError.notFound(type, name)
        }
        var current = presented(old, as: type)
        if subresource == "scale" { current = try scale(of: old, type: type) }
        let patched: JSONValue
        switch patchType {
        case .json: patched = try JSONPatch.apply(patch, to: current)
        case .merge: patched = current.applyingMergePatch(patch)
        case .strategic:
            if type.isCustom {
                throw APIError(code: 415, reason: "UnsupportedMediaType",
                               message: "the body of the request was in an unknown format - accepted media types include: "
                                   + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            patched = try StrategicMergePatch.apply(patch, to: current)
        case .apply:
            if let applyName = patch["metadata"]?["name"]?.stringValue, applyName != name {
                throw APIError.badRequest("the name of the object (\(applyName)) does not match the name on the URL (\(name))")
            }
            var applied = type.isCustom ? current.applyingMergePatch(patch) : try StrategicMergePatch.apply(patch, to: current)
            applied[path: ["metadata", "resourceVersion"]] = nil
            patched = applied
        }
        var body = patched
        if patchType != .apply, subresource != "scale",
           patch[path: ["metadata", "resourceVersion"]] == nil, !(patchType == .json && Self.jsonPatchTouchesRV(patch)) {
            body[path: ["metadata", "resourceVersion"]] = nil
        }
        return try update(type, namespace: namespace, name: name, body: body, subresource: subresource, options: options,
                          verb: patchType == .apply ? "apply" : "patch")
    }

    private static func jsonPatchTouchesRV(_ patch: JSONValue) -> Bool {
        (patch.arrayValue ?? []).contains { $0["path"]?.stringValue == "/metadata/resourceVersion" }
    }

    // MARK: - Scale

    /// The autoscaling/v1 Scale view of an object.
    func scale(of object: JSONValue, type: ResourceType) throws(APIError) -> JSONValue {
        guard let scale = type.scale else { throw APIError.notFound(type, object.metaName + "/scale") }
        var selector = ""
        if let path = scale.labelSelectorPath {
            selector = object[path: path]?.stringValue ?? ""
        }
        if selector.isEmpty, let structured = object[path: ["spec", "selector"]], case .object = structured {
            selector = LabelSelector(structured: structured).text
        }
        var metadata: JSONValue = [
            "name": .string(object.metaName), "uid": .string(object.metaUID),
            "resourceVersion": .string(object.metaResourceVersion),
            "creationTimestamp": object[path: ["metadata", "creationTimestamp"]] ?? .null,
        ]
        if let namespace = object.metaNamespace { metadata["namespace"] = .string(namespace) }
        var status: JSONValue = ["replicas": .int(object[path: scale.statusReplicasPath]?.intValue ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return [
            "apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": metadata,
            "spec": ["replicas": .int(object[path: scale.specReplicasPath]?.intValue ?? 0)],
            "status": status,
        ]
    }

    func getScale(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard let object = objects[type.storageKey]?[key(type, namespace, name)] else { throw APIError.notFound(type, name) }
        return try scale(of: object, type: type)
    }

    private func updateScale(_ type: ResourceType, namespace: String?, name: String, scale body: JSONValue,
                             options: WriteOptions, verb: String) throws(APIError) -> JSONValue {
        guard let scaleSpec = type.scale else { throw APIError.notFound(type, "\(name)/scale") }
        let objectKey = key(type, namespace, name)
        guard let old = objects[type.storageKey]?[objectKey] else { throw APIError.notFound(type, name) }
        let requestedRV = body.metaResourceVersion
        if !requestedRV.isEmpty, requestedRV != old.metaResourceVersion { throw APIError.conflict(type, name) }
        guard let replicas = body[path: ["spec", "replicas"]]?.intValue else {
            throw APIError.invalid(type, name, [.required("spec.replicas")])
        }
        if replicas < 0 {
            throw APIError.invalid(type, name, [.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0")])
        }
        var object = old
        object[path: scaleSpec.specReplicasPath] = .int(replicas)
        object = try admitCustom(object, old: old, type: type, options: options)
        if Self.generationRelevantContent(object) != Self.generationRelevantContent(old) {
            object[path: ["metadata", "generation"]] = .int((old[path: ["metadata", "generation"]]?.intValue ?? 1) + 1)
        }
        if options.dryRun { return try scale(of: object, type: type) }
        countWrite(verb, type, subresource: "scale")
        let stored = object == old ? old : store(object, type: type, key: objectKey, eventType: .modified, previous: old)
        return try scale(of: stored, type: type)
    }

    // MARK: - Storage primitives

    /// Stores `object` under a fresh resourceVersion and records the watch event.
    @discardableResult
    func store(_ object: JSONValue, type: ResourceType, key objectKey: ObjectKey, eventType: WatchEventType,
               previous: JSONValue?) -> JSONValue {
        var stored = object
        let rv = nextResourceVersion()
        stored[path: ["metadata", "resourceVersion"]] = .string(String(rv))
        objects[type.storageKey, default: [:]][objectKey] = stored
        history.record(StoredEvent(resourceVersion: rv, storageKey: type.storageKey, type: eventType, object: stored,
                                   previous: previous))
        return stored
    }

    /// Removes an object for good, recording a DELETED event (its object carries the deletion's resourceVersion).
    @discardableResult
    func remove(type: ResourceType, key objectKey: ObjectKey) -> JSONValue {
        guard var object = objects[type.storageKey]?.removeValue(forKey: objectKey) else { return .null }
        let rv = nextResourceVersion()
        object[path: ["metadata", "resourceVersion"]] = .string(String(rv))
        history.record(StoredEvent(resourceVersion: rv, storageKey: type.storageKey, type: .deleted, object: object,
                                   previous: nil))
        if type.storageKey == BuiltinResources.customResourceDefinitions.storageKey {
            removeCustomResources(of: object)
        }
        return object
    }

    // MARK: - Admission

    private func checkKind(_ object: JSONValue, _ type: ResourceType) throws(APIError) {
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the API version in the data (\(object["apiVersion"]?.stringValue ?? "")) does "
                + "not match the expected API version (\(type.apiVersion)) or the kind (\(kind)) does not match "
                + "\(type.kind)")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != type.apiVersion,
           !(type.isCustom && apiVersion.hasPrefix(type.group + "/")) {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API "
                + "version (\(type.apiVersion))")
        }
    }

    private func resolveNamespace(_ type: ResourceType, requestNamespace: String?, object: JSONValue) throws(APIError)
        -> String?
    {
        guard type.namespaced else { return nil }
        let bodyNamespace = object.metaNamespace ?? ""
        if let requestNamespace, !bodyNamespace.isEmpty, bodyNamespace != requestNamespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let namespace = requestNamespace ?? (bodyNamespace.isEmpty ? "default" : bodyNamespace)
        return namespace
    }

    func ensureNamespace(_ name: String, dryRun: Bool) throws(APIError) {
        let namespaces = BuiltinResources.namespaces
        if let existing = objects[namespaces.storageKey]?[ObjectKey(namespace: "", name: name)] {
            if existing.metaDeletionTimestamp != nil {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "unable to create new content in namespace \(name) because it is being terminated")
            }
            return
        }
        guard autoCreateNamespaces else { throw APIError.notFound(namespaces, name) }
        if dryRun { return }
        _ = try create(namespaces, namespace: nil, body: ["metadata": ["name": .string(name)]], options: WriteOptions())
    }

    /// Defaults, prunes and validates a custom object against its CRD schema.
    private func admitCustom(_ object: JSONValue, old: JSONValue?, type: ResourceType, options: WriteOptions)
        throws(APIError) -> JSONValue
    {
        guard type.isCustom, let schema = type.schema else { return object }
        let validator = SchemaValidator(schema: schema, logger: logger)
        let (normalized, pruned) = validator.normalize(object)
        if options.fieldValidation == "Strict", !pruned.isEmpty {
            let list = pruned.map { "unknown field \"\($0)\"" }
            throw APIError.badRequest("strict decoding error: " + list.joined(separator: ", "))
        }
        let errors = validator.validate(normalized, old: old)
        if !errors.isEmpty { throw APIError.invalid(type, object.metaName, errors) }
        return normalized
    }

    /// Validates a CRD, registers the resources it serves and marks it Established.
    private func admitCRD(_ crd: JSONValue) throws(APIError) -> JSONValue {
        let (types, errors) = CRDTypes.resourceTypes(of: crd)
        if !errors.isEmpty {
            throw APIError.invalid(BuiltinResources.customResourceDefinitions, crd.metaName, errors)
        }
        do {
            for type in types {
                if let existing = registry.lookup(group: type.group, version: type.version, plural: type.plural),
                   !existing.isCustom {
                    throw APIError.invalid(BuiltinResources.customResourceDefinitions, crd.metaName, [
                        .invalid("spec.names.plural", .string(type.plural), "conflicts with a built-in resource"),
                    ])
                }
            }
            registry.register(crdName: crd.metaName, types: types)
            var accepted = crd
            accepted["status"] = CRDTypes.acceptedStatus(of: crd, now: Timestamp.now())
            return accepted
        }
    }

    private func removeCustomResources(of crd: JSONValue) {
        guard let type = registry.types.first(where: { "\($0.plural).\($0.group)" == crd.metaName }) else { return }
        for objectKey in (objects[type.storageKey] ?? [:]).keys.sorted() {
            remove(type: type, key: objectKey)
        }
        registry.unregister(crdName: crd.metaName)
    }
}

extension JSONValue {
    func withResourceVersion(_ rv: String?) -> JSONValue {
        var copy = self
        copy[path: ["metadata", "resourceVersion"]] = rv.map(JSONValue.string)
        return copy
    }

}
