import KubeModel

/// The 422 checks of a 1.25 API server for the type-checked built-in kinds that clients commonly
/// trip over, worded as the real server words them: Deployment and ReplicaSet replicas, selector
/// and template labels; containers (name, image, ports); Service ports and type. Not every rule of
/// the real validation is here (see the conformance tests for what is covered).
enum BuiltinValidation {
    static func errors(_ object: JSONValue, type: ResourceType) -> [FieldError] {
        switch type.storageKey {
        case "deployments.apps":
            return workload(object, templateRestartPolicies: ["Always"])
        case "replicasets.apps":
            return workload(object, templateRestartPolicies: ["Always"])
        case "pods":
            return podSpec(object["spec"] ?? .object([:]), path: "spec")
        case "services":
            return service(object["spec"] ?? .object([:]))
        default:
            return []
        }
    }

    /// The name rule of `type`: DNS-1035 labels for Services, DNS-1123 labels for Namespaces,
    /// DNS-1123 subdomains for everything else.
    static func nameError(_ name: String, type: ResourceType) -> FieldError? {
        switch type.storageKey {
        case "namespaces": return NameValidation.labelError(name)
        case "services": return NameValidation.dns1035LabelError(name)
        default: return NameValidation.subdomainError(name)
        }
    }

    private static func workload(_ object: JSONValue, templateRestartPolicies: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .object([:])
        if let replicas = spec["replicas"]?.intValue, replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        let selector = spec["selector"]
        let matchLabels = selector?["matchLabels"]?.objectValue ?? [:]
        let matchExpressions = selector?["matchExpressions"]?.arrayValue ?? []
        if selector == nil {
            errors.append(.required("spec.selector"))
        } else if matchLabels.isEmpty && matchExpressions.isEmpty {
            errors.append(.invalid("spec.selector", selector ?? .null, "empty selector is invalid for deployment"))
        }
        let labels = spec[path: ["template", "metadata", "labels"]]?.objectValue ?? [:]
        if let selector, !(matchLabels.isEmpty && matchExpressions.isEmpty),
           !LabelSelector(structured: selector).matches(labels.compactMapValues(\.stringValue)) {
            errors.append(FieldError(reason: "FieldValueInvalid", field: "spec.template.metadata.labels",
                                     detail: "Invalid value: \(goMap(labels)): `selector` does not match template `labels`"))
        }
        let podSpec = spec[path: ["template", "spec"]] ?? .object([:])
        errors += self.podSpec(podSpec, path: "spec.template.spec")
        if let policy = podSpec["restartPolicy"]?.stringValue, !templateRestartPolicies.contains(policy) {
            let supported = templateRestartPolicies.map { "\"\($0)\"" }.joined(separator: ", ")
            errors.append(FieldError(reason: "FieldValueNotSupported", field: "spec.template.spec.restartPolicy",
                                     detail: "Unsupported value: \"\(policy)\": supported values: \(supported)"))
        }
        return errors
    }

    static func podSpec(_ spec: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("\(path).containers")) }
        var names: Set<String> = []
        for field in ["initContainers", "containers"] {
            for (index, container) in (spec[field]?.arrayValue ?? []).enumerated() {
                let containerPath = "\(path).\(field)[\(index)]"
                let name = container["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errors.append(.required("\(containerPath).name"))
                } else if let error = NameValidation.labelError(name, field: "\(containerPath).name") {
                    errors.append(error)
                } else if !names.insert(name).inserted {
                    errors.append(FieldError(reason: "FieldValueDuplicate", field: "\(containerPath).name",
                                             detail: "Duplicate value: \"\(name)\""))
                }
                if (container["image"]?.stringValue ?? "").isEmpty { errors.append(.required("\(containerPath).image")) }
                for (portIndex, port) in (container["ports"]?.arrayValue ?? []).enumerated() {
                    let number = port["containerPort"]?.intValue ?? 0
                    if !(1...65535).contains(number) {
                        errors.append(.invalid("\(containerPath).ports[\(portIndex)].containerPort", .int(number),
                                               "must be between 1 and 65535, inclusive"))
                    }
                }
            }
        }
        return errors
    }

    private static func service(_ spec: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) {
            errors.append(FieldError(reason: "FieldValueNotSupported", field: "spec.type",
                                     detail: "Unsupported value: \"\(type)\": supported values: "
                                         + supported.map { "\"\($0)\"" }.joined(separator: ", ")))
        }
        let ports = spec["ports"]?.arrayValue ?? []
        if ports.isEmpty, type != "ExternalName", spec["clusterIP"]?.stringValue != "None" {
            errors.append(.required("spec.ports"))
        }
        for (index, port) in ports.enumerated() {
            let number = port["port"]?.intValue ?? 0
            if !(1...65535).contains(number) {
                errors.append(.invalid("spec.ports[\(index)].port", .int(number), "must be between 1 and 65535, inclusive"))
            }
            if ports.count > 1, (port["name"]?.stringValue ?? "").isEmpty {
                errors.append(.required("spec.ports[\(index)].name"))
            }
        }
        return errors
    }

    /// Go's `%v` of a `map[string]string`: `map[string]string{"a":"b"}`.
    private static func goMap(_ labels: [String: JSONValue]) -> String {
        let pairs = labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.jsonString)" }
        return "map[string]string{" + pairs.joined(separator: ", ") + "}"
    }
}
