/// The Pod Security Standards as a Kubernetes 1.25 API server evaluates them (`policy/registry.go`):
/// each check has versions from a policy version on; a policy version newer than 1.25, or
/// `latest`, means 1.25. Baseline checks run first, then restricted ones, each group ordered by
/// check ID; at the restricted level a restricted check replaces the baseline check it
/// supersedes (restricted volume types replace hostPath volumes, restricted capabilities and
/// seccomp their baseline forms), so one cause is reported once.
enum PodSecurityStandards {
    typealias Check = @Sendable (PodSecurityPodView) -> PodSecurityViolation?

    /// One version of a check: from which policy minor version on it applies, and which baseline
    /// checks it overrides at the restricted level.
    struct VersionedCheck: Sendable {
        var minimumMinor: Int
        var overrides: [String] = []
        var check: Check
    }

    /// A check by ID and level, with its versions from the oldest on.
    struct RegisteredCheck: Sendable {
        var id: String
        var level: PodSecurityLevel
        var versions: [VersionedCheck]
    }

    /// The newest policy version this server knows.
    static let newestMinor = 25

    typealias Baseline = PodSecurityBaselineChecks
    typealias Restricted = PodSecurityRestrictedChecks

    static let checks: [RegisteredCheck] = [
        RegisteredCheck(id: "allowPrivilegeEscalation", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 8, check: Restricted.allowPrivilegeEscalation),
            VersionedCheck(minimumMinor: 25, check: Restricted.exceptWindows(Restricted.allowPrivilegeEscalation)),
        ]),
        RegisteredCheck(id: "appArmorProfile", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.appArmorProfile),
        ]),
        RegisteredCheck(id: "capabilities_baseline", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.capabilities),
        ]),
        RegisteredCheck(id: "capabilities_restricted", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 22, overrides: ["capabilities_baseline"], check: Restricted.capabilities),
            VersionedCheck(minimumMinor: 25, overrides: ["capabilities_baseline"],
                           check: Restricted.exceptWindows(Restricted.capabilities)),
        ]),
        RegisteredCheck(id: "hostNamespaces", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.hostNamespaces),
        ]),
        RegisteredCheck(id: "hostPathVolumes", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.hostPathVolumes),
        ]),
        RegisteredCheck(id: "hostPorts", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.hostPorts),
        ]),
        RegisteredCheck(id: "privileged", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.privileged),
        ]),
        RegisteredCheck(id: "procMount", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.procMount),
        ]),
        RegisteredCheck(id: "restrictedVolumes", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 0, overrides: ["hostPathVolumes"], check: Restricted.volumes),
        ]),
        RegisteredCheck(id: "runAsNonRoot", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 0, check: Restricted.runAsNonRoot),
        ]),
        RegisteredCheck(id: "runAsUser", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 23, check: Restricted.runAsUser),
        ]),
        RegisteredCheck(id: "seLinuxOptions", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.seLinuxOptions),
        ]),
        RegisteredCheck(id: "seccompProfile_baseline", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.seccompAnnotations),
            VersionedCheck(minimumMinor: 19, check: Baseline.seccompProfile),
        ]),
        RegisteredCheck(id: "seccompProfile_restricted", level: .restricted, versions: [
            VersionedCheck(minimumMinor: 19, overrides: ["seccompProfile_baseline"], check: Restricted.seccompProfile),
            VersionedCheck(minimumMinor: 25, overrides: ["seccompProfile_baseline"],
                           check: Restricted.exceptWindows(Restricted.seccompProfile)),
        ]),
        RegisteredCheck(id: "sysctls", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.sysctls),
        ]),
        RegisteredCheck(id: "windowsHostProcess", level: .baseline, versions: [
            VersionedCheck(minimumMinor: 0, check: Baseline.windowsHostProcess),
        ]),
    ]

    /// Baseline checks, then restricted ones, each by ID as Go sorts strings: the report order.
    static let ordered = checks.sorted { lhs, rhs in
        lhs.level != rhs.level ? lhs.level == .baseline : lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }

    /// The checks a level and version runs, in the order their violations are reported.
    static func checks(for policy: PodSecurityLevelVersion) -> [Check] {
        guard policy.level != .privileged else { return [] }
        let minor: Int = switch policy.version {
        case .latest: newestMinor
        case .minor(let minor): min(minor, newestMinor)
        }
        func active(_ check: RegisteredCheck) -> VersionedCheck? {
            check.versions.last { $0.minimumMinor <= minor }
        }
        let restricted = policy.level == .restricted
        let overridden = restricted
            ? Set(ordered.filter { $0.level == .restricted }.compactMap(active).flatMap(\.overrides)) : []
        return ordered.compactMap { check in
            guard check.level == .baseline || restricted, !overridden.contains(check.id) else { return nil }
            return active(check)?.check
        }
    }

    /// What the pod violates at the level and version, in report order (empty when it is allowed).
    static func violations(of pod: PodSecurityPodView, under policy: PodSecurityLevelVersion) -> [PodSecurityViolation] {
        checks(for: policy).compactMap { $0(pod) }
    }

    /// `AggregateCheckResult.ForbiddenDetail`: every violation as `reason (detail)`, joined by `, `.
    static func forbiddenDetail(_ violations: [PodSecurityViolation]) -> String {
        violations.map(\.description).joined(separator: ", ")
    }
}
