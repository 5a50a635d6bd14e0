/// The rules for the fields that choose nodes: `nodeSelector`, `nodeName`, `architectures`
/// and `tolerations`.
enum SchedulingValidation {
    /// The CPU architectures Kubernetes names in the `kubernetes.io/arch` node label.
    static let knownArchitectures = ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "loong64", "mips64le"]

    /// Names people write for an architecture, mapped to the Kubernetes name.
    static let architectureAliases = [
        "x86_64": "amd64", "x86-64": "amd64", "x64": "amd64", "aarch64": "arm64", "armv8": "arm64",
        "armv7": "arm", "armv7l": "arm", "armhf": "arm", "i386": "386", "i686": "386", "x86": "386",
    ]

    static func validate(_ spec: InferenceModelSpec, into issues: inout IssueList) {
        for (key, value) in (spec.nodeSelector ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let problem = KubernetesSyntax.labelKeyProblem(key) {
                issues.error("spec.nodeSelector", "spec.nodeSelector key \"\(key)\" is not a label key: \(problem)")
            }
            if let problem = KubernetesSyntax.labelValueProblem(value) {
                issues.error("spec.nodeSelector.\(key)", "spec.nodeSelector.\(key) \"\(value)\" is not a label value: \(problem)")
            }
        }
        if let nodeName = spec.nodeName, let problem = KubernetesSyntax.dnsSubdomainProblem(nodeName) {
            issues.error("spec.nodeName", "spec.nodeName \"\(nodeName)\" is not a node name: \(problem); use the name kubectl get nodes shows")
        }
        validateArchitectures(spec.architectures ?? [], into: &issues)
        for (index, toleration) in (spec.tolerations ?? []).enumerated() {
            validateToleration(toleration, path: "spec.tolerations[\(index)]", into: &issues)
        }
    }

    private static func validateArchitectures(_ architectures: [String], into issues: inout IssueList) {
        var seen = Set<String>()
        for (index, architecture) in architectures.enumerated() {
            let field = "spec.architectures[\(index)]"
            if !knownArchitectures.contains(architecture) {
                if let name = architectureAliases[architecture.lowercased()] {
                    issues.error(field, "\(field) \"\(architecture)\" is not a Kubernetes architecture name; use \(name)")
                } else {
                    issues.error(field, "\(field) \"\(architecture)\" is not a Kubernetes architecture name; use one of \(knownArchitectures.joined(separator: ", "))")
                }
            } else if !seen.insert(architecture).inserted {
                issues.error(field, "\(field) \"\(architecture)\" is listed twice; list each architecture once")
            }
        }
    }

    private static func validateToleration(_ toleration: ModelToleration, path: String, into issues: inout IssueList) {
        let op = toleration.operator ?? "Equal"
        if !ModelToleration.operators.contains(op) {
            issues.error("\(path).operator", "\(path).operator \"\(op)\" is not an operator; use Equal or Exists")
        }
        let key = toleration.key ?? ""
        if key.isEmpty {
            // An empty key with Exists tolerates every taint, also those that keep workloads off
            // control-plane nodes and nodes reserved for others: not something a model may ask.
            issues.error("\(path).key", "\(path).key is empty, which would tolerate every taint (including those that keep workloads off control-plane and reserved nodes); name the taint key to tolerate, such as node-role.kubernetes.io/edge")
        } else if !key.isEmpty, let problem = KubernetesSyntax.labelKeyProblem(key) {
            issues.error("\(path).key", "\(path).key \"\(key)\" is not a taint key: \(problem)")
        }
        if op == "Exists", let value = toleration.value, !value.isEmpty {
            issues.error("\(path).value", "\(path).value must be empty when the operator is Exists; remove the value or use operator: Equal")
        }
        if let effect = toleration.effect, !effect.isEmpty, !ModelToleration.effects.contains(effect) {
            issues.error("\(path).effect", "\(path).effect \"\(effect)\" is not a taint effect; use NoSchedule, PreferNoSchedule or NoExecute, or leave it out to match every effect")
        }
        if toleration.tolerationSeconds != nil, toleration.effect != "NoExecute" {
            issues.error("\(path).tolerationSeconds", "\(path).tolerationSeconds applies only to effect NoExecute; set effect: NoExecute or remove tolerationSeconds")
        }
    }
}
