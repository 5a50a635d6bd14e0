import KubeModel

/// How the fields of one kind are tracked: which lists are keyed maps (`containers` by `name`,
/// container `ports` by `containerPort` and `protocol`), which are sets, which objects and lists
/// are atomic (owned as a whole), and which objects are never members themselves (`.`).
struct FieldSetRules: Sendable {
    enum ListKind: Equatable, Sendable {
        case atomic
        case set
        /// Elements keyed by these fields; `atomicElements` elements are owned whole (`ownerReferences`).
        case map(keys: [String], atomicElements: Bool)
    }

    /// The custom resource schema, or nil for built-in kinds.
    var schema: JSONValue?
    /// Server-side apply: objects are members only as list elements.
    var forApply = false

    static func forType(_ type: ResourceType) -> FieldSetRules {
        // Spelled out: a bare `nil` here would become JSONValue.null (JSONValue is ExpressibleByNilLiteral).
        let schema: JSONValue? = type.isCustom ? (type.schema ?? .object([:])) : Optional<JSONValue>.none
        return FieldSetRules(schema: schema)
    }

    // Built-in knowledge, by field name (paths hold field names only, no list positions).
    private static let keyedLists: [String: [String]] = [
        "containers": ["name"], "initContainers": ["name"], "ephemeralContainers": ["name"], "env": ["name"],
        "volumes": ["name"], "imagePullSecrets": ["name"], "volumeMounts": ["mountPath"],
        "volumeDevices": ["devicePath"], "conditions": ["type"], "podIPs": ["ip"], "hostAliases": ["ip"],
        "topologySpreadConstraints": ["topologyKey", "whenUnsatisfiable"], "ownerReferences": ["uid"],
        "readinessGates": ["conditionType"], "addresses": ["type"], "taints": ["key", "effect"],
    ]
    private static let setLists: Set<String> = ["finalizers"]
    /// Objects owned whole, by path.
    private static let atomicObjects: Set<[String]> = [
        ["spec", "selector"], ["spec", "template", "spec", "nodeSelector"], ["spec", "nodeSelector"],
    ]
    /// The last names of `atomicObjects` and `neverMembers`, checked before the whole path.
    private static let atomicObjectNames = Set(atomicObjects.compactMap(\.last))
    private static let neverMemberNames = Set(neverMembers.compactMap(\.last))
    /// Objects that exist whenever their parent does (Go structs that are not pointers): never members.
    private static let neverMembers: Set<[String]> = [
        ["metadata"], ["spec"], ["status"], ["spec", "strategy"], ["spec", "template"], ["spec", "template", "metadata"],
        ["spec", "template", "spec"], ["spec", "template", "spec", "containers"], ["spec", "containers"],
    ]

