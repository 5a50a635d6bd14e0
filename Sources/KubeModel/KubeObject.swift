/// The `apiVersion` and `kind` pair that names an object's schema (`apps/v1`, `Deployment`).
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    /// `apps/v1`, or `v1` for the core group.
    public var apiVersion: String
    public var kind: String

    public init(apiVersion: String, kind: String) {
        self.apiVersion = apiVersion
        self.kind = kind
    }

    public var description: String { "\(kind).\(apiVersion)" }
}

/// A typed Kubernetes object: it carries type meta and object metadata, and knows the resource
/// it is served under, so generic REST verbs and watches can be typed (`client.get(Deployment.self, ...)`).
public protocol KubeObject: Codable, Sendable, WatchObject {
    /// The resource URLs for this type (`deployments` in `apps/v1`).
    static var gvr: GroupVersionResource { get }
    /// The `apiVersion`/`kind` new objects of this type carry.
    static var gvk: GroupVersionKind { get }

    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta { get set }
}

extension KubeObject {
    public var objectKey: ObjectKey { ObjectKey(namespace: metadata.namespace, name: metadata.name ?? "") }
    public var objectResourceVersion: String? { metadata.resourceVersion }

    /// `namespace/name`, or `name` for cluster-scoped objects: the key caches and work queues use.
    public var key: String { metadata.key }

    /// Fills `apiVersion` and `kind` from the type when they are missing (objects built in code).
    public mutating func fillTypeMeta() {
        if apiVersion == nil || apiVersion?.isEmpty == true { apiVersion = Self.gvk.apiVersion }
        if kind == nil || kind?.isEmpty == true { kind = Self.gvk.kind }
    }
}

/// A page of objects as list calls return it (`DeploymentList`): list metadata and items.
public struct KubeList<Item: Sendable>: Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]
    /// Items that did not decode as `Item`: skipped, so one bad object never fails the list.
    public var undecodable: [UndecodableObject]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item] = [],
                undecodable: [UndecodableObject] = []) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
        self.undecodable = undecodable
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, items }
}

extension KubeList: Decodable where Item: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // The API server sends `"items": null` for an empty list of some resources.
        let elements = try container.decodeIfPresent([LenientElement<Item>].self, forKey: .items) ?? []
        items = []
        items.reserveCapacity(elements.count)
        undecodable = []
        for element in elements {
            switch element {
            case .decoded(let item): items.append(item)
            case .undecodable(let object): undecodable.append(object)
            }
        }
    }
}

extension KubeList: Encodable where Item: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(items, forKey: .items)
    }
}

extension KubeList: Equatable where Item: Equatable {}
