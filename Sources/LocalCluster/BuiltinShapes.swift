/// The Go shapes (Kubernetes 1.25) of the built-in kinds LocalCluster type-checks: Deployments,
/// ReplicaSets, Pods and Services, with the object metadata and label selectors they share.
/// Other built-in kinds are stored without a shape check.
enum BuiltinShapes {
    /// Root shapes by storage key.
    static let kinds: [String: StructShape] = [
        "deployments.apps": deployment,
        "replicasets.apps": replicaSet,
        "pods": pod,
        "services": service,
    ]

    static func typeMeta(_ name: String, package: String = "v1", _ fields: [String: FieldShape]) -> StructShape {
        var all = fields
        all["apiVersion"] = .string
        all["kind"] = .string
        all["metadata"] = .object(objectMeta)
        return StructShape(name, package: package, all)
    }

    static let objectMeta = StructShape("ObjectMeta", [
        "name": .string, "generateName": .string, "namespace": .string, "selfLink": .string, "uid": .string,
        "resourceVersion": .string, "generation": .int64, "creationTimestamp": .time, "deletionTimestamp": .time,
        "deletionGracePeriodSeconds": .int64, "labels": .map(.string), "annotations": .map(.string),
        "ownerReferences": .array(.object(ownerReference)), "finalizers": .array(.string),
        "managedFields": .array(.object(managedFieldsEntry)),
    ])

    static let ownerReference = StructShape("OwnerReference", [
        "apiVersion": .string, "kind": .string, "name": .string, "uid": .string, "controller": .bool,
        "blockOwnerDeletion": .bool,
    ])

    static let managedFieldsEntry = StructShape("ManagedFieldsEntry", [
        "manager": .string, "operation": .string, "apiVersion": .string, "time": .time, "fieldsType": .string,
        "fieldsV1": .any, "subresource": .string,
    ])

    static let labelSelector = StructShape("LabelSelector", [
        "matchLabels": .map(.string),
        "matchExpressions": .array(.object(StructShape("LabelSelectorRequirement", [
            "key": .string, "operator": .string, "values": .array(.string),
        ]))),
    ])

    static let objectReferenceByName = StructShape("LocalObjectReference", ["name": .string])

    static let condition = StructShape("Condition", [
        "type": .string, "status": .string, "lastTransitionTime": .time, "lastUpdateTime": .time,
        "lastProbeTime": .time, "reason": .string, "message": .string, "observedGeneration": .int64,
    ])
}
