/// The baseline checks of Pod Security Admission (Kubernetes 1.25, `policy/check_*.go`) that look
/// at host access and privileges: each returns what it forbids, worded as the Go check words it.
enum PodSecurityBaselineChecks {
    typealias Text = PodSecurityText

    /// `appArmorProfile`: container AppArmor annotations may only name `runtime/default` or `localhost/*`.
    static func appArmorProfile(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let prefix = "container.apparmor.security.beta.kubernetes.io/"
        let forbidden = pod.annotations.filter { key, value in
            key.hasPrefix(prefix) && !(value.isEmpty || value == "runtime/default" || value.hasPrefix("localhost/"))
        }.map { "\($0.key)=\(Text.goQuoted($0.value))" }
        guard !forbidden.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: Text.pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", forbidden.count),
            detail: forbidden.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ", "))
    }

    /// The capabilities a baseline container may add.
    static let allowedCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    /// `capabilities_baseline`: `capabilities.add` only from the runtime's default set.
    static func capabilities(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var badContainers: [String] = []
        var nonDefault: [String] = []
        for container in pod.containers {
            let added = container.securityContext?.capabilities?.add ?? []
            let bad = added.filter { !allowedCapabilities.contains($0) }
            if !bad.isEmpty {
                badContainers.append(container.name)
                nonDefault += bad
            }
        }
        guard !badContainers.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "non-default capabilities",
            detail: "\(Text.pluralize("container", "containers", badContainers.count)) \(Text.joinQuote(badContainers)) "
                + "must not include \(Text.joinQuote(Text.sortedSet(nonDefault))) in securityContext.capabilities.add")
    }

    /// `hostNamespaces`: no `hostNetwork`, `hostPID` or `hostIPC`.
    static func hostNamespaces(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let shared = [(pod.hostNetwork, "hostNetwork=true"), (pod.hostPID, "hostPID=true"), (pod.hostIPC, "hostIPC=true")]
            .filter(\.0).map(\.1)
        guard !shared.isEmpty else { return nil }
        return PodSecurityViolation(reason: "host namespaces", detail: shared.joined(separator: ", "))
    }

    /// `hostPathVolumes`: no `hostPath` volume.
    static func hostPathVolumes(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let names = pod.volumes.filter { $0.sources.contains("hostPath") }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "hostPath volumes",
            detail: "\(Text.pluralize("volume", "volumes", names.count)) \(Text.joinQuote(names))")
    }

    /// `hostPorts`: no `hostPort` (ports listed as sorted strings, as Go's string set lists them).
    static func hostPorts(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let bad = pod.containers.filter { !$0.hostPorts.isEmpty }
        guard !bad.isEmpty else { return nil }
        let ports = Text.sortedSet(bad.flatMap(\.hostPorts).map(String.init))
        return PodSecurityViolation(
            reason: "hostPort",
            detail: "\(Text.pluralize("container", "containers", bad.count)) \(Text.joinQuote(bad.map(\.name))) "
                + "\(Text.pluralize("uses", "use", bad.count)) \(Text.pluralize("hostPort", "hostPorts", ports.count)) "
                + ports.joined(separator: ", "))
    }

    /// `privileged`: no privileged container.
    static func privileged(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let names = pod.containers.filter { $0.securityContext?.privileged == true }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "privileged",
            detail: "\(Text.pluralize("container", "containers", names.count)) \(Text.joinQuote(names)) "
                + "must not set securityContext.privileged=true")
    }

    /// `procMount`: `procMount` unset or `Default`.
    static func procMount(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var names: [String] = []
        var types: [String] = []
        for container in pod.containers {
            guard let procMount = container.securityContext?.procMount, procMount != "Default" else { continue }
            names.append(container.name)
            types.append(procMount)
        }
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "procMount",
            detail: "\(Text.pluralize("container", "containers", names.count)) \(Text.joinQuote(names)) "
                + "must not set securityContext.procMount to \(Text.joinQuote(Text.sortedSet(types)))")
    }
}
