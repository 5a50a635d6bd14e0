/// Checks `spec.archiveCredentials` and `spec.archiveCache`, as the CRD's schema does.
enum ArchiveAccessValidation {
    static func validate(_ spec: InferenceModelSpec, into issues: inout IssueList) {
        if let credentials = spec.archiveCredentials {
            let name = credentials.secretName
            if name.isEmpty {
                issues.error("spec.archiveCredentials.secretName", "spec.archiveCredentials.secretName is required; set it to the name of a Secret in the model's namespace with the key authorization, token, or username and password")
            } else if let problem = KubernetesSyntax.dnsSubdomainProblem(name) {
                issues.error("spec.archiveCredentials.secretName", "spec.archiveCredentials.secretName \"\(name)\" is not a Secret name: \(problem)")
            }
            if spec.image != nil {
                issues.warning("spec.archiveCredentials", "spec.archiveCredentials is ignored because spec.image is set")
            }
        }
        if let cache = spec.archiveCache, ArchiveCacheMode(rawValue: cache) == nil {
            let hint = ArchiveCacheMode.allCases.first { $0.rawValue.lowercased() == cache.lowercased() }
                .map { " (spelled \($0.rawValue))" } ?? ""
            issues.error("spec.archiveCache", "spec.archiveCache \"\(cache)\" is not a cache mode; set it to Node (a node directory that survives pod restarts offline; needs a privileged namespace) or Pod (a volume of the pod only)\(hint)")
        }
    }
}
