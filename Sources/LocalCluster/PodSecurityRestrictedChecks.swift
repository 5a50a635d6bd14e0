/// The restricted checks of Pod Security Admission (Kubernetes 1.25, `policy/check_*.go`), each
/// worded as the Go check words it. The `..._1_25` variants let Windows pods through checks of
/// Linux-only fields, which API validation already keeps off a Windows pod.
enum PodSecurityRestrictedChecks {
    typealias Text = PodSecurityText

    /// `allowPrivilegeEscalation` (1.8): every container sets `allowPrivilegeEscalation: false`.
    static func allowPrivilegeEscalation(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        let names = pod.containers.filter { $0.securityContext?.allowPrivilegeEscalation != false }.map(\.name)
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "allowPrivilegeEscalation != false",
            detail: "\(Text.pluralize("container", "containers", names.count)) \(Text.joinQuote(names)) "
                + "must set securityContext.allowPrivilegeEscalation=false")
    }

    /// `capabilities_restricted` (1.22): every container drops `ALL` and adds at most `NET_BIND_SERVICE`.
    static func capabilities(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var missingDropAll: [String] = []
        var addingForbidden: [String] = []
        var forbidden: [String] = []
        for container in pod.containers {
            guard let capabilities = container.securityContext?.capabilities else {
                missingDropAll.append(container.name)
                continue
            }
            if !capabilities.drop.contains("ALL") { missingDropAll.append(container.name) }
            let added = capabilities.add.filter { $0 != "NET_BIND_SERVICE" }
            if !added.isEmpty {
                addingForbidden.append(container.name)
                forbidden += added
            }
        }
        var details: [String] = []
        if !missingDropAll.isEmpty {
            details.append("\(Text.pluralize("container", "containers", missingDropAll.count)) "
                + "\(Text.joinQuote(missingDropAll)) must set securityContext.capabilities.drop=[\"ALL\"]")
        }
        if !addingForbidden.isEmpty {
            details.append("\(Text.pluralize("container", "containers", addingForbidden.count)) "
                + "\(Text.joinQuote(addingForbidden)) must not include \(Text.joinQuote(Text.sortedSet(forbidden))) "
                + "in securityContext.capabilities.add")
        }
        guard !details.isEmpty else { return nil }
        return PodSecurityViolation(reason: "unrestricted capabilities", detail: details.joined(separator: "; "))
    }

    /// The volume sources a restricted pod may use.
    static let allowedVolumeSources: Set<String> = [
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    ]

    /// The forbidden volume sources in the order the Go check tells them apart.
    static let namedVolumeSources = [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
        "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
        "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
    ]

    /// `restrictedVolumes` (1.0): only the allowed volume sources.
    static func volumes(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var names: [String] = []
        var types: [String] = []
        for volume in pod.volumes where volume.sources.isDisjoint(with: allowedVolumeSources) {
            names.append(volume.name)
            types.append(namedVolumeSources.first(where: volume.sources.contains) ?? "unknown")
        }
        guard !names.isEmpty else { return nil }
        let uniqueTypes = Text.sortedSet(types)
        return PodSecurityViolation(
            reason: "restricted volume types",
            detail: "\(Text.pluralize("volume", "volumes", names.count)) \(Text.joinQuote(names)) "
                + "\(Text.pluralize("uses", "use", names.count)) "
                + "\(Text.pluralize("restricted volume type", "restricted volume types", uniqueTypes.count)) "
                + Text.joinQuote(uniqueTypes))
    }

    /// `runAsNonRoot` (1.0): `runAsNonRoot: true` on the pod or on every container, and `false` nowhere.
    static func runAsNonRoot(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var setters: [String] = []
        let podValue = pod.securityContext?.runAsNonRoot
        if podValue == false { setters.append("pod") }
        var explicitlyBad: [String] = []
        var implicitlyBad: [String] = []
        for container in pod.containers {
            if let value = container.securityContext?.runAsNonRoot {
                if !value { explicitlyBad.append(container.name) }
            } else if podValue != true {
                implicitlyBad.append(container.name)
            }
        }
        if !explicitlyBad.isEmpty {
            setters.append("\(Text.pluralize("container", "containers", explicitlyBad.count)) \(Text.joinQuote(explicitlyBad))")
        }
        if !setters.isEmpty {
            return PodSecurityViolation(
                reason: "runAsNonRoot != true",
                detail: "\(setters.joined(separator: " and ")) must not set securityContext.runAsNonRoot=false")
        }
        guard !implicitlyBad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "runAsNonRoot != true",
            detail: "pod or \(Text.pluralize("container", "containers", implicitlyBad.count)) "
                + "\(Text.joinQuote(implicitlyBad)) must set securityContext.runAsNonRoot=true")
    }

    /// `runAsUser` (1.23): `runAsUser: 0` nowhere.
    static func runAsUser(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        var setters: [String] = []
        if pod.securityContext?.runAsUser == 0 { setters.append("pod") }
        let containers = pod.containers.filter { $0.securityContext?.runAsUser == 0 }.map(\.name)
        if !containers.isEmpty {
            setters.append("\(Text.pluralize("container", "containers", containers.count)) \(Text.joinQuote(containers))")
        }
        guard !setters.isEmpty else { return nil }
        return PodSecurityViolation(reason: "runAsUser=0",
                                    detail: "\(setters.joined(separator: " and ")) must not set runAsUser=0")
    }

    /// `seccompProfile_restricted` (1.19): `RuntimeDefault` or `Localhost` on the pod or on every
    /// container, and no other type anywhere.
    static func seccompProfile(_ pod: PodSecurityPodView) -> PodSecurityViolation? {
        if let forbidden = PodSecurityBaselineChecks.seccompProfile(pod) { return forbidden }
        let podSet = pod.securityContext?.seccompProfileType != nil
        let implicitlyBad = pod.containers.filter { !podSet && $0.securityContext?.seccompProfileType == nil }.map(\.name)
        guard !implicitlyBad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "pod or \(Text.pluralize("container", "containers", implicitlyBad.count)) "
                + "\(Text.joinQuote(implicitlyBad)) must set securityContext.seccompProfile.type to "
                + "\"RuntimeDefault\" or \"Localhost\"")
    }

    /// A 1.25 variant: Windows pods pass.
    static func exceptWindows(_ check: @escaping @Sendable (PodSecurityPodView) -> PodSecurityViolation?)
        -> @Sendable (PodSecurityPodView) -> PodSecurityViolation?
    {
        { pod in pod.isWindows ? nil : check(pod) }
    }
}
