/// A status condition, as Deployments, Pods, Nodes, CRDs and custom resources report them.
/// One type covers the variants: the time fields a kind does not use stay absent.
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    public var reason: String?
    public var message: String?
    public var observedGeneration: Int64?
    /// RFC 3339 times.
    public var lastTransitionTime: String?
    public var lastUpdateTime: String?
    public var lastProbeTime: String?
    public var lastHeartbeatTime: String?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil,
                observedGeneration: Int64? = nil, lastTransitionTime: String? = nil, lastUpdateTime: String? = nil,
                lastProbeTime: String? = nil, lastHeartbeatTime: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.lastUpdateTime = lastUpdateTime
        self.lastProbeTime = lastProbeTime
        self.lastHeartbeatTime = lastHeartbeatTime
    }

    public var isTrue: Bool { status == "True" }
}

extension Array where Element == Condition {
    /// The condition of the given type, if present.
    public subscript(type type: String) -> Condition? { first { $0.type == type } }
}
