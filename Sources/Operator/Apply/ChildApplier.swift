import Controller
import Foundation
import KubeClient
import KubeModel
import ModelAPI

/// Makes the cluster hold a desired child object, idempotently: no write when the existing
/// object already holds what the operator owns, compared as values with the server's defaults
/// (`OwnedFields`; a relist, restart or leader change rewrites nothing);
/// a create when it is missing (deleted by hand); an update with the read `resourceVersion`
/// (optimistic concurrency: a concurrent change makes it fail with 409 and the reconcile
/// retries from fresh state) when it drifted (edited by hand or a new desired state). It never
/// takes over an object of the same name that another owner controls.
public struct ChildApplier: Sendable {
    /// What a call did, for tests that count writes and for logs.
    public enum Outcome: String, Sendable {
        case unchanged, created, updated
    }

    /// Writes the children and, when a create finds the name taken, reads the object from the server.
    public let client: any ClusterClient

    public init(client: any ClusterClient) {
        self.client = client
    }

    /// Applies a Deployment. The operator owns its spec and pod template; labels and
    /// annotations others add to the Deployment or its template are kept. The existing one is
    /// the cache's projection: an update writes the desired spec whole, on the existing metadata.
    public func apply(_ desired: Deployment, existing: CachedDeployment?, owner: InferenceModel) async throws
        -> (CachedDeployment, Outcome)
    {
        try await apply(desired, existing: existing, owner: owner, matches: OwnedFields.matches,
                        project: CachedDeployment.init(returnedByServer:)) { existing, desired in
            var merged = Deployment(apiVersion: desired.apiVersion, kind: desired.kind, metadata: existing.metadata,
                                    spec: desired.spec)
            let template = existing.spec?.template.metadata
            merged.spec?.template.metadata?.labels = (template?.labels ?? [:])
                .merging(desired.spec?.template.metadata?.labels ?? [:]) { $1 }
            merged.spec?.template.metadata?.annotations = (template?.annotations ?? [:])
                .merging(desired.spec?.template.metadata?.annotations ?? [:]) { $1 }
            return merged
        }
    }

    /// Applies a Service, keeping what the API server assigned (cluster IPs, IP families, node
    /// ports). The cache keeps only what the operator owns, so an update first reads the whole
    /// Service (and sends it back with the read resourceVersion: a change meanwhile is a 409).
    public func apply(_ desired: Service, existing: CachedService?, owner: InferenceModel) async throws
        -> (CachedService, Outcome)
    {
        try await apply(desired, existing: existing, owner: owner, matches: OwnedFields.matches,
                        project: CachedService.init) { cached, desired in
            guard let existing = try await client.get(Service.self, namespace: cached.metadata.namespace,
                                                      name: cached.metadata.name ?? "") else {
                throw KubeAPIError.notFound(Service.gvr, name: cached.metadata.name ?? "")  // Deleted meanwhile.
            }
            try requireOwnership(existing, owner: owner)
            var merged = existing
            var spec = existing.spec ?? ServiceSpec()
            spec.type = desired.spec?.type
            spec.selector = desired.spec?.selector
            spec.ports = desired.spec?.ports.map { ports in
                ports.map { port in
                    var port = port
                    port.nodePort = existing.spec?.ports?.first { $0.name == port.name }?.nodePort
                    return port
                }
            }
            merged.spec = spec
            return merged
        }
    }

    /// Creates `desired`, or updates the existing object (as the cache holds it, `Existing`)
    /// to it when it drifted; `project` turns what the server returns into the cache's form.
    private func apply<T: KubeObject, Existing: KubeObject>(
        _ desired: T, existing: Existing?, owner: InferenceModel, matches: (T, Existing) -> Bool,
        project: (T) -> Existing, merge: (Existing, T) async throws -> T
    ) async throws -> (Existing, Outcome) {
        var current = existing
        if current == nil {
            do {
                return (project(try await client.create(desired)), .created)
            } catch let error as KubeAPIError where error.isAlreadyExists {
                // Not in the cache: ours and not seen yet, or someone else's (the caches only hold
                // objects labelled as the operator's). Read it and decide.
                guard let found = try await client.get(Existing.self, namespace: desired.metadata.namespace,
                                                       name: desired.metadata.name ?? "") else {
                    throw KubeAPIError.notFound(T.gvr, name: desired.metadata.name ?? "")  // Deleted meanwhile.
                }
                current = found
            }
        }
        guard let existing = current else { throw ChildConflict(message: "\(T.gvk.kind) vanished; retrying") }
        try requireOwnership(existing, owner: owner)
        if matches(desired, existing) { return (existing, .unchanged) }
        var merged = try await merge(existing, desired)
        merged.metadata.labels = (merged.metadata.labels ?? [:]).merging(desired.metadata.labels ?? [:]) { $1 }
        merged.metadata.annotations = (merged.metadata.annotations ?? [:])
            .merging(desired.metadata.annotations ?? [:]) { $1 }
        merged.metadata.ownerReferences = desired.metadata.ownerReferences
        return (project(try await client.update(merged)), .updated)
    }

    /// The existing object must be this model's: its controller reference names the model's uid.
    /// Anything else (another controller's, or nobody's, such as a Service made by hand or a
    /// Deployment orphaned by `kubectl delete --cascade=orphan`) is never taken over.
    private func requireOwnership<T: KubeObject>(_ existing: T, owner: InferenceModel) throws {
        let controller = existing.metadata.ownerReferences?.first { $0.controller == true }
        if let uid = owner.metadata.uid, controller?.uid == uid { return }
        throw ChildConflict(kind: T.gvk.kind, name: existing.metadata.name ?? "")
    }
}

/// A child object the operator cannot write as desired, and why: an object of the same name
/// that this model does not own.
public struct ChildConflict: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }

    init(kind: String, name: String) {
        message = "\(kind) \(name) exists and is not owned by this InferenceModel; delete it or rename the model"
    }
}
