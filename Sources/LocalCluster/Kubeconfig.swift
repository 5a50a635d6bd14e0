import Foundation

/// Writes kubeconfig files pointing kubectl (or the operator) at a LocalCluster.
enum KubeconfigWriter {
    static func text(server: String, token: String?, contextName: String = "local-cluster") -> String {
        var user = "- name: \(contextName)\n  user:"
        if let token { user += "\n    token: \(token)" } else { user += " {}" }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(contextName)
              cluster:
                server: \(server)
            contexts:
            - name: \(contextName)
              context:
                cluster: \(contextName)
                user: \(contextName)
                namespace: default
            current-context: \(contextName)
            users:
            \(user)
            preferences: {}

            """
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}
