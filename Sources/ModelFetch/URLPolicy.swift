import Foundation

/// Which URLs the operator and the init container may download from. Whoever can create an
/// InferenceModel chooses the URL, so without a policy the operator is a server-side request
/// forgery tool: it could read a cloud metadata endpoint or probe the cluster network.
///
/// The rules, in order (deny wins):
/// 1. only `http` and `https`;
/// 2. a host in `deniedHosts` is refused;
/// 3. the host is resolved and *every* address is checked: one inside `deniedNetworks` refuses
///    the URL (by default link-local `169.254.0.0/16` and `fe80::/10`, and the cloud metadata
///    addresses of AWS `fd00:ec2::254`, Alibaba `100.100.100.200`, Azure `168.63.129.16`, GCP
///    `fd20:ce::254` and Oracle `192.0.0.192`); an IPv6 address is also checked for every IPv4
///    address it embeds (mapped, NAT64, 6to4, Teredo, IPv4-compatible), so no spelling dodges
///    an IPv4 rule;
/// 4. when `allowedHosts` or `allowedNetworks` is non-empty, the host must match an allowed host,
///    or all its addresses must lie in allowed networks.
///
/// The download then connects only to the address that was checked (libcurl's
/// `CURLOPT_RESOLVE`), so a DNS answer that changes between check and connect cannot reach
/// another address; each redirect hop is checked again the same way.
///
/// Loopback is allowed by default (tests, the demo and single-node setups serve archives on
/// 127.0.0.1). In a cluster, the operator should add `loopbackNetworks` (`denyingLoopback()`)
/// and the cluster's own addresses: the API server's, the pod and service CIDRs
/// (`denying(networks:hosts:)`), so a tenant cannot make it fetch, and digest, cluster-internal
/// URLs. Deny wins over allow, so leave out of those defaults what an administrator allowed.
public struct URLPolicy: Sendable, Equatable {
    /// Host patterns: `models.example.com` (exact, case-insensitive) or `*.example.com`
    /// (any subdomain). Empty with empty `allowedNetworks` means every host is allowed.
    public var allowedHosts: [String]
    public var deniedHosts: [String]
    public var allowedNetworks: [CIDRBlock]
    public var deniedNetworks: [CIDRBlock]
    /// Why a denied network is denied, where more is known than "the policy says so".
    public var deniedNetworkReasons: [CIDRBlock: String] = [:]

    /// Networks refused unless the caller replaces `deniedNetworks`: link-local and cloud metadata.
    public static let defaultDeniedNetworks: [CIDRBlock] = [
        "169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32",
        "168.63.129.16/32", "fd20:ce::254/128", "192.0.0.192/32",
    ].compactMap { CIDRBlock($0) }

    /// The addresses that reach the node itself: loopback, and the unspecified addresses
    /// (`0.0.0.0`, `::`), which a connection also takes to the local host.
    public static let loopbackNetworks: [CIDRBlock] = [
        "127.0.0.0/8", "::1/128", "0.0.0.0/8", "::/128",
    ].compactMap { CIDRBlock($0) }

    /// The default: any http(s) host except link-local and metadata addresses.
    public static let standard = URLPolicy()

