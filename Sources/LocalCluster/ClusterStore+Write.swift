import Foundation
import KubeClient
import KubeModel

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
        try checkKind(body, type)
        var object = try decodeBody(body, type: type, options: options)
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
        let objectKey = key(type, namespace, name)
        if type.namespaced, let namespace { try ensureNamespace(namespace, dryRun: options.dryRun) }

        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata["name"] = .string(name)
        if type.namespaced { metadata["namespace"] = namespace.map(JSONValue.string) } else { metadata["namespace"] = nil }
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Timestamp.now())
        metadata["deletionTimestamp"] = nil
        metadata["generation"] = type.tracksGeneration ? .int(1) : nil
        metadata["resourceVersion"] = nil
        metadata["selfLink"] = nil
        object["metadata"] = .object(metadata)
        if type.isCustom && type.hasStatus || ["deployments.apps", "replicasets.apps", "services"].contains(type.storageKey) {
            object["status"] = nil
        }
        var errors: [FieldError] = []
        if let nameError = BuiltinValidation.nameError(name, type: type) { errors.append(nameError) }
        errors += NameValidation.labelErrors(object)
        object = BuiltinDefaults.apply(to: object, type: type)
        let (admitted, schemaErrors) = admitCustom(object, old: nil, type: type, bodyNormalized: true)
        object = admitted
        errors += schemaErrors
        errors += BuiltinValidation.errors(object, type: type)
        if !errors.isEmpty { throw APIError.invalid(type, name, errors) }
        try admitPodSecurity(object, old: nil, type: type, subresource: nil)
        if objects[type.storageKey]?[objectKey] != nil { throw APIError.alreadyExists(type, name) }
        if type.storageKey == BuiltinResources.customResourceDefinitions.storageKey {
            object = try admitCRD(object, dryRun: options.dryRun)
        }
        let base = ManagedFieldsTracker.baseEntries(request: body, stored: nil, subresource: nil)
        object[path: ["metadata", "managedFields"]] = try managedFields(
            type, options: options, subresource: nil, base: base, old: nil, new: object)
        if type.storageKey == BuiltinResources.pods.storageKey { object = PodAdmission.admitOnCreate(object) }
        if options.dryRun { return presented(object, as: type) }
        let stored = store(object, type: type, key: objectKey, eventType: .added, previous: nil)
        if options.counted { countWrite("create", type) }
        collectIfOrphaned(stored, type: type, key: objectKey)
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
        let decoded = try decodeBody(body, type: type, options: options)
        let bodyName = decoded.metaName
        if !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if type.namespaced, let bodyNamespace = decoded.metaNamespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let requestedRV = decoded.metaResourceVersion
        if !requestedRV.isEmpty, requestedRV != old.metaResourceVersion { throw APIError.conflict(type, name) }

        var object: JSONValue
        if subresource == "status" {
            object = old
            object["status"] = decoded["status"]
        } else {
            object = decoded
            var metadata = object["metadata"]?.objectValue ?? [:]
            for preserved in ["uid", "creationTimestamp", "deletionTimestamp", "generation", "namespace", "name",
                              "deletionGracePeriodSeconds"] {
                metadata[preserved] = old[path: ["metadata", preserved]]
            }
            object["metadata"] = .object(metadata)
            if type.hasStatus { object["status"] = old["status"] }
            if type.storageKey == BuiltinResources.services.storageKey {
                // Allocations (cluster IP, node ports) survive updates that leave them out, as on a real server.
                object = ServiceDefaults.keepingAllocations(of: old, in: object)
            }
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
        var errors = NameValidation.labelErrors(object)
        object = BuiltinDefaults.apply(to: object, type: type)
        let (admitted, schemaErrors) = admitCustom(object, old: old, type: type, bodyNormalized: true)
        object = admitted
        errors += schemaErrors
        errors += BuiltinValidation.errors(object, type: type)
        if !errors.isEmpty { throw APIError.invalid(type, name, errors) }
        try admitPodSecurity(object, old: old, type: type, subresource: subresource)
        if type.storageKey == BuiltinResources.customResourceDefinitions.storageKey, subresource == nil {
            object = try admitCRD(object, dryRun: options.dryRun)
        }
        if type.tracksGeneration, Self.generationRelevantContent(object) != Self.generationRelevantContent(old) {
            object[path: ["metadata", "generation"]] = .int((old[path: ["metadata", "generation"]]?.intValue ?? 1) + 1)
        }
        let base = ManagedFieldsTracker.baseEntries(request: body, stored: old, subresource: subresource)
        object[path: ["metadata", "managedFields"]] = try managedFields(
            type, options: options, subresource: subresource, base: base, old: old, new: object)
        if options.dryRun { return presented(object, as: type) }
        if options.counted { countWrite(verb, type, subresource: subresource) }
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
               subresource: String?, options: WriteOptions) throws(APIError) -> (object: JSONValue, created: Bool) {
        let objectKey = key(type, namespace, name)
        guard let old = objects[type.storageKey]?[objectKey] else {
            if patchType == .apply, subresource == nil {
                var body = patch
                body[path: ["metadata", "name"]] = .string(name)
                if type.namespaced, let namespace { body[path: ["metadata", "namespace"]] = .string(namespace) }
                var applyOptions = options
                applyOptions.appliedConfiguration = patch
                return (try create(type, namespace: namespace, body: body, options: applyOptions), true)
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
        var patchOptions = options
        if patchType == .apply { patchOptions.appliedConfiguration = patch }
        let updated = try update(type, namespace: namespace, name: name, body: body, subresource: subresource,
                                 options: patchOptions, verb: patchType == .apply ? "apply" : "patch")
        return (updated, false)
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
        let (admitted, errors) = admitCustom(object, old: old, type: type, bodyNormalized: false)
        if !errors.isEmpty { throw APIError.invalid(type, name, errors) }
        object = admitted
        if type.tracksGeneration, Self.generationRelevantContent(object) != Self.generationRelevantContent(old) {
            object[path: ["metadata", "generation"]] = .int((old[path: ["metadata", "generation"]]?.intValue ?? 1) + 1)
        }
        object[path: ["metadata", "managedFields"]] = try managedFields(
            type, options: options, subresource: "scale", base: old[path: ["metadata", "managedFields"]]?.arrayValue,
            old: old, new: object)
        if options.dryRun { return try scale(of: object, type: type) }
        if options.counted { countWrite(verb, type, subresource: "scale") }
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
        let previous = objects[type.storageKey]?[objectKey]
        objects[type.storageKey, default: [:]][objectKey] = stored
        controlled.update(type.storageKey, key: objectKey, old: previous?.controllerUID, new: stored.controllerUID)
        if type.storageKey == BuiltinResources.pods.storageKey {
            schedulerCache.update(key: objectKey, old: previous, new: stored)
        }
        liveUIDs.insert(stored.metaUID)
        garbageCollectionRelevant += Self.isGarbageCollectionRelevant(stored) ? 1 : 0
        garbageCollectionRelevant -= previous.map { Self.isGarbageCollectionRelevant($0) ? 1 : 0 } ?? 0
        history.record(StoredEvent(resourceVersion: rv, storageKey: type.storageKey, type: eventType, object: stored,
                                   previous: previous))
        return stored
    }

    /// Removes an object for good, recording a DELETED event (its object carries the deletion's resourceVersion).
    @discardableResult
    func remove(type: ResourceType, key objectKey: ObjectKey) -> JSONValue {
        guard var object = objects[type.storageKey]?.removeValue(forKey: objectKey) else { return .null }
        controlled.update(type.storageKey, key: objectKey, old: object.controllerUID, new: nil)
        if type.storageKey == BuiltinResources.pods.storageKey {
            schedulerCache.update(key: objectKey, old: object, new: nil)
        }
        liveUIDs.remove(object.metaUID)
        garbageCollectionRelevant -= Self.isGarbageCollectionRelevant(object) ? 1 : 0
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

    /// Defaults and prunes a custom object against its CRD schema; returns it with the schema's validation errors.
    /// `bodyNormalized`: the object is a decoded request body (``decodeBody``, which defaulted and pruned
    /// it) with server-set metadata and stored parts, so it is only validated.
    private func admitCustom(_ object: JSONValue, old: JSONValue?, type: ResourceType,
                             bodyNormalized: Bool) -> (JSONValue, [FieldError]) {
        guard type.isCustom, let schema = type.schema else { return (object, []) }
        let validator = SchemaValidator(schema: schema, logger: logger)
        let normalized = bodyNormalized ? object : validator.normalize(object).object
        return (normalized, validator.validate(normalized, old: old))
    }

    /// The request body as the server's decoder reads it (see ``BodyDecoding``); 400 for wrong types,
    /// and for unknown fields under `fieldValidation=Strict`.
    func decodeBody(_ body: JSONValue, type: ResourceType, options: WriteOptions) throws(APIError) -> JSONValue {
        if options.bodyIsDecoded { return body }
        return try BodyDecoding.checked(body, type: type, fieldValidation: options.fieldValidation, logger: logger)
    }

    /// The `managedFields` of `new` after this write (see ``ManagedFieldsTracker``).
    func managedFields(_ type: ResourceType, options: WriteOptions, subresource: String?, base: [JSONValue]?,
                       old: JSONValue?, new: JSONValue) throws(APIError) -> JSONValue? {
        let write = FieldManagerWrite(manager: options.fieldManager ?? Self.inProcessManager, apiVersion: type.apiVersion,
                                      subresource: subresource, applied: options.appliedConfiguration,
                                      force: options.force, time: Timestamp.now())
        let entries = try ManagedFieldsTracker(type: type).entries(after: write, base: base, old: old, new: new)
        return entries.isEmpty ? nil : .array(entries)
    }

    /// The field manager of writes made in-process (simulation, tests) without a `fieldManager`.
    static let inProcessManager = "local-cluster"

    /// Validates a CRD (names, versions and the structural-schema rules of ``CRDSchemaValidation``), and
    /// unless `dryRun`, registers the resources it serves; returns it marked Established.
    private func admitCRD(_ crd: JSONValue, dryRun: Bool) throws(APIError) -> JSONValue {
        let (types, nameErrors) = CRDTypes.resourceTypes(of: crd)
        let errors = nameErrors + CRDSchemaValidation.errors(crd)
        if !errors.isEmpty {
            throw APIError.invalid(BuiltinResources.customResourceDefinitions, crd.metaName, errors)
        }
        for type in types {
            if let existing = registry.lookup(group: type.group, version: type.version, plural: type.plural),
               !existing.isCustom {
                throw APIError.invalid(BuiltinResources.customResourceDefinitions, crd.metaName, [
                    .invalid("spec.names.plural", .string(type.plural), "conflicts with a built-in resource"),
                ])
            }
        }
        if !dryRun { registry.register(crdName: crd.metaName, types: types) }
        var accepted = crd
        accepted["status"] = CRDTypes.acceptedStatus(of: crd, now: Timestamp.now())
        return accepted
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
