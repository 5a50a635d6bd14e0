/// Where an InferenceModel is served: `edge` (nodes labelled `node-role.kubernetes.io/edge`)
/// or `cloud` (nodes without that label).
///
/// Kept open (any string decodes) so that a wrong value reaches the validator, which explains
/// it, instead of failing to decode.
public struct DeployLayer: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// KubeEdge edge nodes, labelled `node-role.kubernetes.io/edge`.
    public static let edge: DeployLayer = "edge"
    /// Cloud nodes: every node without the edge label.
    public static let cloud: DeployLayer = "cloud"

    /// The layers the API accepts, in the order messages list them.
    public static let known: [DeployLayer] = [.edge, .cloud]

    public var isKnown: Bool { DeployLayer.known.contains(self) }

    /// The node label that marks an edge node.
    public static let edgeNodeLabel = "node-role.kubernetes.io/edge"

    public var description: String { rawValue }
}
