import Foundation
import KubeClient
import KubeModel

extension ClusterStore {
    /// Deletes an object (DELETE). Objects with finalizers get a deletionTimestamp and stay until the
    /// finalizers are removed. Dependents are garbage-collected according to the propagation policy:
    /// `Background` (default) and `Foreground` delete them, `Orphan` removes their owner references.
    public func delete(_ type: ResourceType, namespace: String?, name: String,
                       propagationPolicy: String? = nil) throws(APIError) -> JSONValue {
        try delete(type, namespace: namespace, name: name, options: DeleteOptions(propagationPolicy: propagationPolicy))
    }

    func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions) throws(APIError)
        -> JSONValue
    {
        let objectKey = key(type, namespace, name)
        guard let object = objects[type.storageKey]?[objectKey] else { throw APIError.notFound(type, name) }
        if let uid = options.preconditionUID, uid != object.metaUID {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.qualifiedPlural) \"\(name)\": Precondition "
                               + "failed: UID in precondition: \(uid), UID in object meta: \(object.metaUID)",
                           details: APIError.detailsFor(name: name, type: type))
        }
        if let rv = options.preconditionResourceVersion, rv != object.metaResourceVersion {
            throw APIError.conflict(type, name)
        }
        let policy = options.propagationPolicy ?? "Background"
        guard ["Background", "Foreground", "Orphan"].contains(policy) else {
            throw APIError.invalid(type, name, [FieldError(
                reason: "FieldValueNotSupported", field: "propagationPolicy",
                detail: "Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")])
        }
        if options.dryRun { return presented(object, as: type) }
        if options.counted { countWrite("delete", type) }
        if policy == "Orphan" { orphanDependents(of: object.metaUID) }
        if type.storageKey == BuiltinResources.namespaces.storageKey {
            return presented(deleteNamespace(object, key: objectKey), as: type)
        }
        var finalizers = object.metaFinalizers
        if policy == "Foreground", hasDependents(object.metaUID), !finalizers.contains("foregroundDeletion") {
            finalizers.append("foregroundDeletion")
        }
        if finalizers.isEmpty {
            let removed = remove(type: type, key: objectKey)
            collectGarbage()
            return presented(removed, as: type)
        }
        var marked = object
        if marked.metaDeletionTimestamp == nil {
            marked[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.now())
            marked[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(0)
        }
        marked[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSONValue.string))
        let stored = marked == object ? object : store(marked, type: type, key: objectKey, eventType: .modified,
                                                       previous: object)
        collectGarbage()
        return presented(stored, as: type)
    }

    /// Deletes every object matching the selectors (DELETE on a collection); returns the deleted objects.
    func deleteCollection(_ type: ResourceType, namespace: String?, labelSelector: LabelSelector,
                          fieldSelector: FieldSelector, options: DeleteOptions) throws(APIError) -> [JSONValue] {
        let targets = (objects[type.storageKey] ?? [:])
            .filter { namespace == nil || $0.key.namespace == namespace }
            .filter { labelSelector.matches(object: $0.value) && fieldSelector.matches($0.value) }
            .keys.sorted()
        var deleted: [JSONValue] = []
        for target in targets {
            deleted.append(try delete(type, namespace: target.namespace.isEmpty ? nil : target.namespace,
                                      name: target.name, options: options))
        }
        return deleted
    }

    /// A namespace's deletion removes everything in it, then the namespace.
    private func deleteNamespace(_ namespace: JSONValue, key objectKey: ObjectKey) -> JSONValue {
        let name = namespace.metaName
        for type in registry.types where type.namespaced {
            for contentKey in (objects[type.storageKey] ?? [:]).keys.sorted() where contentKey.namespace == name {
                remove(type: type, key: contentKey)
            }
        }
        let removed = remove(type: BuiltinResources.namespaces, key: objectKey)
        collectGarbage()
        return removed
    }

    private func hasDependents(_ uid: String) -> Bool {
        objects.values.contains { bucket in
            bucket.values.contains { $0.ownerReferences.contains { $0["uid"]?.stringValue == uid } }
        }
    }

    private func orphanDependents(of uid: String) {
        for (storageKey, bucket) in objects {
            guard let type = registry.anyVersion(storageKey: storageKey) else { continue }
            for (objectKey, object) in bucket.sorted(by: { $0.key < $1.key })
            where object.ownerReferences.contains(where: { $0["uid"]?.stringValue == uid }) {
                var updated = object
                let remaining = object.ownerReferences.filter { $0["uid"]?.stringValue != uid }
                updated[path: ["metadata", "ownerReferences"]] = remaining.isEmpty ? nil : .array(remaining)
                store(updated, type: type, key: objectKey, eventType: .modified, previous: object)
            }
        }
    }
}
