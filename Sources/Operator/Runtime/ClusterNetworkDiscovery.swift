import Foundation
import KubeClient
import KubeModel
import Logging
import ModelFetch

/// Learns the cluster's pod and service networks for `ClusterNetworks`: the nodes'
/// `spec.podCIDRs` (kept current as nodes come and go) and, where the API server has the
/// ServiceCIDR API (`networking.k8s.io/v1`, Kubernetes 1.33+), the service CIDRs. Older clusters do
/// not publish their service CIDR; the README says to add it with `--deny-download`.
public struct ClusterNetworkDiscovery: Sendable {
    public static let podSource = "the cluster's pod networks (nodes' spec.podCIDRs)"
    public static let serviceSource = "the cluster's service networks (ServiceCIDRs)"
    static let serviceCIDRs = GroupVersionResource(group: "networking.k8s.io", version: "v1", resource: "servicecidrs",
                                                   namespaced: false)

    public let networks: ClusterNetworks
    public let logger: Logger

    public init(networks: ClusterNetworks, logger: Logger) {
        self.networks = networks
        self.logger = logger
    }

    /// A node's pod networks.
    public static func podCIDRs(of node: JSONValue) -> [CIDRBlock] {
        let listed = node[path: ["spec", "podCIDRs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        let single = node[path: ["spec", "podCIDR"]]?.stringValue.map { [$0] } ?? []
        return Set(listed + single).sorted().compactMap(CIDRBlock.init)
    }

    /// Folds a node change into `perNode` and publishes the union when it changed.
    public func nodeChanged(name: String, node: JSONValue?, perNode: inout [String: [CIDRBlock]]) {
        let blocks = node.map(Self.podCIDRs) ?? []
        guard perNode[name] ?? [] != blocks else { return }
        perNode[name] = blocks.isEmpty ? nil : blocks
        networks.update(Self.podSource, Array(Set(perNode.values.joined())))
    }

    /// Reads the ServiceCIDRs once; an API server without them (404) or a role without the right
    /// to list them (403) leaves the service network to `--deny-download`.
    public func discoverServiceCIDRs(client: RESTClient) async {
        do {
            let list = try await client.list(Self.serviceCIDRs)
            let blocks = list.items.flatMap { $0[path: ["spec", "cidrs"]]?.arrayValue?.compactMap(\.stringValue) ?? [] }
                .compactMap(CIDRBlock.init)
            networks.update(Self.serviceSource, blocks)
            logger.info("downloads from the service networks are denied", metadata: [
                "cidrs": "\(blocks.map(\.description).joined(separator: ","))",
            ])
        } catch {
            logger.info("the service CIDR is not published by this API server; deny it with --deny-download", metadata: [
                "reason": "\(error)",
            ])
        }
    }
}
