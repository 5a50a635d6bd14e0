import KubeModel

/// The NodeAffinity plugin's test: a node must carry every label of the pod's `nodeSelector` and
/// match one of the terms of its required node affinity (`matchExpressions` with In, NotIn,
/// Exists, DoesNotExist, Gt, Lt; `matchFields` on `metadata.name`).
enum NodeAffinityMatch {
    static func matches(podSpec: JSONValue, node: JSONValue) -> Bool {
        matches(podSpec: podSpec, labels: LabelSelector.labels(of: node), nodeName: node.metaName)
    }

    /// `matches(podSpec:node:)` for a node whose labels and name are already read.
    static func matches(podSpec: JSONValue, labels: [String: String], nodeName: String) -> Bool {
        let selector = (podSpec["nodeSelector"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        guard selector.allSatisfy({ labels[$0.key] == $0.value }) else { return false }
        guard let required = podSpec[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]]
        else { return true }
        let terms = required["nodeSelectorTerms"]?.arrayValue ?? []
        return terms.contains { matches(term: $0, labels: labels, nodeName: nodeName) }
    }

    /// Terms are ORed, a term's requirements ANDed; a term without requirements matches nothing.
    static func matches(term: JSONValue, labels: [String: String], nodeName: String) -> Bool {
        let expressions = term["matchExpressions"]?.arrayValue ?? []
        let fields = term["matchFields"]?.arrayValue ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        return expressions.allSatisfy { requirement in
            matches(requirement, value: labels[requirement["key"]?.stringValue ?? ""])
        } && fields.allSatisfy { requirement in
            requirement["key"] == "metadata.name" && matches(requirement, value: nodeName)
        }
    }

    /// The sum of the weights of the preferred terms the node matches (the NodeAffinity score).
    static func preferredWeight(podSpec: JSONValue, labels: [String: String], nodeName: String) -> Int64 {
        let preferred = podSpec[path: ["affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]]?
            .arrayValue ?? []
        return preferred.reduce(0) { sum, entry in
            guard let term = entry["preference"], matches(term: term, labels: labels, nodeName: nodeName) else { return sum }
            return sum + (entry["weight"]?.intValue ?? 0)
        }
    }

    /// One `NodeSelectorRequirement` against the label (or field) value, nil when absent.
    static func matches(_ requirement: JSONValue, value: String?) -> Bool {
        let values = (requirement["values"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch requirement["operator"]?.stringValue {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return !(value.map(values.contains) ?? false)
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard values.count == 1, let bound = Int64(values[0]), let number = value.flatMap({ Int64($0) }) else { return false }
            return requirement["operator"] == "Gt" ? number > bound : number < bound
        default: return false
        }
    }
}

/// Taints and tolerations as the TaintToleration plugin reads them.
enum TaintToleration {
    /// `Toleration.ToleratesTaint`: an empty effect or key matches any; `Exists` ignores the value,
    /// `Equal` (the default operator) compares it.
    static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        let effect = toleration["effect"]?.stringValue ?? ""
        if !effect.isEmpty, effect != taint["effect"]?.stringValue { return false }
        let key = toleration["key"]?.stringValue ?? ""
        if !key.isEmpty, key != taint["key"]?.stringValue { return false }
        switch toleration["operator"]?.stringValue ?? "Equal" {
        case "Exists": return true
        case "Equal", "": return (toleration["value"]?.stringValue ?? "") == (taint["value"]?.stringValue ?? "")
        default: return false
        }
    }

    /// The first of the node's taints with one of `effects` that no toleration tolerates.
    static func firstUntolerated(taints: [JSONValue], tolerations: [JSONValue], effects: Set<String>) -> JSONValue? {
        taints.first { taint in
            effects.contains(taint["effect"]?.stringValue ?? "") && !tolerations.contains { tolerates($0, taint) }
        }
    }

    /// How many `PreferNoSchedule` taints the pod does not tolerate (the TaintToleration score: fewer is better).
    static func untoleratedPreferNoSchedule(taints: [JSONValue], tolerations: [JSONValue]) -> Int {
        taints.filter { taint in
            taint["effect"] == "PreferNoSchedule" && !tolerations.contains { tolerates($0, taint) }
        }.count
    }
}
