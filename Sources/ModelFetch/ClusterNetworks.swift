import Synchronization

/// Networks of the cluster that the operator learns while it runs (the nodes' pod CIDRs, the
/// service CIDRs where the API server lists them), which its own downloads must not reach: a
/// tenant's URL must not make the operator fetch from a pod or a Service and report the content's
/// digest. Shared between the runtime that learns them and the downloader that checks each hop.
public final class ClusterNetworks: Sendable {
    private let state = Mutex<[String: [CIDRBlock]]>([:])

    public init() {}

    /// Replaces what `source` (such as "the nodes' spec.podCIDRs") says the cluster's networks are.
    public func update(_ source: String, _ blocks: [CIDRBlock]) {
        state.withLock { $0[source] = blocks }
    }

    /// Every learnt network with where it was learnt from.
    public var current: [(block: CIDRBlock, source: String)] {
        state.withLock { table in
            table.sorted { $0.key < $1.key }.flatMap { source, blocks in blocks.map { ($0, source) } }
        }
    }

    /// `policy`, also denying the learnt networks, except those it allows explicitly.
    public func applied(to policy: URLPolicy) -> URLPolicy {
        var result = policy
        for (block, source) in current where !policy.allowedNetworks.contains(where: { $0.contains(block.network) }) {
            result.deniedNetworks.append(block)
            result.deniedNetworkReasons[block] = "\(source) are not downloaded from"
        }
        return result
    }
}
