import CurlHTTP
import Foundation
import KubeModel

/// Turns one kubeconfig document into a `Kubeconfig`, with errors that name the file and entry.
struct KubeconfigParser {
    let path: String

    private var directory: URL { URL(fileURLWithPath: path).deletingLastPathComponent() }

    func parse(_ document: JSONValue) throws -> Kubeconfig {
        guard document.objectValue != nil || document.isNull else {
            throw ClusterConfigError("kubeconfig \(path) must be a mapping with clusters, users and contexts")
        }
        var config = Kubeconfig()
        config.files = [path]
        config.currentContext = document["current-context"]?.stringValue
        for (name, body) in try entries(document, "clusters", inner: "cluster") {
            config.clusters[name] = try cluster(name, body)
        }
        for (name, body) in try entries(document, "users", inner: "user") {
            config.users[name] = try user(name, body)
        }
        for (name, body) in try entries(document, "contexts", inner: "context") {
            guard let cluster = body["cluster"]?.stringValue, !cluster.isEmpty else {
                throw ClusterConfigError("context \"\(name)\" in \(path) names no cluster")
            }
            config.contexts[name] = Kubeconfig.Context(cluster: cluster, user: body["user"]?.stringValue,
                                                       namespace: body["namespace"]?.stringValue)
        }
        return config
    }

    /// The `name` and `inner` body of each entry of a list; within one file the first entry of a
    /// name wins, like across files.
    private func entries(_ document: JSONValue, _ key: String, inner: String) throws -> [(String, JSONValue)] {
        guard let list = document[key], !list.isNull else { return [] }
        guard let items = list.arrayValue else {
            throw ClusterConfigError("`\(key)` in kubeconfig \(path) must be a list")
        }
        var seen = Set<String>()
        var result: [(String, JSONValue)] = []
        for item in items {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw ClusterConfigError("an entry of `\(key)` in kubeconfig \(path) has no name")
            }
            guard seen.insert(name).inserted else { continue }
            result.append((name, item[inner] ?? .object([:])))
        }
        return result
    }

    private func cluster(_ name: String, _ body: JSONValue) throws -> Kubeconfig.Cluster {
        guard let server = body["server"]?.stringValue, !server.isEmpty else {
            throw ClusterConfigError("cluster \"\(name)\" in \(path) has no server URL")
        }
        let insecure: Bool
        switch body["insecure-skip-tls-verify"] {
        case nil, .null?, .bool(false)?: insecure = false
        case .bool(true)?: insecure = true
        case let other?:
            throw ClusterConfigError("cluster \"\(name)\" in \(path): insecure-skip-tls-verify must be true or false, "
                                     + "not \(other.jsonString)")
        }
        return Kubeconfig.Cluster(
            server: server,
            certificateAuthority: try pem(body, data: "certificate-authority-data", file: "certificate-authority",
                                          entry: "cluster \"\(name)\""),
            insecureSkipTLSVerify: insecure)
    }

    private func user(_ name: String, _ body: JSONValue) throws -> Kubeconfig.User {
        let entry = "user \"\(name)\""
        return Kubeconfig.User(
            token: nonEmpty(body["token"]),
            tokenFile: nonEmpty(body["tokenFile"]).map(absolute),
            username: nonEmpty(body["username"]),
            password: body["password"]?.stringValue,
            clientCertificate: try pem(body, data: "client-certificate-data", file: "client-certificate", entry: entry),
            clientKey: try pem(body, data: "client-key-data", file: "client-key", entry: entry),
            usesUnsupportedPlugin: body["exec"].map { !$0.isNull } == true
                || body["auth-provider"].map { !$0.isNull } == true)
    }

    /// PEM from `<data>` (base64, preferred as in client-go) or from the file `<file>`.
    private func pem(_ body: JSONValue, data: String, file: String, entry: String) throws -> PEMSource? {
        if let encoded = nonEmpty(body[data]) {
            guard let decoded = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters), !decoded.isEmpty else {
                throw ClusterConfigError("\(entry) in \(path): \(data) is not valid base64")
            }
            return .pem(decoded)
        }
        return nonEmpty(body[file]).map { .file(absolute($0)) }
    }

    private func nonEmpty(_ value: JSONValue?) -> String? {
        guard let string = value?.stringValue, !string.isEmpty else { return nil }
        return string
    }

    private func absolute(_ file: String) -> String {
        file.hasPrefix("/") ? file : directory.appendingPathComponent(file).standardizedFileURL.path
    }
}