    func listKind(_ path: [String]) -> ListKind {
        if let schema {
            guard let node = Self.schemaNode(schema, path) else { return .atomic }
            switch node["x-kubernetes-list-type"]?.stringValue {
            case "map":
                return .map(keys: (node["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue),
                            atomicElements: false)
            case "set":
                return .set
            default:
                return .atomic
            }
        }
        guard let name = path.last else { return .atomic }
        if Self.setLists.contains(name) { return .set }
        if name == "ports" {
            return path.contains("containers") || path.contains("initContainers") || path.contains("ephemeralContainers")
                ? .map(keys: ["containerPort", "protocol"], atomicElements: false)
                : .map(keys: ["port", "protocol"], atomicElements: false)
        }
        if let keys = Self.keyedLists[name] { return .map(keys: keys, atomicElements: name == "ownerReferences") }
        return .atomic
    }

    func isAtomicObject(_ path: [String]) -> Bool {
        if let schema {
            return Self.schemaNode(schema, path)?["x-kubernetes-map-type"]?.stringValue == "atomic"
        }
        // The last name first: hashing a whole path at every field of every write was most of this.
        guard let last = path.last, Self.atomicObjectNames.contains(last) else { return false }
        return Self.atomicObjects.contains(path)
    }

    func canBeMember(_ path: [String]) -> Bool {
        if forApply { return false }
        if schema != nil { return path != ["metadata"] }
        guard let last = path.last, Self.neverMemberNames.contains(last) else { return true }
        return !Self.neverMembers.contains(path)
    }

    /// The schema node at a path of field names (list items stepped through implicitly).
    private static func schemaNode(_ schema: JSONValue, _ path: [String]) -> JSONValue? {
        var node: JSONValue? = schema
        for name in path {
            while let current = node, current["type"] == "array" { node = current["items"] }
            guard let current = node else { return nil }
            node = current[path: ["properties", name]] ?? (current["additionalProperties"].flatMap { $0.objectValue == nil ? nil : $0 })
        }
        return node
    }
}

/// Computes field sets of objects: every field (`all`) or the fields whose value a write changed.
struct FieldSetBuilder {
    let rules: FieldSetRules

    /// Metadata the server owns: never part of a manager's fields.
    private static let serverMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ]

    /// Every field of `object`.
    func all(_ object: JSONValue) -> FieldSet {
        changed(from: nil, to: object)
    }

    /// The fields of `new` that are new or hold a different value than in `old` (nil: everything).
    func changed(from old: JSONValue?, to new: JSONValue) -> FieldSet {
        objectFields(old, new, path: []) ?? FieldSet()
    }

    private func objectFields(_ old: JSONValue?, _ new: JSONValue, path: [String]) -> FieldSet? {
        guard case .object(let members) = new else { return nil }
        var node = FieldSet()
        let oldMembers = old?.objectValue
        for (key, value) in members {
            // A null in a built-in object is Go's zero value (`creationTimestamp: null`), not a field anyone set;
            // a custom resource's explicit null is a value and is owned.
            if value.isNull, rules.schema == nil { continue }
            if path.isEmpty, key == "apiVersion" || key == "kind" { continue }
            if path == ["metadata"], Self.serverMetadata.contains(key) { continue }
            if let child = fields(oldMembers?[key], value, path: path + [key]) { node.children["f:" + key] = child }
        }
        if !path.isEmpty, oldMembers == nil, !node.children.isEmpty, rules.canBeMember(path) { node.isMember = true }
        return node.isEmpty ? nil : node
    }

    private func fields(_ old: JSONValue?, _ new: JSONValue, path: [String]) -> FieldSet? {
        switch new {
        case .object(let members):
            if members.isEmpty || rules.isAtomicObject(path) { return old == new ? nil : .leaf }
            return objectFields(old, new, path: path)
        case .array(let elements):
            return listFields(old?.arrayValue, elements, path: path, oldValue: old)
        default:
            return old == new ? nil : .leaf
        }
    }

    private func listFields(_ old: [JSONValue]?, _ elements: [JSONValue], path: [String], oldValue: JSONValue?)
        -> FieldSet?
    {
        switch rules.listKind(path) {
        case .atomic:
            return oldValue == .array(elements) ? nil : .leaf
        case .set:
            var node = FieldSet()
            for element in elements where !(old ?? []).contains(element) {
                node.children["v:" + element.jsonString] = .leaf
            }
            if old == nil, !elements.isEmpty, rules.canBeMember(path) { node.isMember = true }
            return node.isEmpty ? nil : node
        case .map(let keys, let atomicElements):
            var node = FieldSet()
            for element in elements {
                guard let key = Self.elementKey(element, keys: keys) else { continue }
                let previous = old?.first { Self.elementKey($0, keys: keys) == key }
                let child: FieldSet?
                if atomicElements || element.objectValue == nil {
                    child = previous == element ? nil : .leaf
                } else if var fields = objectFields(previous, element, path: path) {
                    if previous == nil { fields.isMember = true }
                    child = fields
                } else {
                    child = previous == nil ? .leaf : nil
                }
                if let child { node.children["k:" + key] = child }
            }
            if old == nil, !elements.isEmpty, rules.canBeMember(path) { node.isMember = true }
            return node.isEmpty ? nil : node
        }
    }

    /// `{"containerPort":8501,"protocol":"TCP"}`: the element's key fields, sorted, as compact JSON.
    /// A port without a protocol is keyed with TCP, its default.
    static func elementKey(_ element: JSONValue, keys: [String]) -> String? {
        var key: [String: JSONValue] = [:]
        for name in keys {
            if let value = element[name] {
                key[name] = value
            } else if name == "protocol" {
                key[name] = "TCP"
            }
        }
        return key.isEmpty ? nil : JSONValue.object(key).jsonString
    }

    /// The value at a field path in `object`, or nil when absent.
    static func value(at path: [String], in object: JSONValue) -> JSONValue? {
        var current: JSONValue? = object
        for element in path {
            guard let node = current else { return nil }
            if element.hasPrefix("f:") {
                current = node[String(element.dropFirst(2))]
            } else if element.hasPrefix("k:"), let keys = try? JSONValue.parse(String(element.dropFirst(2))).objectValue {
                current = node.arrayValue?.first { candidate in
                    keys.allSatisfy { name, value in candidate[name] == value || (name == "protocol" && candidate[name] == nil && value == "TCP") }
                }
            } else if element.hasPrefix("v:"), let value = try? JSONValue.parse(String(element.dropFirst(2))) {
                current = node.arrayValue?.contains(value) == true ? value : Optional<JSONValue>.none
            } else {
                return nil
            }
        }
        return current
    }
}
