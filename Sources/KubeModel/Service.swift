/// A core/v1 Service: a stable address for the pods its selector matches.
public struct Service: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ServiceSpec?
    public var status: JSONValue?

    public init(apiVersion: String? = "v1", kind: String? = "Service", metadata: ObjectMeta = ObjectMeta(),
                spec: ServiceSpec? = nil, status: JSONValue? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a Service.
public struct ServiceSpec: Codable, Sendable, Hashable {
    /// `ClusterIP` (the default), `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String?
    public var selector: [String: String]?
    public var ports: [ServicePort]?
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var sessionAffinity: String?
    public var externalTrafficPolicy: String?
    public var internalTrafficPolicy: String?
    public var ipFamilies: [String]?
    public var ipFamilyPolicy: String?

    public init(type: String? = nil, selector: [String: String]? = nil, ports: [ServicePort]? = nil,
                clusterIP: String? = nil, clusterIPs: [String]? = nil, sessionAffinity: String? = nil,
                externalTrafficPolicy: String? = nil, internalTrafficPolicy: String? = nil,
                ipFamilies: [String]? = nil, ipFamilyPolicy: String? = nil) {
        self.type = type
        self.selector = selector
        self.ports = ports
        self.clusterIP = clusterIP
        self.clusterIPs = clusterIPs
        self.sessionAffinity = sessionAffinity
        self.externalTrafficPolicy = externalTrafficPolicy
        self.internalTrafficPolicy = internalTrafficPolicy
        self.ipFamilies = ipFamilies
        self.ipFamilyPolicy = ipFamilyPolicy
    }
}

/// A port a Service exposes and the pod port it forwards to.
public struct ServicePort: Codable, Sendable, Hashable {
    public var port: Int
    public var name: String?
    public var `protocol`: String?
    public var targetPort: IntOrString?
    public var nodePort: Int?
    public var appProtocol: String?

    public init(port: Int, name: String? = nil, protocol: String? = nil, targetPort: IntOrString? = nil,
                nodePort: Int? = nil, appProtocol: String? = nil) {
        self.port = port
        self.name = name
        self.protocol = `protocol`
        self.targetPort = targetPort
        self.nodePort = nodePort
        self.appProtocol = appProtocol
    }
}
extension Service {
    public static let gvr = GroupVersionResource.services
    public static let gvk = GroupVersionKind(apiVersion: "v1", kind: "Service")
}
