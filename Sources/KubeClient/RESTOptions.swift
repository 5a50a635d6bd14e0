import KubeModel

/// Options of a list call: selectors, paging and resourceVersion semantics.
public struct ListOptions: Sendable, Hashable {
    /// `app=x,tier in (a,b)`.
    public var labelSelector: String?
    /// `metadata.name=x,status.phase!=Running`.
    public var fieldSelector: String?
    /// Page size; nil for the server's default (everything).
    public var limit: Int?
    /// The continue token of the previous page.
    public var continueToken: String?
    /// `""` (most recent, from etcd), `"0"` (any, from the cache) or a specific version.
    public var resourceVersion: String?
    /// `NotOlderThan` or `Exact`, qualifying `resourceVersion`.
    public var resourceVersionMatch: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil, resourceVersionMatch: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch)) }
        return items
    }
}

/// Options of a watch request.
public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Watch changes after this version (usually the list's resourceVersion).
    public var resourceVersion: String?
    public var allowWatchBookmarks: Bool
    /// The server ends the stream after this many seconds.
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = [("watch", "true")]
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// Options of create, update and status writes.
public struct WriteOptions: Sendable, Hashable {
    /// Records which component owns the fields written (server-side field management).
    public var fieldManager: String?
    /// Validate and default without persisting.
    public var dryRun: Bool

    public init(fieldManager: String? = nil, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        if dryRun { items.append(("dryRun", "All")) }
        return items
    }
}

/// A patch body and the content type that says how the server applies it.
public enum Patch: Sendable, Hashable {
    /// RFC 7386 merge patch (`application/merge-patch+json`): `null` deletes a field.
    case merge(JSONValue)
    /// RFC 6902 JSON patch (`application/json-patch+json`): an array of operations.
    case json([JSONPatchOperation])
    /// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`); built-in kinds only.
    case strategicMerge(JSONValue)
    /// Server-side apply (`application/apply-patch+yaml`): the full intent of one field manager.
    /// Needs `PatchOptions.fieldManager`.
    case apply(JSONValue)

    public var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }

    /// The body as sent (JSON is valid YAML, so apply patches go as JSON too).
    public var body: JSONValue {
        switch self {
        case .merge(let value), .strategicMerge(let value), .apply(let value): return value
        case .json(let operations): return .array(operations.map(\.jsonValue))
        }
    }
}

/// One RFC 6902 operation.
public struct JSONPatchOperation: Sendable, Hashable {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    public var op: String
    /// A JSON pointer, such as `/spec/replicas` or `/metadata/labels/app.kubernetes.io~1name`.
    public var path: String
    public var value: JSONValue?
    public var from: String?

    public init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    public static func add(_ path: String, _ value: JSONValue) -> Self { .init(op: "add", path: path, value: value) }
    public static func replace(_ path: String, _ value: JSONValue) -> Self { .init(op: "replace", path: path, value: value) }
    public static func remove(_ path: String) -> Self { .init(op: "remove", path: path) }
    public static func test(_ path: String, _ value: JSONValue) -> Self { .init(op: "test", path: path, value: value) }

    var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
        if let value { members["value"] = value }
        if let from { members["from"] = .string(from) }
        return .object(members)
    }
}

/// Options of a patch.
public struct PatchOptions: Sendable, Hashable {
    /// Required for server-side apply; recommended for every write.
    public var fieldManager: String?
    /// Server-side apply: take ownership of fields other managers own instead of failing with 409.
    public var force: Bool
    public var dryRun: Bool

    public init(fieldManager: String? = nil, force: Bool = false, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
    }
}

/// Options of a delete.
public struct DeleteOptions: Sendable, Hashable {
    /// What happens to dependents: `Foreground`, `Background` or `Orphan`.
    public enum PropagationPolicy: String, Sendable, Hashable {
        case foreground = "Foreground"
        case background = "Background"
        case orphan = "Orphan"
    }

    public var propagationPolicy: PropagationPolicy?
    /// Delete only if the object still has this uid (not a recreated namesake).
    public var preconditionUID: String?
    /// Delete only if nobody changed the object since this version.
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int?
    public var dryRun: Bool

    public init(propagationPolicy: PropagationPolicy? = nil, preconditionUID: String? = nil,
                preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    /// The `DeleteOptions` body.
    var body: JSONValue {
        var members: [String: JSONValue] = ["apiVersion": "v1", "kind": "DeleteOptions"]
        if let propagationPolicy { members["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        var preconditions: [String: JSONValue] = [:]
        if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
        if !preconditions.isEmpty { members["preconditions"] = .object(preconditions) }
        if let gracePeriodSeconds { members["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if dryRun { members["dryRun"] = ["All"] }
        return .object(members)
    }
}
