/// The object metadata of an InferenceModel: the subset of Kubernetes `ObjectMeta` the
/// operator reads and writes.
///
/// A stand-in until KubeClient's shared `ObjectMeta` lands; its keys and JSON form are those of
/// `metav1.ObjectMeta`, so replacing it changes no wire format. Absent fields are left out
/// when encoding.
public struct ModelObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    /// Incremented by the API server on every change of the spec.
    public var generation: Int64?
    public var creationTimestamp: String?
    public var deletionTimestamp: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var finalizers: [String]?

    public init(
        name: String? = nil, namespace: String? = nil, uid: String? = nil,
        resourceVersion: String? = nil, generation: Int64? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.labels = labels
        self.annotations = annotations
    }
}
