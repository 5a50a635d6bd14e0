import KubeModel

/// How lists and deletions look on the wire, as a real API server sends them: items of built-in
/// lists carry no `kind`/`apiVersion` (custom resource items do), and a DELETE that removed the
/// object at once answers a `Status` of `Success` for most kinds (Pods, Services, ServiceAccounts and
/// Namespaces answer with the object). In-process reads (``ClusterStore``) keep both on every object.
enum ListPresentation {
    /// Kinds whose DELETE answers with the deleted object rather than a Status.
    static let deleteReturnsObject: Set<String> = ["pods", "services", "serviceaccounts", "namespaces"]

    static func list(_ type: ResourceType, metadata: JSONValue, items: [JSONValue]) -> JSONValue {
        [
            "kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": metadata,
            "items": .array(type.isCustom ? items : items.map(withoutTypeMeta)),
        ]
    }

    static func withoutTypeMeta(_ object: JSONValue) -> JSONValue {
        var item = object
        item["kind"] = nil
        item["apiVersion"] = nil
        return item
    }

    /// The answer to a DELETE that removed `object` for good.
    static func deleted(_ object: JSONValue, type: ResourceType) -> JSONValue {
        if !type.isCustom, deleteReturnsObject.contains(type.storageKey) { return object }
        var details: JSONValue = ["name": .string(object.metaName), "kind": .string(type.plural),
                                  "uid": .string(object.metaUID)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details]
    }
}
