/// The baseline checks of Pod Security Admission (Kubernetes 1.25) that look at security profiles
/// and kernel settings: SELinux, seccomp, sysctls and Windows host processes.
extension PodSecurityBaselineChecks {
    static let allowedSELinuxTypes: Set<String> = ["", "container_t", "container_init_t", "container_kvm_t"]

    /// `seLinuxOptions`: type only from the container types; no user, no role.
    static func seLinuxOptions(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var badTypes: [String] = []
        var setUser = false, setRole = false
        func valid(_ options: PodSecurityPodView.SELinuxOptions?) -> Bool {
            guard let options else { return true }
            var valid = true
            if !allowedSELinuxTypes.contains(options.type) {
                valid = false
                badTypes.append(options.type)
            }
            if !options.user.isEmpty {
                valid = false
                setUser = true
            }
            if !options.role.isEmpty {
                valid = false
                setRole = true
            }
            return valid
        }
        var setters: [String] = []
        if !valid(pod.securityContext?.seLinuxOptions) { setters.append("pod") }
        let containers = pod.containers.filter { !valid($0.securityContext?.seLinuxOptions) }.map(\.name)
        if !containers.isEmpty {
            setters.append("\(Text.pluralize("container", "containers", containers.count)) \(Text.joinQuote(containers))")
        }
        guard !setters.isEmpty else { return nil }
        // As in the 1.25 check, user and role are named only when a type is forbidden too: a pod
        // that only sets a user reads "pod set forbidden securityContext.seLinuxOptions: " (fixed in 1.26).
        var data: [String] = []
        let types = Text.sortedSet(badTypes)
        if !types.isEmpty {
            data.append("\(Text.pluralize("type", "types", types.count)) \(Text.joinQuote(types))")
            if setUser { data.append("user may not be set") }
            if setRole { data.append("role may not be set") }
        }
        return PodSecurityViolation(
            reason: "seLinuxOptions",
            detail: "\(setters.joined(separator: " and ")) set forbidden securityContext.seLinuxOptions: "
                + data.joined(separator: "; "))
    }

    static func validSeccompType(_ type: String) -> Bool { type == "RuntimeDefault" || type == "Localhost" }

    /// `seccompProfile_baseline` from policy version 1.19: `seccompProfile.type`, where set, is
    /// `RuntimeDefault` or `Localhost`.
    static func seccompProfile(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var setters: [String] = []
        var badValues: [String] = []
        if let type = pod.securityContext?.seccompProfileType, !validSeccompType(type) {
            setters.append("pod")
            badValues.append(type)
        }
        var containers: [String] = []
        for container in pod.containers {
            guard let type = container.securityContext?.seccompProfileType, !validSeccompType(type) else { continue }
            containers.append(container.name)
            badValues.append(type)
        }
        if !containers.isEmpty {
            setters.append("\(Text.pluralize("container", "containers", containers.count)) \(Text.joinQuote(containers))")
        }
        guard !setters.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "\(setters.joined(separator: " and ")) must not set securityContext.seccompProfile.type to "
                + Text.joinQuote(Text.sortedSet(badValues)))
    }

    /// `seccompProfile_baseline` before policy version 1.19: the alpha seccomp annotations name
    /// `runtime/default`, `docker/default` or `localhost/*`.
    static func seccompAnnotations(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        func valid(_ value: String) -> Bool {
            value == "runtime/default" || value == "docker/default" || value.hasPrefix("localhost/")
        }
        let podKey = "seccomp.security.alpha.kubernetes.io/pod"
        let keys = [podKey] + pod.containers.map { "container.seccomp.security.alpha.kubernetes.io/" + $0.name }
        let forbidden = keys.compactMap { key in
            pod.annotations[key].flatMap { valid($0) ? nil : "\(key)=\(Text.goQuoted($0))" }
        }
        guard !forbidden.isEmpty else { return nil }
        let unique = Text.sortedSet(forbidden)
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "forbidden \(Text.pluralize("annotation", "annotations", unique.count)) "
                + unique.joined(separator: ", "))
    }

    /// The namespaced sysctls a baseline pod may set.
    static let allowedSysctls: Set<String> = [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
    ]

    /// `sysctls`: only the safe ones.
    static func sysctls(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let forbidden = (pod.securityContext?.sysctlNames ?? []).filter { !allowedSysctls.contains($0) }
        guard !forbidden.isEmpty else { return nil }
        return PodSecurityViolation(reason: "forbidden sysctls", detail: forbidden.joined(separator: ", "))
    }

    /// `windowsHostProcess`: no `windowsOptions.hostProcess: true` on the pod or a container.
    static func windowsHostProcess(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var setters: [String] = []
        if pod.securityContext?.windowsHostProcess == true { setters.append("pod") }
        let containers = pod.containers.filter { $0.securityContext?.windowsHostProcess == true }.map(\.name)
        if !containers.isEmpty {
            setters.append("\(Text.pluralize("container", "containers", containers.count)) \(Text.joinQuote(containers))")
        }
        guard !setters.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "hostProcess",
            detail: "\(setters.joined(separator: " and ")) must not set securityContext.windowsOptions.hostProcess=true")
    }
}
