import KubeModel

extension ClusterStore {
    /// Runs owner-reference garbage collection to a fixed point, as the kube-controller-manager's
    /// garbage collector would eventually do:
    /// - an object whose owners are all gone is deleted (honouring its finalizers);
    /// - an object whose owner is being deleted in the foreground is deleted;
    /// - an owner in foreground deletion loses its `foregroundDeletion` finalizer once it has no
    ///   dependents left, and is removed when no finalizers remain.
    func collectGarbage() {
        // Nothing references an owner and nothing waits for dependents: skip the scan.
        if garbageCollectionRelevant == 0 { return }
        var changed = true
        var rounds = 0
        while changed && rounds < 1000 {
            changed = false
            rounds += 1
            var live: [String: JSONValue] = [:]
            var dependentsOf: [String: Int] = [:]
            for bucket in objects.values {
                for object in bucket.values {
                    live[object.metaUID] = object
                    for reference in object.ownerReferences {
                        if let uid = reference["uid"]?.stringValue { dependentsOf[uid, default: 0] += 1 }
                    }
                }
            }
            for (storageKey, bucket) in objects {
                guard let type = registry.anyVersion(storageKey: storageKey) else { continue }
                for (objectKey, object) in bucket.sorted(by: { $0.key < $1.key }) {
                    let references = object.ownerReferences
                    if !references.isEmpty, object.metaDeletionTimestamp == nil {
                        let owners = references.map { $0["uid"]?.stringValue.flatMap { live[$0] } }
                        let allGone = owners.allSatisfy { $0 == nil }
                        let ownerInForeground = owners.contains {
                            $0.map { $0.metaDeletionTimestamp != nil && $0.metaFinalizers.contains("foregroundDeletion") }
                                ?? false
                        }
                        if allGone || ownerInForeground {
                            deleteForCollection(object, type: type, key: objectKey)
                            changed = true
                            continue
                        }
                    }
                    if object.metaDeletionTimestamp != nil, object.metaFinalizers.contains("foregroundDeletion"),
                       dependentsOf[object.metaUID, default: 0] == 0 {
                        var updated = object
                        let remaining = object.metaFinalizers.filter { $0 != "foregroundDeletion" }
                        updated[path: ["metadata", "finalizers"]] = remaining.isEmpty ? nil : .array(remaining.map(JSONValue.string))
                        if remaining.isEmpty {
                            remove(type: type, key: objectKey)
                        } else {
                            store(updated, type: type, key: objectKey, eventType: .modified, previous: object)
                        }
                        changed = true
                    }
                }
            }
        }
    }

    /// Deletes a just-created object whose owners are all gone already (a controller that wrote it
    /// from a stale cache), as the real garbage collector does when it finds the dangling owners.
    func collectIfOrphaned(_ object: JSONValue, type: ResourceType, key objectKey: ObjectKey) {
        let owners = object.ownerReferences.compactMap { $0["uid"]?.stringValue }
        guard !owners.isEmpty, owners.allSatisfy({ !liveUIDs.contains($0) }) else { return }
        deleteForCollection(object, type: type, key: objectKey)
    }

    /// Whether an object takes part in garbage collection: it has owners or waits for its dependents.
    static func isGarbageCollectionRelevant(_ object: JSONValue) -> Bool {
        !object.ownerReferences.isEmpty || object.metaFinalizers.contains("foregroundDeletion")
    }

    private func deleteForCollection(_ object: JSONValue, type: ResourceType, key objectKey: ObjectKey) {
        if object.metaFinalizers.isEmpty {
            remove(type: type, key: objectKey)
        } else {
            var marked = object
            marked[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.now())
            store(marked, type: type, key: objectKey, eventType: .modified, previous: object)
        }
    }
}
