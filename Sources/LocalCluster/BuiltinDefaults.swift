import KubeModel

/// The defaults a Kubernetes 1.25 API server fills in for built-in kinds (its `SetDefaults_*`
/// functions plus what its Go types always serialize, such as `creationTimestamp: null` in pod
/// templates and an empty `status`), checked against the recorded fixtures: Deployments,
/// ReplicaSets, Pods, Services and Namespaces. Admission-time additions are in ``PodAdmission``.
enum BuiltinDefaults {
    static func apply(to object: JSONValue, type: ResourceType) -> JSONValue {
        var result = object
        switch type.storageKey {
        case "deployments.apps":
            result["spec"] = deploymentSpec(result["spec"] ?? .object([:]))
            if result["status"] == nil { result["status"] = .object([:]) }
        case "replicasets.apps":
            var spec = result["spec"] ?? .object([:])
            if spec["replicas"] == nil { spec["replicas"] = 1 }
            spec["template"] = PodSpecDefaults.template(spec["template"] ?? .object([:]))
            result["spec"] = spec
            if result["status"] == nil { result["status"] = ["replicas": 0] }
        case "services":
            result = ServiceDefaults.apply(to: result)
        case "pods":
            result["spec"] = PodSpecDefaults.podSpec(result["spec"] ?? .object([:]), isPod: true)
            if result[path: ["status", "phase"]] == nil { result[path: ["status", "phase"]] = "Pending" }
        case "namespaces":
            if result[path: ["status", "phase"]] == nil { result[path: ["status", "phase"]] = "Active" }
            if result[path: ["spec", "finalizers"]] == nil { result[path: ["spec", "finalizers"]] = ["kubernetes"] }
            let name = result.metaName
            if result[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] == nil, !name.isEmpty {
                var labels = result[path: ["metadata", "labels"]]?.objectValue ?? [:]
                labels["kubernetes.io/metadata.name"] = .string(name)
                result[path: ["metadata", "labels"]] = .object(labels)
            }
        default:
            break
        }
        return result
    }

    /// `apps/v1` Deployment defaults: replicas, a RollingUpdate strategy of 25%/25%, revision history
    /// and progress deadline, and the pod template's defaults.
    static func deploymentSpec(_ spec: JSONValue) -> JSONValue {
        var result = spec
        if result["replicas"] == nil { result["replicas"] = 1 }
        var strategy = result["strategy"] ?? .object([:])
        if strategy["type"] == nil { strategy["type"] = "RollingUpdate" }
        if strategy["type"] == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"] ?? .object([:])
            if rolling["maxUnavailable"] == nil { rolling["maxUnavailable"] = "25%" }
            if rolling["maxSurge"] == nil { rolling["maxSurge"] = "25%" }
            strategy["rollingUpdate"] = rolling
        }
        result["strategy"] = strategy
        if result["revisionHistoryLimit"] == nil { result["revisionHistoryLimit"] = 10 }
        if result["progressDeadlineSeconds"] == nil { result["progressDeadlineSeconds"] = 600 }
        result["template"] = PodSpecDefaults.template(result["template"] ?? .object([:]))
        return result
    }
}
