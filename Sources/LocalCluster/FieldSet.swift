import KubeModel

/// A set of field paths in the `FieldsV1` notation of `managedFields`: `f:<field>` for a field,
/// `k:{"name":"x"}` for a list element by its keys, `v:<value>` for a set element, and `.` for
/// "this object or list itself". A node is a member when it is in the set itself; a member
/// without children is a leaf (`{}`).
struct FieldSet: Equatable, Sendable {
    var isMember = false
    var children: [String: FieldSet] = [:]

    static let leaf = FieldSet(isMember: true)

    var isEmpty: Bool { !isMember && children.isEmpty }

    init(isMember: Bool = false, children: [String: FieldSet] = [:]) {
        self.isMember = isMember
        self.children = children
    }

    /// Parses a `fieldsV1` object.
    init(fieldsV1: JSONValue) {
        let members = fieldsV1.objectValue ?? [:]
        if members.isEmpty {
            isMember = true
            return
        }
        for (key, value) in members {
            if key == "." {
                isMember = true
            } else {
                children[key] = FieldSet(fieldsV1: value)
            }
        }
    }

    /// The `fieldsV1` object.
    var fieldsV1: JSONValue {
        if children.isEmpty { return .object([:]) }
        var members = children.mapValues(\.fieldsV1)
        if isMember { members["."] = .object([:]) }
        return .object(members)
    }

    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (key, child) in other.children {
            result.children[key] = result.children[key].map { $0.union(child) } ?? child
        }
        return result
    }

    func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && !other.isMember)
        for (key, child) in children {
            guard let removed = other.children[key] else {
                result.children[key] = child
                continue
            }
            let remaining = child.subtracting(removed)
            if !remaining.isEmpty { result.children[key] = remaining }
        }
        return result
    }

    /// Every member path without children (the fields that hold values), depth first, in key order.
    var leafPaths: [[String]] {
        var paths: [[String]] = []
        func walk(_ node: FieldSet, _ prefix: [String]) {
            if node.isMember, node.children.isEmpty, !prefix.isEmpty { paths.append(prefix) }
            for key in node.children.keys.sorted() {
                if let child = node.children[key] { walk(child, prefix + [key]) }
            }
        }
        walk(self, [])
        return paths
    }

    /// Whether `path` is a member.
    func contains(_ path: [String]) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(Array(path.dropFirst())) ?? false
    }

    /// Removes one member path (and nodes left empty).
    mutating func remove(_ path: [String]) {
        guard let first = path.first else {
            isMember = false
            return
        }
        guard var child = children[first] else { return }
        child.remove(Array(path.dropFirst()))
        children[first] = child.isEmpty ? nil : child
    }

    /// A path as conflict messages print it: `.spec.template.spec.containers[name="model-server"].image`.
    static func render(_ path: [String]) -> String {
        var text = ""
        for element in path {
            if element.hasPrefix("f:") {
                text += "." + element.dropFirst(2)
            } else if element.hasPrefix("k:"), let keys = try? JSONValue.parse(String(element.dropFirst(2))).objectValue {
                let parts = keys.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.jsonString)" }
                text += "[" + parts.joined(separator: ",") + "]"
            } else if element.hasPrefix("v:") {
                text += "[=" + element.dropFirst(2) + "]"
            } else if element.hasPrefix("i:") {
                text += "[" + element.dropFirst(2) + "]"
            }
        }
        return text
    }
}
