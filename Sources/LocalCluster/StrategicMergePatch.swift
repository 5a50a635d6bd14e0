import KubeModel

/// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in resources:
/// maps merge recursively, lists of objects merge by their merge key (`name` for containers,
/// env and volumes; `containerPort` for container ports, `port` for service ports; `type`
/// for conditions...), `null` deletes, and the directives `$patch: replace|delete|merge`,
/// `$retainKeys`, `$deleteFromPrimitiveList/<field>` are honoured; `$setElementOrder/<field>`
/// is accepted and ignored (element order is not significant here).
enum StrategicMergePatch {
    /// Merge keys of lists of objects, by the list's field name.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "volumes": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "conditions": "type", "ownerReferences": "uid", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "secrets": "name",
        "addresses": "type", "taints": "key",
    ]
    /// Lists of scalars merged as sets.
    static let mergedPrimitiveLists: Set<String> = ["finalizers"]

    static func apply(_ patch: JSONValue, to original: JSONValue) throws(APIError) -> JSONValue {
        guard case .object = patch else { throw APIError.badRequest("strategic merge patch must be a JSON object") }
        return mergeObject(original, patch)
    }

    static func mergeObject(_ original: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        if patchMembers["$patch"]?.stringValue == "replace" {
            return stripDirectives(patch)
        }
        var result = original.objectValue ?? [:]
        var retainKeys: [String]?
        for (key, value) in patchMembers {
            if key == "$patch" { continue }
            if key == "$retainKeys" {
                retainKeys = (value.arrayValue ?? []).compactMap(\.stringValue)
                continue
            }
            if key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let removals = Set(value.arrayValue ?? [])
                if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !removals.contains($0) }) }
                continue
            }
            switch value {
            case .null:
                result.removeValue(forKey: key)
            case .object(let members):
                if members["$patch"]?.stringValue == "delete" {
                    result.removeValue(forKey: key)
                } else {
                    result[key] = mergeObject(result[key] ?? .object([:]), value)
                }
            case .array(let elements):
                result[key] = mergeList(field: key, original: result[key]?.arrayValue ?? [], patch: elements)
            default:
                result[key] = value
            }
        }
        if let retainKeys {
            let keep = Set(retainKeys)
            result = result.filter { keep.contains($0.key) }
        }
        return .object(result)
    }

    static func mergeList(field: String, original: [JSONValue], patch: [JSONValue]) -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil }.map(stripDirectives))
        }
        if mergedPrimitiveLists.contains(field) {
            var merged = original
            for element in patch where !merged.contains(element) { merged.append(element) }
            return .array(merged)
        }
        guard let key = mergeKey(field: field, elements: original + patch) else {
            return .array(patch.map(stripDirectives))
        }
        var merged = original
        for element in patch {
            guard let identity = element[key] else {
                merged.append(stripDirectives(element))
                continue
            }
            let index = merged.firstIndex { $0[key] == identity }
            if element["$patch"]?.stringValue == "delete" {
                merged.removeAll { $0[key] == identity }
            } else if let index {
                merged[index] = mergeObject(merged[index], element)
            } else {
                merged.append(mergeObject(.object([:]), element))
            }
        }
        return .array(merged)
    }

    private static func mergeKey(field: String, elements: [JSONValue]) -> String? {
        if field == "ports" {
            return elements.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        }
        return mergeKeys[field]
    }

    private static func stripDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.key.hasPrefix("$") }.mapValues(stripDirectives))
        case .array(let elements):
            return .array(elements.map(stripDirectives))
        default:
            return value
        }
    }
}
