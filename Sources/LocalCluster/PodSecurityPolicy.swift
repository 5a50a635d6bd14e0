import KubeClient
import KubeModel

/// A Pod Security Standards level (`pod-security.kubernetes.io/enforce`).
enum PodSecurityLevel: String, Sendable, CaseIterable {
    case privileged, baseline, restricted
}

/// A Pod Security Standards version (`pod-security.kubernetes.io/enforce-version`): `latest` or `v1.N`.
enum PodSecurityVersion: Sendable, Hashable, CustomStringConvertible {
    case latest
    case minor(Int)

    var description: String {
        switch self {
        case .latest: "latest"
        case .minor(let minor): "v1.\(minor)"
        }
    }

    /// `api.ParseVersion`: `latest`, or `v1.N` without leading zeros; nil otherwise.
    init?(label: String) {
        if label == "latest" {
            self = .latest
            return
        }
        guard label.hasPrefix("v1."), let minor = Int(label.dropFirst(3)), minor >= 0,
              String(minor) == label.dropFirst(3) else { return nil }
        self = .minor(minor)
    }
}

/// The level and version a namespace enforces, printed as the API server prints it (`baseline:latest`).
struct PodSecurityLevelVersion: Sendable, Hashable, CustomStringConvertible {
    var level: PodSecurityLevel
    var version: PodSecurityVersion

    var description: String { "\(level.rawValue):\(version)" }
}

/// The namespace labels of Pod Security Admission as `api.PolicyToEvaluate` reads them: an unset
/// label means the cluster default (`privileged`, `latest`); a level that is not one of the three
/// counts as `restricted` and a version that does not parse as `latest`, each with a field error
/// (so a namespace cannot be created or relabelled with one).
enum PodSecurityLabels {
    static let prefix = "pod-security.kubernetes.io/"
    static let enforce = prefix + "enforce"
    static let enforceVersion = prefix + "enforce-version"

    /// The labels checked on a Namespace, in the order the API server reports their errors.
    private static let modes = ["enforce", "audit", "warn"]

    /// The policy the namespace `enforce`s.
    static func enforced(by labels: [String: JSONValue]) -> PodSecurityLevelVersion {
        let level = labels[enforce].map { $0.stringValue.flatMap(PodSecurityLevel.init(rawValue:)) ?? .restricted }
        let version = labels[enforceVersion].map { $0.stringValue.flatMap(PodSecurityVersion.init(label:)) ?? .latest }
        return PodSecurityLevelVersion(level: level ?? .privileged, version: version ?? .latest)
    }

    /// The field errors of the namespace's Pod Security labels, as `metadata.labels[...]: Invalid value`.
    static func errors(in labels: [String: JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        for mode in modes {
            let levelLabel = prefix + mode, versionLabel = prefix + mode + "-version"
            if let value = labels[levelLabel], value.stringValue.flatMap(PodSecurityLevel.init(rawValue:)) == nil {
                errors.append(.invalid("metadata.labels[\(levelLabel)]", value, "must be one of "
                    + PodSecurityLevel.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            if let value = labels[versionLabel], value.stringValue.flatMap(PodSecurityVersion.init(label:)) == nil {
                errors.append(.invalid("metadata.labels[\(versionLabel)]", value, "must be \"latest\" or \"v1.x\""))
            }
        }
        return errors
    }
}
