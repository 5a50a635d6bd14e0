/// A `coordination.k8s.io/v1` Lease, used for leader election.
public struct Lease: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: LeaseSpec?

    public init(apiVersion: String? = "coordination.k8s.io/v1", kind: String? = "Lease",
                metadata: ObjectMeta = ObjectMeta(), spec: LeaseSpec? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// Who holds a lease and until when. Times are MicroTime strings (`2024-05-01T10:00:00.123456Z`).
public struct LeaseSpec: Codable, Sendable, Hashable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int?
    public var acquireTime: String?
    public var renewTime: String?
    public var leaseTransitions: Int?

    public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil,
                renewTime: String? = nil, leaseTransitions: Int? = nil) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
extension Lease {
    public static let gvr = GroupVersionResource.leases
    public static let gvk = GroupVersionKind(apiVersion: "coordination.k8s.io/v1", kind: "Lease")
}
