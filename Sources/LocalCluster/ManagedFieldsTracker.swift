import KubeModel

/// One `metadata.managedFields` entry.
struct ManagedFieldsEntry: Equatable, Sendable {
    var manager: String
    /// `Update` or `Apply`.
    var operation: String
    var apiVersion: String
    var time: String?
    var subresource: String?
    var fields: FieldSet

    init(manager: String, operation: String, apiVersion: String, time: String?, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue, let operation = json["operation"]?.stringValue else { return nil }
        self.init(manager: manager, operation: operation, apiVersion: json["apiVersion"]?.stringValue ?? "",
                  time: json["time"]?.stringValue, subresource: json["subresource"]?.stringValue,
                  fields: FieldSet(fieldsV1: json["fieldsV1"] ?? .object([:])))
    }

    var json: JSONValue {
        var entry: JSONValue = [
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { entry["time"] = .string(time) }
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    /// How conflict messages name the manager: `"kubectl"`, or `"x" using apps/v1` for an Update.
    var conflictName: String {
        var text = "\"\(manager)\""
        if let subresource { text += " with subresource \"\(subresource)\"" }
        if operation == "Update" { text += " using \(apiVersion)" }
        return text
    }

    func sameOwner(as other: ManagedFieldsEntry) -> Bool {
        manager == other.manager && operation == other.operation && subresource == other.subresource
    }
}

/// Who wrote: the field manager, Update or Apply, the subresource, and for Apply the applied configuration.
struct FieldManagerWrite: Sendable {
    var manager: String
    var apiVersion: String
    var subresource: String?
    /// The applied configuration of a server-side apply; nil for an Update.
    var applied: JSONValue?
    var force = false
    var time: String
}

/// Keeps `metadata.managedFields` the way a 1.25 API server does, simplified: an Update takes
/// ownership of the fields it added or changed (other managers lose them), removed fields leave
/// every set, an Apply owns exactly the fields it applied and conflicts with other managers' fields
/// whose value it would change (409 unless forced), and entries are ordered Apply first, then by time.
/// The field sets follow the real notation; see ``FieldSetRules`` for what is approximated.
struct ManagedFieldsTracker {
    let rules: FieldSetRules
    let hasStatusSubresource: Bool

    init(type: ResourceType) {
        rules = FieldSetRules.forType(type)
        hasStatusSubresource = type.hasStatus
    }

    /// The entries a write starts from: the request's own `managedFields` when it sends a non-empty valid
    /// list (an empty list resets them), else the stored object's. Subresource writes always keep the stored ones.
    static func baseEntries(request: JSONValue, stored: JSONValue?, subresource: String?) -> [JSONValue]? {
        let storedEntries = stored?[path: ["metadata", "managedFields"]]?.arrayValue
        guard subresource == nil, let sent = request[path: ["metadata", "managedFields"]]?.arrayValue else {
            return storedEntries
        }
        if sent.isEmpty || (sent.count == 1 && sent[0].objectValue?.isEmpty == true) { return [] }
        let decoded = sent.compactMap(ManagedFieldsEntry.init(json:))
        return decoded.count == sent.count ? sent : storedEntries
    }

    /// The managed fields after `write` turned `old` (nil on create) into `new`.
    func entries(after write: FieldManagerWrite, base: [JSONValue]?, old: JSONValue?, new: JSONValue) throws(APIError)
        -> [JSONValue]
    {
        var entries = (base ?? []).compactMap(ManagedFieldsEntry.init(json:))
        let builder = FieldSetBuilder(rules: rules)
        // A status write is scoped to the status: its fields are computed from the status alone
        // (the same sets, without walking the whole object three times on every status update).
        let (scopedOld, scopedNew) = write.subresource == "status"
            ? (old.map(Self.statusOnly), Self.statusOnly(new)) : (old, new)
        let changed = scoped(builder.changed(from: scopedOld, to: scopedNew), subresource: write.subresource)
        let removed = scopedOld.map {
            scoped(builder.all($0).subtracting(builder.all(scopedNew)), subresource: write.subresource)
        } ?? FieldSet()
        var writer = ManagedFieldsEntry(manager: write.manager, operation: write.applied == nil ? "Update" : "Apply",
                                        apiVersion: write.apiVersion, time: write.time, subresource: write.subresource,
                                        fields: FieldSet())
        if let applied = write.applied {
            var applyRules = rules
            applyRules.forApply = true
            let appliedFields = scoped(FieldSetBuilder(rules: applyRules).all(applied), subresource: write.subresource)
            try checkConflicts(appliedFields, by: writer, entries: entries, old: old, new: new, force: write.force)
            writer.fields = appliedFields
        } else {
            let previous = entries.first { $0.sameOwner(as: writer) }?.fields ?? FieldSet()
            writer.fields = previous.union(changed).subtracting(removed)
            if changed.isEmpty, removed.isEmpty, let kept = entries.first(where: { $0.sameOwner(as: writer) }) {
                writer.time = kept.time
            }
        }
        entries = entries.compactMap { entry in
            if entry.sameOwner(as: writer) { return nil }
            var remaining = entry
            remaining.fields = entry.fields.subtracting(changed).subtracting(removed)
            return remaining.fields.isEmpty ? nil : remaining
        }
        if !writer.fields.isEmpty { entries.append(writer) }
        return Self.sorted(entries).map(\.json)
    }

    /// The object with nothing but its `status` (an empty object when it has none).
    private static func statusOnly(_ object: JSONValue) -> JSONValue {
        var kept: [String: JSONValue] = [:]
        if let status = object["status"] { kept["status"] = status }
        return .object(kept)
    }

    /// Only what the write may touch: the status for `/status`, everything but the status otherwise
    /// (when the kind has a status subresource), `spec.replicas` for `/scale`.
    private func scoped(_ set: FieldSet, subresource: String?) -> FieldSet {
        switch subresource {
        case "status":
            return FieldSet(children: set.children.filter { $0.key == "f:status" })
        case "scale":
            return FieldSet(children: set.children.filter { $0.key == "f:spec" })
        default:
            guard hasStatusSubresource else { return set }
            return FieldSet(children: set.children.filter { $0.key != "f:status" })
        }
    }

    private func checkConflicts(_ applied: FieldSet, by writer: ManagedFieldsEntry, entries: [ManagedFieldsEntry],
                                old: JSONValue?, new: JSONValue, force: Bool) throws(APIError) {
        guard let old, !force else { return }
        var conflicts: [(path: [String], owner: ManagedFieldsEntry)] = []
        // Only fields holding values conflict: a list element or an object both sides have is not a conflict.
        for path in applied.leafPaths {
            guard let oldValue = FieldSetBuilder.value(at: path, in: old),
                  oldValue != FieldSetBuilder.value(at: path, in: new) else { continue }
            for entry in entries where !entry.sameOwner(as: writer) && entry.fields.contains(path) {
                conflicts.append((path, entry))
            }
        }
        guard !conflicts.isEmpty else { return }
        throw Self.conflictError(conflicts)
    }

    /// The 409 a real server answers to an apply that would change other managers' fields.
    static func conflictError(_ conflicts: [(path: [String], owner: ManagedFieldsEntry)]) -> APIError {
        let sorted = conflicts.sorted { FieldSet.render($0.path) < FieldSet.render($1.path) }
        let causes: [JSONValue] = sorted.map { conflict in
            ["reason": "FieldManagerConflict", "message": .string("conflict with \(conflict.owner.conflictName)"),
             "field": .string(FieldSet.render(conflict.path))]
        }
        let summary: String
        if sorted.count == 1 {
            summary = "conflict with \(sorted[0].owner.conflictName): \(FieldSet.render(sorted[0].path))"
        } else {
            var owners: [String] = []
            var paths: [String: [String]] = [:]
            for conflict in sorted {
                let owner = conflict.owner.conflictName
                if paths[owner] == nil { owners.append(owner) }
                paths[owner, default: []].append(FieldSet.render(conflict.path))
            }
            summary = owners.sorted().map { owner in
                (["conflicts with \(owner):"] + (paths[owner] ?? []).map { "- \($0)" }).joined(separator: "\n")
            }.joined(separator: "\n")
        }
        let count = sorted.count == 1 ? "1 conflict" : "\(sorted.count) conflicts"
        return APIError(code: 409, reason: "Conflict", message: "Apply failed with \(count): \(summary)",
                        details: ["causes": .array(causes)])
    }

    /// Apply entries first, then by time, then by manager name.
    static func sorted(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        entries.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if (a.operation == "Apply") != (b.operation == "Apply") { return a.operation == "Apply" }
            if (a.time ?? "") != (b.time ?? "") { return (a.time ?? "") < (b.time ?? "") }
            if a.manager != b.manager { return a.manager < b.manager }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
