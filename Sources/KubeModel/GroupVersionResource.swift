/// Names a kind of resource on the API server: its group, version and plural resource name.
public struct GroupVersionResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group (`/api/v1`).
    public var group: String
    public var version: String
    /// The plural, lower-case resource name used in URLs (`deployments`).
    public var resource: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.resource = resource
        self.namespaced = namespaced
    }

    /// `apps/v1` or `v1` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The URL prefix of the group version: `/api/v1` or `/apis/apps/v1`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    public var description: String { group.isEmpty ? "\(resource).\(version)" : "\(resource).\(version).\(group)" }

    public static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
    public static let services = GroupVersionResource(group: "", version: "v1", resource: "services")
    public static let events = GroupVersionResource(group: "", version: "v1", resource: "events")
    public static let nodes = GroupVersionResource(group: "", version: "v1", resource: "nodes", namespaced: false)
    public static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces", namespaced: false)
    public static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    public static let secrets = GroupVersionResource(group: "", version: "v1", resource: "secrets")
    public static let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    public static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
    public static let customResourceDefinitions = GroupVersionResource(
        group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", namespaced: false)
    public static let inferenceModels = GroupVersionResource(group: "ai.kubeedge.io", version: "v1alpha1", resource: "inferencemodels")
}
