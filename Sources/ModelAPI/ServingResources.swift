/// Compute resources of the serving container, as Kubernetes quantity strings
/// (`cpu: "500m"`, `memory: "2Gi"`). Numbers written unquoted in YAML (`cpu: 2`) read as text.
public struct ServingResources: Codable, Sendable, Hashable {
    /// What the scheduler reserves for each replica.
    public var requests: [String: String]?
    /// The most each replica may use.
    public var limits: [String: String]?

    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey { case requests, limits }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.decodeScalarStringMapIfPresent(forKey: .requests)
        limits = try container.decodeScalarStringMapIfPresent(forKey: .limits)
    }
}
