import KubeModel

/// What a 1.25 API server's admission plugins and pod strategy add to a Pod when it is created
/// (after defaulting, so not tracked in `managedFields`): the `default` service account and its
/// projected token volume mounted in every container (ServiceAccount), priority 0 and
/// `PreemptLowerPriority` (Priority), NoExecute tolerations of 300 s for not-ready and unreachable
/// nodes (DefaultTolerationSeconds), and the QoS class in the status.
enum PodAdmission {
    static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    static func admitOnCreate(_ pod: JSONValue) -> JSONValue {
        var result = pod
        var spec = result["spec"] ?? .object([:])
        serviceAccount(&spec)
        if spec["priorityClassName"] == nil, spec["priority"] == nil { spec["priority"] = 0 }
        if spec["preemptionPolicy"] == nil { spec["preemptionPolicy"] = "PreemptLowerPriority" }
        spec["tolerations"] = tolerations(spec["tolerations"]?.arrayValue ?? [])
        result["spec"] = spec
        if result[path: ["status", "qosClass"]] == nil {
            result[path: ["status", "qosClass"]] = .string(qosClass(of: spec))
        }
        return result
    }

    private static func serviceAccount(_ spec: inout JSONValue) {
        let name = (spec["serviceAccountName"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 }
            ?? (spec["serviceAccount"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        spec["serviceAccountName"] = .string(name)
        spec["serviceAccount"] = .string(name)
        guard spec["automountServiceAccountToken"]?.boolValue != false else { return }
        var volumes = spec["volumes"]?.arrayValue ?? []
        let volumeName = "kube-api-access-" + NameValidation.randomSuffix()
        volumes.append([
            "name": .string(volumeName),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [[
                        "path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"],
                    ]]]],
                ],
            ],
        ])
        spec["volumes"] = .array(volumes)
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map { container in
                var mounts = container["volumeMounts"]?.arrayValue ?? []
                if mounts.contains(where: { $0["mountPath"]?.stringValue == tokenMountPath }) { return container }
                mounts.append(["name": .string(volumeName), "readOnly": true, "mountPath": .string(tokenMountPath)])
                var mounted = container
                mounted["volumeMounts"] = .array(mounts)
                return mounted
            })
        }
    }

    /// Adds the not-ready and unreachable NoExecute tolerations unless the pod already tolerates them.
    static func tolerations(_ existing: [JSONValue]) -> JSONValue {
        var result = existing
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let tolerated = existing.contains { toleration in
                let tolerationKey = toleration["key"]?.stringValue ?? ""
                let effect = toleration["effect"]?.stringValue ?? ""
                return (tolerationKey == key || tolerationKey.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
            if !tolerated {
                result.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
            }
        }
        return .array(result)
    }

    /// `Guaranteed` when every container limits CPU and memory and requests the same, `BestEffort` when
    /// none requests or limits either, else `Burstable`.
    static func qosClass(of spec: JSONValue) -> String {
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        var anyResource = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            let requests = container[path: ["resources", "requests"]]?.objectValue ?? [:]
            let limits = container[path: ["resources", "limits"]]?.objectValue ?? [:]
            for resource in ["cpu", "memory"] {
                let request = requests[resource].flatMap(quantity)
                let limit = limits[resource].flatMap(quantity)
                if (request.map { $0 != .zero } ?? false) || (limit.map { $0 != .zero } ?? false) { anyResource = true }
                if limit == nil || (request ?? limit) != limit { guaranteed = false }
            }
        }
        if !anyResource { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    private static func quantity(_ value: JSONValue) -> Quantity? {
        value.stringValue.flatMap { try? Quantity(parsing: $0) }
    }
}
