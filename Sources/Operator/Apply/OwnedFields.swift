import KubeModel

/// What the operator owns of a child object, compared as typed values against what the API
/// server holds: the server's defaults, `kind`/`apiVersion` (absent from list items of built-in
/// kinds), `managedFields`, the spelling of quantities and the fields the server or other
/// controllers own (status, cluster IPs, node ports, revision annotations) never count as a
/// difference; anything else in the spec and pod template does, so a hand edit is reverted.
enum OwnedFields {
    /// Whether the existing Deployment already is what the operator wants: the desired labels,
    /// annotations and owner references are there (on the Deployment and its pod template), and
    /// the rest of the spec, defaulted as the server stores it, has the same digest.
    static func matches(_ desired: Deployment, _ existing: CachedDeployment) -> Bool {
        guard metadataMatches(desired.metadata, existing.metadata) else { return false }
        guard let want = desired.spec, let have = existing.spec else { return desired.spec == nil }
        return metadataMatches(want.template.metadata ?? ObjectMeta(), have.template.metadata ?? ObjectMeta())
            && digest(of: want) == have.ownedDigest
    }

    /// The digest of what the operator owns of a Deployment's spec: all of it, with the server's
    /// defaults, except the pod template's metadata (compared as labels and annotations).
    static func digest(of spec: DeploymentSpec) -> OwnedSpecDigest {
        OwnedSpecDigest(spec.withServerDefaults().withoutTemplateMetadata)
    }

    /// Whether the existing Service already is what the operator wants: type, selector and
    /// ports (without the node ports the server assigns).
    static func matches(_ desired: Service, _ existing: CachedService) -> Bool {
        metadataMatches(desired.metadata, existing.metadata)
            && desired.spec.map(ownedView) == existing.spec
    }

    /// What the operator sets of a Service, defaulted as the server stores it.
    static func ownedView(_ spec: ServiceSpec) -> ServiceSpec {
        ServiceSpec(type: spec.type ?? "ClusterIP", selector: spec.selector.flatMap { $0.isEmpty ? nil : $0 },
                    ports: spec.ports.map { ports in
                        ports.map { port in
                            var port = port.withServerDefaults()
                            port.nodePort = nil
                            return port
                        }
                    })
    }

    /// The desired labels and annotations are present with their values (others may add more),
    /// and so are the desired owner references.
    static func metadataMatches(_ desired: ObjectMeta, _ existing: ObjectMeta) -> Bool {
        let labels = existing.labels ?? [:]
        let annotations = existing.annotations ?? [:]
        let owners = existing.ownerReferences ?? []
        return (desired.labels ?? [:]).allSatisfy { labels[$0.key] == $0.value }
            && (desired.annotations ?? [:]).allSatisfy { annotations[$0.key] == $0.value }
            && (desired.ownerReferences ?? []).allSatisfy(owners.contains)
    }
}

extension DeploymentSpec {
    /// The spec without the template's metadata, which is compared as labels and annotations
    /// the operator sets (others, such as `kubectl rollout restart`, may add their own).
    fileprivate var withoutTemplateMetadata: DeploymentSpec {
        var spec = self
        spec.template.metadata = nil
        return spec
    }
}
