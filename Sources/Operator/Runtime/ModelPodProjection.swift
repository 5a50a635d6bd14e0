import KubeModel

extension Pod {
    /// What the operator reads of a model's pod, for its cache: name, labels, owner and deletion
    /// (which model, which ReplicaSet), the node, and the status parts that explain a pod that
    /// does not run (the conditions that do not hold, such as PodScheduled=False, and the init
    /// containers' states for a failed archive fetch). The pod spec (containers, volumes, affinity) is most of a pod's
    /// memory and nothing the operator reads: a model's Deployment says what its pods run.
    var projectedForModels: Pod {
        let meta = metadata
        return Pod(
            apiVersion: apiVersion, kind: kind,
            metadata: ObjectMeta(name: meta.name, namespace: meta.namespace, uid: meta.uid,
                                 resourceVersion: meta.resourceVersion, deletionTimestamp: meta.deletionTimestamp,
                                 labels: meta.labels, ownerReferences: meta.ownerReferences),
            spec: spec.map { PodSpec(nodeName: $0.nodeName) },
            status: status.map { PodStatus(phase: $0.phase, conditions: $0.conditions?.filter { $0.status != "True" },
                                           message: $0.message,
                                           reason: $0.reason, initContainerStatuses: $0.initContainerStatuses) })
    }
}
