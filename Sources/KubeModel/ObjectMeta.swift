/// Metadata every persisted object has (`metadata`). `managedFields` is deliberately not modelled.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    /// RFC 3339 time, such as `2024-05-01T10:00:00Z`.
    public var creationTimestamp: String?
    /// RFC 3339 time; set once deletion was requested and finalizers still hold the object.
    public var deletionTimestamp: String?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    public var finalizers: [String]?

    public init(name: String? = nil, generateName: String? = nil, namespace: String? = nil, uid: String? = nil,
                resourceVersion: String? = nil, generation: Int64? = nil, creationTimestamp: String? = nil,
                deletionTimestamp: String? = nil, deletionGracePeriodSeconds: Int64? = nil,
                labels: [String: String]? = nil, annotations: [String: String]? = nil,
                ownerReferences: [OwnerReference]? = nil, finalizers: [String]? = nil) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
    }

    /// `namespace/name`, or `name` for cluster-scoped objects.
    public var key: String { ObjectKey(namespace: namespace, name: name ?? "").description }
}

/// Points from a dependent to its owner; garbage collection deletes dependents with their owner.
public struct OwnerReference: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    /// True on the one owner that manages this object.
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
                blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// Metadata of a list response: its resourceVersion (to watch from) and the continue token of the next page.
public struct ListMeta: Codable, Sendable, Hashable {
    public var resourceVersion: String?
    /// Opaque token for the next page; absent or empty on the last page.
    public var `continue`: String?
    public var remainingItemCount: Int64?

    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}

/// Identifies an object in a cache or work queue: `namespace/name`, or `name` when cluster-scoped.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
        self.name = name
    }

    /// Parses `namespace/name` or `name`.
    public init(_ key: String) {
        if let slash = key.firstIndex(of: "/") {
            self.init(namespace: String(key[..<slash]), name: String(key[key.index(after: slash)...]))
        } else {
            self.init(namespace: nil, name: key)
        }
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool { lhs.description < rhs.description }
}
