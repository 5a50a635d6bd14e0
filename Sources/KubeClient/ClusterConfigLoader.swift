import Foundation

/// Finds the cluster configuration the way kubectl and client-go do: an explicit kubeconfig
/// path, else the `KUBECONFIG` list, else `~/.kube/config`, else the in-cluster service account.
public enum ClusterConfigLoader {
    /// Loads the first configuration that exists. An explicit `kubeconfigPath` must exist;
    /// `context` overrides the current context of a kubeconfig. When nothing is found the error
    /// lists every place looked at and how to provide a configuration.
    public static func load(kubeconfigPath: String? = nil, context: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            homeDirectory: String? = nil,
                            serviceAccountDirectory: String = InClusterConfig.defaultServiceAccountDirectory)
        throws -> ClusterConfig {
        if let kubeconfigPath {
            guard FileManager.default.fileExists(atPath: kubeconfigPath) else {
                throw ClusterConfigError("the kubeconfig \(kubeconfigPath) does not exist; check the path")
            }
            return try Kubeconfig.load(paths: [kubeconfigPath]).clusterConfig(context: context)
        }
        var lookedAt: [String] = []
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let config = try Kubeconfig.load(paths: paths)
            if !config.files.isEmpty { return try config.clusterConfig(context: context) }
            lookedAt.append("KUBECONFIG=\(list) (no such files)")
        } else {
            lookedAt.append("KUBECONFIG (not set)")
        }
        let home = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
        let defaultPath = URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path
        if FileManager.default.fileExists(atPath: defaultPath) {
            return try Kubeconfig.load(paths: [defaultPath]).clusterConfig(context: context)
        }
        lookedAt.append("\(defaultPath) (not found)")
        if environment["KUBERNETES_SERVICE_HOST"].map({ !$0.isEmpty }) == true {
            return try InClusterConfig.load(environment: environment, serviceAccountDirectory: serviceAccountDirectory)
        }
        lookedAt.append("in-cluster service account (KUBERNETES_SERVICE_HOST not set)")
        throw ClusterConfigError("no Kubernetes cluster configuration found; looked at: "
                                 + lookedAt.joined(separator: "; ")
                                 + ". Pass --kubeconfig PATH, set KUBECONFIG, create ~/.kube/config, "
                                 + "or run inside a pod with a service account")
    }
}
