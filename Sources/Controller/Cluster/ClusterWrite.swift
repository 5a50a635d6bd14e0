import KubeModel

/// A verb of the cluster API, for scripting failures and reading the write log of `InMemoryCluster`.
public enum ClusterVerb: String, Sendable, Hashable, CaseIterable {
    case get, list, create, update, updateStatus, patch, delete
}

/// One write `InMemoryCluster` accepted: the verb, the resource, the object's key and the object
/// as stored afterwards (nil after a delete). A no-op update is a write too: it was sent.
public struct ClusterWrite: Sendable, Equatable, CustomStringConvertible {
    public let verb: ClusterVerb
    public let resource: GroupVersionResource
    public let key: ObjectKey
    public let object: JSONValue?

    public init(verb: ClusterVerb, resource: GroupVersionResource, key: ObjectKey, object: JSONValue?) {
        self.verb = verb
        self.resource = resource
        self.key = key
        self.object = object
    }

    /// `create deployments vision/m`.
    public var description: String { "\(verb.rawValue) \(resource.resource) \(key)" }
}
