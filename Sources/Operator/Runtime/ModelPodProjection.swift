import KubeModel

/// What the operator keeps of a model's pod in its cache: name, labels, owner and deletion
/// (which model, which ReplicaSet), the node, and the status parts that explain a pod that does
/// not run (the conditions that do not hold, such as PodScheduled=False, and the init
/// containers' states for a failed archive fetch). The pod spec (containers, volumes, affinity)
/// is most of a pod's memory and nothing the operator reads: a model's Deployment says what its
/// pods run. Shaped like `Pod` (`spec?.nodeName`, `status?.conditions`) for its readers.
public struct ModelPod: KubeObject, Hashable {
    public static var gvr: GroupVersionResource { Pod.gvr }
    public static var gvk: GroupVersionKind { Pod.gvk }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    /// The node the pod is bound to.
    public struct Spec: Sendable, Hashable {
        public var nodeName: String?
    }

    /// The phase, the conditions that do not hold, and the init containers' states.
    public struct Status: Sendable, Hashable {
        public var phase: String?
        public var conditions: [Condition]?
        public var initContainerStatuses: [ContainerStatus]?
    }

    /// The projection of a pod as read from the API server.
    public init(_ pod: Pod) {
        apiVersion = pod.apiVersion
        kind = pod.kind
        metadata = Self.kept(pod.metadata)
        spec = pod.spec.map { Spec(nodeName: $0.nodeName) }
        status = pod.status.map {
            Self.kept(phase: $0.phase, conditions: $0.conditions, initContainerStatuses: $0.initContainerStatuses)
        }
    }

    /// The metadata kept: name, namespace, uid, resourceVersion, deletion, labels and owners.
    private static func kept(_ meta: ObjectMeta) -> ObjectMeta {
        ObjectMeta(name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion,
                   deletionTimestamp: meta.deletionTimestamp, labels: meta.labels, ownerReferences: meta.ownerReferences)
    }

    /// The status kept: the phase, the conditions that do not hold, the init containers' states.
    private static func kept(phase: String?, conditions: [Condition]?, initContainerStatuses: [ContainerStatus]?)
        -> Status
    {
        let unmet = conditions?.filter { $0.status != "True" }
        return Status(phase: phase, conditions: unmet?.isEmpty == true ? nil : unmet,
                      initContainerStatuses: initContainerStatuses)
    }

    private enum Keys: String, CodingKey { case apiVersion, kind, metadata, spec, status }
    private enum SpecKeys: String, CodingKey { case nodeName }
    private enum StatusKeys: String, CodingKey { case phase, conditions, initContainerStatuses }

    /// Decodes the projection straight from the pod's JSON: the pod spec (containers, volumes,
    /// affinity) is skipped, not decoded and dropped. Same result as `init(_:)` of the decoded `Pod`.
    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        apiVersion = try root.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try root.decodeIfPresent(String.self, forKey: .kind)
        metadata = Self.kept(try root.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta())
        spec = nil
        if root.contains(.spec), try root.decodeNil(forKey: .spec) == false {
            let fields = try root.nestedContainer(keyedBy: SpecKeys.self, forKey: .spec)
            spec = Spec(nodeName: try fields.decodeIfPresent(String.self, forKey: .nodeName))
        }
        status = nil
        if root.contains(.status), try root.decodeNil(forKey: .status) == false {
            let fields = try root.nestedContainer(keyedBy: StatusKeys.self, forKey: .status)
            status = Self.kept(phase: try fields.decodeIfPresent(String.self, forKey: .phase),
                               conditions: try fields.decodeIfPresent([Condition].self, forKey: .conditions),
                               initContainerStatuses: try fields.decodeIfPresent([ContainerStatus].self,
                                                                                 forKey: .initContainerStatuses))
        }
    }

    /// A projection is never written.
    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, EncodingError.Context(
            codingPath: encoder.codingPath, debugDescription: "a ModelPod is a cache projection; the operator writes no pods"))
    }
}
