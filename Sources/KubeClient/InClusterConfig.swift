import CurlHTTP
import Foundation

/// Configuration for a process running in a pod: the API server from `KUBERNETES_SERVICE_HOST`
/// and `KUBERNETES_SERVICE_PORT`, and the service account's token, CA and namespace files.
public enum InClusterConfig {
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Builds the configuration, or throws naming what is missing. The token is used as a token
    /// file, so rotations are picked up (see `BearerTokenFile`).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            serviceAccountDirectory: String = defaultServiceAccountDirectory) throws -> ClusterConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw ClusterConfigError("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                                     + "must both be set (Kubernetes sets them in every pod)")
        }
        let directory = URL(fileURLWithPath: serviceAccountDirectory)
        let tokenPath = directory.appendingPathComponent("token").path
        let caPath = directory.appendingPathComponent("ca.crt").path
        for (path, what) in [(tokenPath, "service-account token"), (caPath, "cluster CA certificate")]
        where !FileManager.default.isReadableFile(atPath: path) {
            throw ClusterConfigError("in-cluster configuration: the \(what) \(path) is missing or unreadable; "
                                     + "mount a service account token into the pod (automountServiceAccountToken)")
        }
        let namespaceFile = directory.appendingPathComponent("namespace")
        let namespace = (try? String(contentsOf: namespaceFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // An IPv6 address needs brackets in a URL.
        let urlHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return ClusterConfig(server: "https://\(urlHost):\(port)",
                             tls: TLSOptions(certificateAuthority: .file(caPath)),
                             credentials: .bearerTokenFile(tokenPath),
                             namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                             source: "in-cluster service account (\(serviceAccountDirectory))")
    }
}
