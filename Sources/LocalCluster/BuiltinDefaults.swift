import KubeClient

/// The few defaults the real API server fills in for built-in kinds that clients commonly read back
/// (deployment replicas and strategy, service type, cluster IP and port protocol/targetPort,
/// pod phase, namespace phase).
enum BuiltinDefaults {
    static func apply(to object: JSONValue, type: ResourceType) -> JSONValue {
        var result = object
        switch type.storageKey {
        case "deployments.apps", "replicasets.apps":
            if result[path: ["spec", "replicas"]] == nil { result[path: ["spec", "replicas"]] = 1 }
            if type.plural == "deployments" {
                if result[path: ["spec", "strategy"]] == nil {
                    result[path: ["spec", "strategy"]] = [
                        "type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"],
                    ]
                }
                if result[path: ["spec", "revisionHistoryLimit"]] == nil { result[path: ["spec", "revisionHistoryLimit"]] = 10 }
                if result[path: ["spec", "progressDeadlineSeconds"]] == nil {
                    result[path: ["spec", "progressDeadlineSeconds"]] = 600
                }
            }
            if let podSpec = result[path: ["spec", "template", "spec"]] {
                result[path: ["spec", "template", "spec"]] = defaultedPodSpec(podSpec)
            }
        case "services":
            if result[path: ["spec", "type"]] == nil { result[path: ["spec", "type"]] = "ClusterIP" }
            if result[path: ["spec", "sessionAffinity"]] == nil { result[path: ["spec", "sessionAffinity"]] = "None" }
            if result[path: ["spec", "clusterIP"]] == nil, result[path: ["spec", "type"]]?.stringValue != "ExternalName" {
                let address = "10.96.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
                result[path: ["spec", "clusterIP"]] = .string(address)
                result[path: ["spec", "clusterIPs"]] = [.string(address)]
            }
            if let ports = result[path: ["spec", "ports"]]?.arrayValue {
                result[path: ["spec", "ports"]] = .array(ports.map { port in
                    var filled = port
                    if filled["protocol"] == nil { filled["protocol"] = "TCP" }
                    if filled["targetPort"] == nil, let number = filled["port"] { filled["targetPort"] = number }
                    return filled
                })
            }
        case "pods":
            if let podSpec = result["spec"] { result["spec"] = defaultedPodSpec(podSpec) }
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

    /// Container port protocols default to TCP.
    private static func defaultedPodSpec(_ spec: JSONValue) -> JSONValue {
        var result = spec
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            result[field] = .array(containers.map { container in
                var filled = container
                if let ports = container["ports"]?.arrayValue {
                    filled["ports"] = .array(ports.map { port in
                        var withProtocol = port
                        if withProtocol["protocol"] == nil { withProtocol["protocol"] = "TCP" }
                        return withProtocol
                    })
                }
                return filled
            })
        }
        return result
    }
}
