/// The Secret, in the model's namespace, that holds the credentials for downloading the
/// model's archives (`spec.archiveCredentials`).
///
/// The Secret holds one of: `authorization` (a whole `Authorization` header value, such as
/// `Bearer abc`), `token` (sent as `Bearer <token>`), or `username` and `password` (HTTP Basic).
/// The operator reads it for its own verification download; the `fetch` init container gets the
/// same keys as environment variables from the Secret, so no credential appears in the pod spec,
/// the status, Events or logs. Credentials are sent only over https (or to loopback), and never
/// to another host a redirect leads to.
public struct ArchiveCredentialsReference: Codable, Sendable, Hashable {
    /// The Secret's name.
    public var secretName: String

    public init(secretName: String) {
        self.secretName = secretName
    }

    enum CodingKeys: String, CodingKey { case secretName }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        secretName = try container.decodeScalarStringIfPresent(forKey: .secretName) ?? ""
    }
}

/// Where a model's serving pods keep its verified archive (`spec.archiveCache`).
public enum ArchiveCacheMode: String, Codable, Sendable, CaseIterable {
    /// A directory on the node (a hostPath) keyed by digest: a pod restarted on an edge node
    /// without uplink still starts. Needs a namespace whose PodSecurity level allows hostPath
    /// volumes (`privileged`).
    case node = "Node"
    /// A volume of the pod only: every new pod downloads the archive. Passes PodSecurity
    /// `restricted`; the default.
    case pod = "Pod"

    /// The namespace label that chooses the mode for every model of the namespace that does not
    /// choose one itself.
    public static let namespaceLabel = "ai.kubeedge.io/archive-cache"
    /// The mode when neither the model nor its namespace chooses.
    public static let `default` = ArchiveCacheMode.pod
}

/// The archive cache a model's pods use, and why (`status.archiveCache`).
public struct ArchiveCacheStatus: Codable, Sendable, Hashable {
    /// `Node` or `Pod`.
    public var mode: ArchiveCacheMode
    /// Where the choice came from, in a sentence: the model's spec, its namespace's label, the
    /// default, or the namespace's PodSecurity level overriding a request for the node cache.
    public var message: String

    public init(mode: ArchiveCacheMode, message: String) {
        self.mode = mode
        self.message = message
    }
}
