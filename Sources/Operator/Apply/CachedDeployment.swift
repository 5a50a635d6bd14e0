import KubeModel

/// What the operator keeps of a Deployment in its cache: the metadata, the replicas, selector
/// and pod-template labels and annotations it reads, the status (its conditions only where
/// they report trouble: `Available` and `Progressing` that hold say nothing the replica counts
/// do not), and a digest of the rest of the
/// spec as the operator owns it (`OwnedFields.digest`), instead of the pod template itself,
/// which is most of a Deployment's memory. The digest is enough to tell whether the Deployment
/// still is what the operator wants (a hand edit changes it); an update writes the desired spec
/// whole, so the old template is never needed. Shaped like `Deployment` (`spec?.replicas`,
/// `spec?.template.metadata`, `status`) so readers do not care which one they hold.
public struct CachedDeployment: KubeObject, Hashable {
    public static var gvr: GroupVersionResource { Deployment.gvr }
    public static var gvk: GroupVersionKind { Deployment.gvk }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: DeploymentStatus?

    /// The spec fields the operator reads, and the digest of what it owns of the rest.
    public struct Spec: Sendable, Hashable {
        public var replicas: Int?
        public var selector: LabelSelector
        public var template: Template
        /// `OwnedFields.digest` of the whole spec, defaulted, without the template's metadata.
        public var ownedDigest: OwnedSpecDigest
    }

    /// The pod template's metadata (the serving version's annotations, labels others may add).
    public struct Template: Sendable, Hashable {
        public var metadata: ObjectMeta?
    }

    /// The projection of a Deployment as read from or written to the API server.
    public init(_ deployment: Deployment) {
        self.init(deployment, digest: nil)
    }

    /// The projection of a Deployment the API server just returned for a write: its digest is the
    /// memo's when it knows this uid and generation (the server's spec at a generation never
    /// changes), so a written Deployment projected for the informer's cache and for the
    /// reconciler is hashed once.
    public init(returnedByServer deployment: Deployment) {
        self.init(deployment, digest: OwnedSpecDigestMemo.shared.digest(uid: deployment.metadata.uid,
                                                                        generation: deployment.metadata.generation))
    }

    private init(_ deployment: Deployment, digest known: OwnedSpecDigest?) {
        apiVersion = deployment.apiVersion
        kind = deployment.kind
        metadata = deployment.metadata.keptForChildCache
        spec = deployment.spec.map { spec in
            Spec(replicas: spec.replicas, selector: spec.selector, template: Template(metadata: spec.template.metadata),
                 ownedDigest: known ?? OwnedFields.digest(of: spec))
        }
        status = deployment.status.map(Self.keptStatus)
        if known == nil, let digest = spec?.ownedDigest {
            // A Deployment the operator just wrote comes back as a watch event at the same generation.
            OwnedSpecDigestMemo.shared.record(digest, uid: metadata.uid, generation: metadata.generation)
        }
    }

    /// The status without the conditions that report no trouble.
    private static func keptStatus(_ status: DeploymentStatus) -> DeploymentStatus {
        var status = status
        status.conditions = status.conditions?.filter { !isHealthy($0) }
        return status
    }

    /// A healthy `Available=True` or `Progressing=True`, which says nothing the counts do not.
    private static func isHealthy(_ condition: Condition) -> Bool {
        (condition.type == "Available" || condition.type == "Progressing") && condition.status == "True"
    }

    private enum Keys: String, CodingKey { case apiVersion, kind, metadata, spec, status }
    private enum SpecKeys: String, CodingKey { case replicas, selector, template }
    private enum TemplateKeys: String, CodingKey { case metadata }

    /// Decodes a Deployment's JSON into its projection. When the digest of the spec at this uid
    /// and generation is known (``OwnedSpecDigestMemo``: a status update of a Deployment already
    /// seen, or the watch event of one the operator wrote), only the fields kept are decoded;
    /// otherwise the whole Deployment, and its digest is recorded. Either way the result is
    /// `init(_:)` of the decoded `Deployment`.
    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        let metadata = try root.decode(ObjectMeta.self, forKey: .metadata)
        let memo = OwnedSpecDigestMemo.shared
        guard let digest = memo.digest(uid: metadata.uid, generation: metadata.generation),
              root.contains(.spec), try root.decodeNil(forKey: .spec) == false
        else {
            self.init(try Deployment(from: decoder))  // Records the digest.
            return
        }
        let fields = try root.nestedContainer(keyedBy: SpecKeys.self, forKey: .spec)
        let template = try fields.nestedContainer(keyedBy: TemplateKeys.self, forKey: .template)
        self.init(apiVersion: try root.decodeIfPresent(String.self, forKey: .apiVersion),
                  kind: try root.decodeIfPresent(String.self, forKey: .kind), metadata: metadata.keptForChildCache,
                  spec: Spec(replicas: try fields.decodeIfPresent(Int.self, forKey: .replicas),
                             selector: try fields.decode(LabelSelector.self, forKey: .selector),
                             template: Template(metadata: try template.decodeIfPresent(ObjectMeta.self, forKey: .metadata)),
                             ownedDigest: digest),
                  status: try root.decodeIfPresent(DeploymentStatus.self, forKey: .status).map(Self.keptStatus))
    }

    private init(apiVersion: String?, kind: String?, metadata: ObjectMeta, spec: Spec?, status: DeploymentStatus?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// A projection is never written: the operator writes whole `Deployment`s.
    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, EncodingError.Context(
            codingPath: encoder.codingPath, debugDescription: "a CachedDeployment is a cache projection; write a Deployment"))
    }
}

/// A 128-bit digest of a typed value (two SipHash runs over its `Hashable` contents). Equal
/// values give equal digests; the seed is per process, like the caches that hold them.
public struct OwnedSpecDigest: Sendable, Hashable {
    let first: Int
    let second: Int

    init(_ value: some Hashable) {
        var one = Hasher()
        one.combine(1)
        one.combine(value)
        var two = Hasher()
        two.combine(2)
        two.combine(value)
        first = one.finalize()
        second = two.finalize()
    }
}

