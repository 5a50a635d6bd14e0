import Foundation
import KubeClient
import KubeModel

/// Creates or updates arbitrary objects (as `kubectl apply` does for new objects), mapping each
/// kind the demo uses to its resource.
public struct ObjectApplier: Sendable {
    public let client: RESTClient

    public init(client: RESTClient) { self.client = client }

    static let resources: [String: GroupVersionResource] = [
        "CustomResourceDefinition": .customResourceDefinitions, "InferenceModel": .inferenceModels,
        "Deployment": .deployments, "Service": .services, "ConfigMap": .configMaps, "Namespace": .namespaces,
    ]

    /// Creates the object, or replaces its spec/data when it exists.
    @discardableResult
    public func apply(_ object: JSONValue, defaultNamespace: String = "default") async throws -> JSONValue {
        guard let kind = object["kind"]?.stringValue, let gvr = Self.resources[kind] else {
            throw DemoError("cannot apply kind \(object["kind"]?.stringValue ?? "(none)")")
        }
        var object = object
        let namespace = gvr.namespaced ? (object[path: ["metadata", "namespace"]]?.stringValue ?? defaultNamespace) : nil
        if let namespace { object[path: ["metadata", "namespace"]] = .string(namespace) }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        do {
            return try await client.create(gvr, namespace: namespace, body: object)
        } catch let error as KubeAPIError where error.isAlreadyExists {
            var current = try await client.get(gvr, namespace: namespace, name: name)
            for key in object.objectValue?.keys ?? [:].keys where !["metadata", "status", "apiVersion", "kind"].contains(key) {
                current[key] = object[key]
            }
            return try await client.update(gvr, namespace: namespace, body: current)
        }
    }
}