    public init(allowedHosts: [String] = [], deniedHosts: [String] = [],
                allowedNetworks: [CIDRBlock] = [], deniedNetworks: [CIDRBlock] = URLPolicy.defaultDeniedNetworks) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.deniedHosts = deniedHosts.map { $0.lowercased() }
        self.allowedNetworks = allowedNetworks
        self.deniedNetworks = deniedNetworks
    }

    /// Builds a policy from command-line style lists whose entries are either a CIDR block
    /// (`10.0.0.0/8`, `::1`) or a host pattern (`models.example.com`, `*.example.com`).
    /// Denied entries add to the default denied networks; `denyLoopback` adds `loopbackNetworks`.
    public init(allow: [String], deny: [String], denyLoopback: Bool = false) throws(URLPolicyConfigError) {
        var allowedHosts: [String] = [], deniedHosts: [String] = []
        var allowedNetworks: [CIDRBlock] = [], deniedNetworks = URLPolicy.defaultDeniedNetworks
        for entry in allow {
            switch try Self.classify(entry) {
            case .network(let block): allowedNetworks.append(block)
            case .host(let host): allowedHosts.append(host)
            }
        }
        for entry in deny {
            switch try Self.classify(entry) {
            case .network(let block): deniedNetworks.append(block)
            case .host(let host): deniedHosts.append(host)
            }
        }
        if denyLoopback { deniedNetworks += Self.loopbackNetworks }
        self.init(allowedHosts: allowedHosts, deniedHosts: deniedHosts,
                  allowedNetworks: allowedNetworks, deniedNetworks: deniedNetworks)
    }

    /// This policy, also refusing `networks` (say the API server's addresses and the pod and
    /// service CIDRs) and `hosts` (patterns as in `deniedHosts`).
    public func denying(networks: [CIDRBlock] = [], hosts: [String] = []) -> URLPolicy {
        var copy = self
        copy.deniedNetworks += networks.filter { !copy.deniedNetworks.contains($0) }
        copy.deniedHosts += hosts.map { $0.lowercased() }.filter { !copy.deniedHosts.contains($0) }
        return copy
    }

    /// This policy, also refusing loopback and unspecified addresses (`loopbackNetworks`).
    public func denyingLoopback() -> URLPolicy {
        denying(networks: Self.loopbackNetworks)
    }

    /// True when loopback addresses are refused.
    public var deniesLoopback: Bool {
        Self.loopbackNetworks.allSatisfy { block in deniedNetworks.contains(block) }
    }

    /// Checks a URL: parses it, applies the rules, and returns the address to connect to.
    public func check(_ url: ParsedURL, resolver: any HostResolving) throws(ModelFetchError) -> CheckedURL {
        let refuse = { (detail: String) in ModelFetchError(reason: .urlNotAllowed, url: url.text, detail: detail) }
        guard url.scheme == "http" || url.scheme == "https" else {
            throw refuse("scheme \"\(url.scheme)\" is not allowed; only http and https URLs can be downloaded")
        }
        if let pattern = deniedHosts.first(where: { Self.host(url.host, matches: $0) }) {
            throw refuse("host \(url.host) is denied by the download policy (\(pattern))")
        }
        let addresses: [IPAddress]
        do {
            addresses = try resolver.resolve(host: url.host, port: url.port)
        } catch {
            throw ModelFetchError(reason: .downloadFailed, url: url.text, detail: "\(error)")
        }
        guard let first = addresses.first else {
            throw ModelFetchError(reason: .downloadFailed, url: url.text, detail: "host \(url.host) has no address")
        }
        for address in addresses {
            if let block = deniedNetworks.first(where: { $0.mayReach(address) }) {
                let what = IPAddress(url.host) == nil ? "host \(url.host) resolves to \(address), which" : "address \(address)"
                throw refuse("\(what) is in the denied network \(block) (\(why(block)))")
            }
        }
        if !allowedHosts.isEmpty || !allowedNetworks.isEmpty {
            let hostAllowed = allowedHosts.contains { Self.host(url.host, matches: $0) }
            let networksAllowed = !allowedNetworks.isEmpty
                && addresses.allSatisfy { address in allowedNetworks.contains { $0.contains(address) } }
            guard hostAllowed || networksAllowed else {
                let allowed = (allowedHosts + allowedNetworks.map(\.description)).joined(separator: ", ")
                throw refuse("host \(url.host) is not on the download allow list (\(allowed)); host the archive there or ask the operator's administrator to allow it")
            }
        }
        return CheckedURL(url: url, address: first)
    }

    /// Why a denied network is denied, for the message.
    func why(_ block: CIDRBlock) -> String {
        if let reason = deniedNetworkReasons[block] { return reason }
        if Self.defaultDeniedNetworks.contains(block) { return "link-local and cloud metadata addresses are never fetched" }
        if Self.loopbackNetworks.contains(block) { return "loopback addresses are denied by the download policy" }
        return "denied by the download policy"
    }

    /// True when `host` matches `pattern` (`example.com` exactly, or `*.example.com` for subdomains).
    static func host(_ host: String, matches pattern: String) -> Bool {
        let host = host.lowercased()
        if pattern.hasPrefix("*.") { return host.hasSuffix(String(pattern.dropFirst(1))) }
        return host == pattern
    }

    private enum Entry { case network(CIDRBlock), host(String) }

    private static func classify(_ raw: String) throws(URLPolicyConfigError) -> Entry {
        let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !entry.isEmpty else { throw URLPolicyConfigError(message: "an empty host or CIDR entry in the download policy") }
        if entry.contains("/") || IPAddress(entry) != nil { return .network(try CIDRBlock.parse(entry)) }
        let body = entry.hasPrefix("*.") ? String(entry.dropFirst(2)) : entry
        let legal = body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." } && !body.isEmpty
        guard legal, body.unicodeScalars.allSatisfy(\.isASCII) else {
            throw URLPolicyConfigError(message: "\"\(raw)\" is neither a host name (models.example.com, *.example.com) nor a CIDR block (10.0.0.0/8)")
        }
        return .host(entry)
    }
}

/// A URL that passed the policy, with the one address the connection must use.
public struct CheckedURL: Sendable, Equatable {
    public let url: ParsedURL
    public let address: IPAddress

    /// The `CURLOPT_RESOLVE` entry that pins `host:port` to the checked address; nil when the
    /// host is an address literal, which libcurl connects to without resolving.
    public var resolveEntry: String? {
        IPAddress(url.host) == nil ? "\(url.host):\(url.port):\(address.urlHost)" : nil
    }
}

/// A malformed download-policy setting.
public struct URLPolicyConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
