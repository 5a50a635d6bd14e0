import Foundation
import KubeClient
import KubeModel
import Logging
import ModelFetch
@testable import Operator
import Testing

@Suite struct ClusterNetworkDiscoveryTests {
    @Test("nodes' podCIDRs are followed as nodes come, change and go")
    func followsNodes() throws {
        let networks = ClusterNetworks()
        let discovery = ClusterNetworkDiscovery(networks: networks, logger: Logger(label: "test"))
        var perNode: [String: [CIDRBlock]] = [:]
        let a: JSONValue = ["metadata": ["name": "a"], "spec": ["podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24", "fd00:10:244::/64"]]]
        let b: JSONValue = ["metadata": ["name": "b"], "spec": ["podCIDR": "10.244.1.0/24"]]
        discovery.nodeChanged(name: "a", node: a, perNode: &perNode)
        discovery.nodeChanged(name: "b", node: b, perNode: &perNode)
        #expect(Set(networks.current.map(\.block.description)) == ["10.244.0.0/24", "fd00:10:244::/64", "10.244.1.0/24"])
        discovery.nodeChanged(name: "a", node: nil, perNode: &perNode)
        #expect(networks.current.map(\.block.description) == ["10.244.1.0/24"])
    }
}
