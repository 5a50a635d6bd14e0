import KubeModel

/// Service defaults and allocations of a 1.25 API server on a single-stack IPv4 cluster: type,
/// session affinity, port protocol and target port, traffic policies, IP families, a cluster IP
/// from 10.96.0.0/12 (random here), node ports for NodePort and LoadBalancer services, and the
/// always-present `status.loadBalancer`.
enum ServiceDefaults {
    static func apply(to service: JSONValue) -> JSONValue {
        var result = service
        var spec = result["spec"] ?? .object([:])
        if spec["type"] == nil { spec["type"] = "ClusterIP" }
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if spec["sessionAffinity"] == "ClientIP", spec[path: ["sessionAffinityConfig", "clientIP", "timeoutSeconds"]] == nil {
            spec[path: ["sessionAffinityConfig", "clientIP", "timeoutSeconds"]] = 10800
        }
        let needsNodePorts = type == "NodePort" || type == "LoadBalancer"
        if let ports = spec["ports"]?.arrayValue {
            spec["ports"] = .array(ports.map { port in
                var filled = port
                if filled["protocol"] == nil { filled["protocol"] = "TCP" }
                let target = filled["targetPort"]
                if target == nil || target == 0 || target == "", let number = filled["port"] { filled["targetPort"] = number }
                if needsNodePorts, filled["nodePort"] == nil { filled["nodePort"] = .int(Int64.random(in: 30000...32767)) }
                return filled
            })
        }
        if type != "ExternalName" {
            if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
            if needsNodePorts, spec["externalTrafficPolicy"] == nil { spec["externalTrafficPolicy"] = "Cluster" }
            if type == "LoadBalancer", spec["allocateLoadBalancerNodePorts"] == nil {
                spec["allocateLoadBalancerNodePorts"] = true
            }
            let clusterIP = spec["clusterIP"]?.stringValue ?? ""
            if clusterIP.isEmpty {
                let address = "10.96.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
                spec["clusterIP"] = .string(address)
                spec["clusterIPs"] = [.string(address)]
            } else if spec["clusterIPs"] == nil {
                spec["clusterIPs"] = [.string(clusterIP)]
            }
            if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
        }
        result["spec"] = spec
        if result[path: ["status", "loadBalancer"]] == nil { result[path: ["status", "loadBalancer"]] = .object([:]) }
        return result
    }

    /// On update, allocations the client left out are kept: the cluster IP(s) and each port's node port.
    static func keepingAllocations(of old: JSONValue, in new: JSONValue) -> JSONValue {
        var result = new
        if (result[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty {
            result[path: ["spec", "clusterIP"]] = old[path: ["spec", "clusterIP"]]
            result[path: ["spec", "clusterIPs"]] = old[path: ["spec", "clusterIPs"]]
        }
        let oldPorts = old[path: ["spec", "ports"]]?.arrayValue ?? []
        if let ports = result[path: ["spec", "ports"]]?.arrayValue {
            result[path: ["spec", "ports"]] = .array(ports.map { port in
                guard port["nodePort"] == nil,
                      let previous = oldPorts.first(where: {
                          $0["port"] == port["port"] && ($0["protocol"] ?? "TCP") == (port["protocol"] ?? "TCP")
                      }), let nodePort = previous["nodePort"] else { return port }
                var kept = port
                kept["nodePort"] = nodePort
                return kept
            })
        }
        return result
    }
}
