import KubeModel

/// `core/v1` pod-spec defaults of a 1.25 API server, for pods and for the pod templates of
/// workloads: pod-level policies, container pull policy and termination message, port protocols,
/// probe timings, `resources: {}`, env field references and volume modes.
enum PodSpecDefaults {
    /// A pod template: `metadata.creationTimestamp: null` (as the Go type serializes it) and its spec defaulted.
    static func template(_ template: JSONValue) -> JSONValue {
        var result = template
        var metadata = result["metadata"] ?? .object([:])
        if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = .null }
        result["metadata"] = metadata
        result["spec"] = podSpec(result["spec"] ?? .object([:]), isPod: false)
        return result
    }

    /// `isPod` adds what only Pods get (`enableServiceLinks`, requests copied from limits).
    static func podSpec(_ spec: JSONValue, isPod: Bool) -> JSONValue {
        var result = spec
        if result["dnsPolicy"] == nil { result["dnsPolicy"] = "ClusterFirst" }
        if result["restartPolicy"] == nil { result["restartPolicy"] = "Always" }
        if result["terminationGracePeriodSeconds"] == nil { result["terminationGracePeriodSeconds"] = 30 }
        if result["schedulerName"] == nil { result["schedulerName"] = "default-scheduler" }
        if result["securityContext"] == nil { result["securityContext"] = .object([:]) }
        if isPod, result["enableServiceLinks"] == nil { result["enableServiceLinks"] = true }
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            guard let containers = result[field]?.arrayValue else { continue }
            result[field] = .array(containers.map { self.container($0, isPod: isPod) })
        }
        if let volumes = result["volumes"]?.arrayValue {
            result["volumes"] = .array(volumes.map(volume))
        }
        return result
    }

    static func container(_ container: JSONValue, isPod: Bool) -> JSONValue {
        var result = container
        if result["imagePullPolicy"] == nil, let image = result["image"]?.stringValue {
            result["imagePullPolicy"] = .string(pullPolicy(forImage: image))
        }
        if result["terminationMessagePath"] == nil { result["terminationMessagePath"] = "/dev/termination-log" }
        if result["terminationMessagePolicy"] == nil { result["terminationMessagePolicy"] = "File" }
        if let ports = result["ports"]?.arrayValue {
            result["ports"] = .array(ports.map { port in
                var filled = port
                if filled["protocol"] == nil { filled["protocol"] = "TCP" }
                return filled
            })
        }
        var resources = result["resources"] ?? .object([:])
        if isPod, let limits = resources["limits"]?.objectValue, !limits.isEmpty {
            var requests = resources["requests"]?.objectValue ?? [:]
            for (name, quantity) in limits where requests[name] == nil { requests[name] = quantity }
            resources["requests"] = .object(requests)
        }
        result["resources"] = resources
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let value = result[probe] { result[probe] = self.probe(value) }
        }
        for hook in ["postStart", "preStop"] {
            if let handler = result[path: ["lifecycle", hook]] { result[path: ["lifecycle", hook]] = httpGetDefaulted(handler) }
        }
        if let env = result["env"]?.arrayValue {
            result["env"] = .array(env.map { variable in
                var filled = variable
                if filled[path: ["valueFrom", "fieldRef"]] != nil, filled[path: ["valueFrom", "fieldRef", "apiVersion"]] == nil {
                    filled[path: ["valueFrom", "fieldRef", "apiVersion"]] = "v1"
                }
                return filled
            })
        }
        return result
    }

    /// `Always` for `:latest` or an untagged image, `IfNotPresent` for any other tag or a digest.
    static func pullPolicy(forImage image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        let tag = lastComponent[lastComponent.index(after: colon)...]
        return tag == "latest" ? "Always" : "IfNotPresent"
    }

    static func probe(_ probe: JSONValue) -> JSONValue {
        var result = httpGetDefaulted(probe)
        if result["timeoutSeconds"] == nil { result["timeoutSeconds"] = 1 }
        if result["periodSeconds"] == nil { result["periodSeconds"] = 10 }
        if result["successThreshold"] == nil { result["successThreshold"] = 1 }
        if result["failureThreshold"] == nil { result["failureThreshold"] = 3 }
        return result
    }

    /// An `httpGet` action's path `/` and scheme `HTTP`.
    private static func httpGetDefaulted(_ handler: JSONValue) -> JSONValue {
        var result = handler
        if result["httpGet"] != nil {
            if result[path: ["httpGet", "path"]] == nil { result[path: ["httpGet", "path"]] = "/" }
            if result[path: ["httpGet", "scheme"]] == nil { result[path: ["httpGet", "scheme"]] = "HTTP" }
        }
        return result
    }

    /// A volume without a source is an `emptyDir`; file modes default to 0644 (420); `hostPath.type` to "".
    static func volume(_ volume: JSONValue) -> JSONValue {
        var result = volume
        let sources = (volume.objectValue ?? [:]).keys.filter { $0 != "name" }
        if sources.isEmpty { result["emptyDir"] = .object([:]) }
        for source in ["secret", "configMap", "downwardAPI", "projected"] where result[source] != nil {
            if result[path: [source, "defaultMode"]] == nil { result[path: [source, "defaultMode"]] = 420 }
        }
        if result["hostPath"] != nil, result[path: ["hostPath", "type"]] == nil { result[path: ["hostPath", "type"]] = "" }
        if let items = result[path: ["downwardAPI", "items"]]?.arrayValue {
            result[path: ["downwardAPI", "items"]] = .array(items.map { item in
                var filled = item
                if filled["fieldRef"] != nil, filled[path: ["fieldRef", "apiVersion"]] == nil {
                    filled[path: ["fieldRef", "apiVersion"]] = "v1"
                }
                return filled
            })
        }
        return result
    }
}
