import KubeModel

extension InMemoryCluster {
    /// `object` with the defaults a kube-apiserver fills in when it stores one of `resource`
    /// (`ServerDefaults`, checked against `../shared/fixtures/kube-apiserver-1.25/`): a
    /// Deployment's spec and pod template; a Service's type, ports, session affinity, traffic
    /// policy, IP families and cluster IP (kept from `previous`, else the next free one). Other
    /// resources are stored as sent.
    func defaulted(_ object: JSONValue, in resource: GroupVersionResource, previous: JSONValue?) -> JSONValue {
        switch resource {
        case .deployments: return Self.deploymentDefaults(object)
        case .services: return serviceDefaults(object, previous: previous)
        default: return object
        }
    }

    private static func deploymentDefaults(_ object: JSONValue) -> JSONValue {
        guard let spec = try? object["spec"]?.decode(as: DeploymentSpec.self),
              let defaulted = try? JSONValue(encoding: spec.withServerDefaults()) else { return object }
        var object = object
        object["spec"] = defaulted
        return object
    }

    private func serviceDefaults(_ object: JSONValue, previous: JSONValue?) -> JSONValue {
        guard var spec = try? (object["spec"] ?? .object([:])).decode(as: ServiceSpec.self) else { return object }
        let type = spec.type ?? "ClusterIP"
        spec.type = type
        spec.ports = spec.ports?.map { $0.withServerDefaults() }
        spec.sessionAffinity = spec.sessionAffinity ?? "None"
        if type != "ExternalName" {
            spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster"
            spec.ipFamilies = spec.ipFamilies ?? ["IPv4"]
            spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? "SingleStack"
            let clusterIP = spec.clusterIP ?? previous?[path: ["spec", "clusterIP"]]?.stringValue ?? nextClusterIP()
            spec.clusterIP = clusterIP
            spec.clusterIPs = spec.clusterIPs ?? [clusterIP]
        }
        guard let encoded = try? JSONValue(encoding: spec) else { return object }
        var object = object
        object["spec"] = encoded
        return object
    }
}
