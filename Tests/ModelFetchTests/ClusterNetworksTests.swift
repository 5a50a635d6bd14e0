import Foundation
import ModelFetch
import Testing
import TestSupport

@Suite("The cluster's pod and service networks are denied to the operator's downloads")
struct ClusterNetworksTests {
    @Test("a learnt pod network is refused with where it was learnt; an explicit allow still wins")
    func learntNetworks() async throws {
        let networks = ClusterNetworks()
        let resolver = TableResolver(table: ["pod.example.test": ["10.244.3.7"]])
        let url = try ParsedURL("http://pod.example.test/m.tgz")
        #expect(throws: Never.self) { _ = try networks.applied(to: .standard).check(url, resolver: resolver) }
        networks.update("the cluster's pod networks (nodes' spec.podCIDRs)", [try #require(CIDRBlock("10.244.3.0/24"))])
        let error = #expect(throws: ModelFetchError.self) { _ = try networks.applied(to: .standard).check(url, resolver: resolver) }
        #expect(error?.reason == .urlNotAllowed)
        #expect(error?.description.contains("10.244.3.0/24 (the cluster's pod networks (nodes' spec.podCIDRs) are not downloaded from)") == true,
                "\(String(describing: error))")
        let allowing = try URLPolicy(allow: ["10.244.3.0/24"], deny: [])
        #expect(throws: Never.self) { _ = try networks.applied(to: allowing).check(url, resolver: resolver) }
        networks.update("the cluster's pod networks (nodes' spec.podCIDRs)", [])
        #expect(throws: Never.self) { _ = try networks.applied(to: .standard).check(url, resolver: resolver) }
    }
}
