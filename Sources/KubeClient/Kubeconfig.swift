import CurlHTTP
import Foundation
import KubeModel

/// A kubeconfig: named clusters, users and contexts plus the current context. Several files
/// (a `KUBECONFIG` list) merge the way kubectl merges them: the first file that defines a name
/// wins, and the first non-empty `current-context` wins. File paths inside a kubeconfig are made
/// absolute against the directory of the file that contains them.
public struct Kubeconfig: Sendable {
    /// One entry of `clusters`.
    public struct Cluster: Sendable, Hashable {
        public var server: String
        public var certificateAuthority: PEMSource?
        /// True only when the file says literally `insecure-skip-tls-verify: true`.
        public var insecureSkipTLSVerify: Bool
    }

    /// One entry of `users`.
    public struct User: Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var clientCertificate: PEMSource?
        public var clientKey: PEMSource?
        /// The user names an exec plugin or auth provider, which this client does not run.
        public var usesUnsupportedPlugin: Bool
    }

    /// One entry of `contexts`.
    public struct Context: Sendable, Hashable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files this configuration was read from, in priority order.
    public var files: [String] = []

    public init() {}

    /// Parses kubeconfig text (YAML or JSON). `path` names the file for messages and anchors
    /// relative file references.
    public static func parse(_ text: String, path: String) throws -> Kubeconfig {
        let document: JSONValue
        do {
            document = try YAML.parse(text)
        } catch {
            throw ClusterConfigError("kubeconfig \(path) is not valid YAML: \(error)")
        }
        return try KubeconfigParser(path: path).parse(document)
    }

    /// Reads and merges `paths` in order; files that do not exist are skipped as kubectl skips
    /// them. Throws when a file exists but cannot be read or parsed.
    public static func load(paths: [String]) throws -> Kubeconfig {
        var merged = Kubeconfig()
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ClusterConfigError("cannot read kubeconfig \(path): \(error.localizedDescription)")
            }
            merged = merged.merging(try parse(text, path: path))
        }
        return merged
    }

    /// This configuration with `other`'s entries added where the names are new.
    public func merging(_ other: Kubeconfig) -> Kubeconfig {
        var result = self
        result.clusters.merge(other.clusters) { first, _ in first }
        result.users.merge(other.users) { first, _ in first }
        result.contexts.merge(other.contexts) { first, _ in first }
        if result.currentContext?.isEmpty ?? true { result.currentContext = other.currentContext }
        result.files += other.files
        return result
    }

    /// The cluster configuration of `context`, or of the current context when nil.
    public func clusterConfig(context requested: String? = nil) throws -> ClusterConfig {
        let fileList = files.isEmpty ? "the kubeconfig" : files.joined(separator: ", ")
        guard let contextName = requested ?? currentContext.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ClusterConfigError("\(fileList) sets no current-context; pick one with "
                                     + "`kubectl config use-context NAME` or pass a context explicitly "
                                     + "(contexts: \(contexts.keys.sorted().joined(separator: ", ")))")
        }
        guard let context = contexts[contextName] else {
            throw ClusterConfigError("context \"\(contextName)\" is not defined in \(fileList) "
                                     + "(contexts: \(contexts.keys.sorted().joined(separator: ", ")))")
        }
        guard let cluster = clusters[context.cluster] else {
            throw ClusterConfigError("context \"\(contextName)\" refers to cluster \"\(context.cluster)\", "
                                     + "which is not defined in \(fileList)")
        }
        var user = User(usesUnsupportedPlugin: false)
        if let userName = context.user, !userName.isEmpty {
            guard let found = users[userName] else {
                throw ClusterConfigError("context \"\(contextName)\" refers to user \"\(userName)\", "
                                         + "which is not defined in \(fileList)")
            }
            user = found
        }
        let credentials: ClusterCredentials
        if let tokenFile = user.tokenFile {
            credentials = .bearerTokenFile(tokenFile)  // As client-go: the file wins over `token`.
        } else if let token = user.token {
            credentials = .bearerToken(token)
        } else if let username = user.username {
            credentials = .basic(username: username, password: user.password ?? "")
        } else if user.usesUnsupportedPlugin && user.clientCertificate == nil {
            throw ClusterConfigError("user \"\(context.user ?? "")\" in \(fileList) authenticates through an exec "
                                     + "plugin or auth provider, which model-operator does not run; give it a "
                                     + "token, tokenFile or client certificate instead")
        } else {
            credentials = .none
        }
        if (user.clientCertificate == nil) != (user.clientKey == nil) {
            throw ClusterConfigError("user \"\(context.user ?? "")\" in \(fileList) has a client certificate without "
                                     + "a key or a key without a certificate; give both")
        }
        let tls = TLSOptions(certificateAuthority: cluster.certificateAuthority,
                             clientCertificate: user.clientCertificate, clientKey: user.clientKey,
                             insecureSkipVerify: cluster.insecureSkipTLSVerify)
        return ClusterConfig(server: cluster.server, tls: tls, credentials: credentials,
                             namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                             source: "kubeconfig \(fileList), context \"\(contextName)\"")
    }
}
