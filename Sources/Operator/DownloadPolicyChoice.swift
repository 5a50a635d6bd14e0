import ModelFetch

/// Which archive URLs the operator and its `fetch` init containers may download, from the
/// administrator's `--allow-download`/`--deny-download` and where the operator runs. A tenant
/// who may create InferenceModels must not make the operator (or a pod) fetch what only the
/// cluster can reach and read its digest back from the status: besides link-local and cloud
/// metadata addresses (always denied), the API server's address is denied, and so is loopback
/// when the operator runs in a pod (there it is the operator's own probes and metrics). Out of a
/// cluster (development, the demo, tests) loopback stays open unless `denyLoopback` says so.
/// An address an administrator allows explicitly is never denied by these defaults.
public struct DownloadPolicyChoice: Sendable, Equatable {
    public var allow: [String]
    public var deny: [String]
    public var denyLoopback: Bool

    /// - Parameters:
    ///   - apiServerHost: the host of the API server URL the operator uses.
    ///   - inCluster: whether the operator runs in a pod (`KUBERNETES_SERVICE_HOST` is set).
    public init(allow: [String], deny: [String], apiServerHost: String?, inCluster: Bool, denyLoopback: Bool? = nil) {
        self.allow = allow
        self.denyLoopback = denyLoopback ?? inCluster
        var deny = deny
        if let host = apiServerHost?.trimmingBrackets, let block = CIDRBlock(host) {
            let isLoopback = URLPolicy.loopbackNetworks.contains { $0.contains(block.network) }
            let allowed = allow.compactMap(CIDRBlock.init).contains { $0.contains(block.network) }
            if !allowed, !isLoopback || self.denyLoopback { deny.append(block.description) }
        }
        self.deny = deny
    }

    /// The policy the operator checks its own downloads against.
    public func policy() throws(URLPolicyConfigError) -> URLPolicy {
        try URLPolicy(allow: allow, deny: deny, denyLoopback: denyLoopback)
    }

    /// The same policy as `model-operator fetch` arguments, for the init container.
    public var fetchArguments: [String] {
        allow.flatMap { ["--allow-download", $0] } + deny.flatMap { ["--deny-download", $0] }
            + (denyLoopback ? ["--deny-loopback"] : [])
    }
}

extension String {
    /// An IPv6 host without the brackets a URL puts around it.
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
