import KubeClient
import KubeModel

/// Pod Security Admission as a 1.25 API server runs it, after validation and before storage: a pod
/// created (or updated in a way that matters: images, containers, seccomp annotations) in a
/// namespace whose `pod-security.kubernetes.io/enforce` label is `baseline` or `restricted` is
/// refused with 403 Forbidden when it violates that level at `enforce-version` (default
/// `latest`), worded as the real server words it:
/// `pods "x" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (volume "cache")`.
/// A Namespace may not be created or relabelled with a Pod Security label that does not parse
/// (422 Invalid). Namespaces without the label are `privileged`: everything is admitted.
/// Not modelled: the `audit` and `warn` modes, exemptions, and the warnings a relabelling
/// returns about pods already running.
extension ClusterStore {
    /// Refuses the write of `object` (with `old` on update) if Pod Security Admission would.
    func admitPodSecurity(_ object: JSONValue, old: JSONValue?, type: ResourceType, subresource: String?)
        throws(APIError)
    {
        switch type.storageKey {
        case BuiltinResources.pods.storageKey where subresource == nil:
            try admitPod(object, old: old)
        case BuiltinResources.namespaces.storageKey where subresource == nil:
            try admitNamespace(object, old: old)
        default:
            return
        }
    }

    private func admitPod(_ pod: JSONValue, old: JSONValue?) throws(APIError) {
        guard let namespace = pod.metaNamespace,
              let stored = objects[BuiltinResources.namespaces.storageKey]?[ObjectKey(namespace: "", name: namespace)]
        else { return }
        let policy = PodSecurityLabels.enforced(by: stored[path: ["metadata", "labels"]]?.objectValue ?? [:])
        guard policy.level != .privileged else { return }
        if let old, !PodSecurityUpdates.isSignificant(pod, old: old) { return }
        let violations = PodSecurityStandards.violations(
            of: PodSecurityPodView(metadata: pod["metadata"], spec: pod["spec"]), under: policy)
        guard !violations.isEmpty else { return }
        throw APIError(
            code: 403, reason: "Forbidden",
            message: "pods \"\(pod.metaName)\" is forbidden: violates PodSecurity \"\(policy)\": "
                + PodSecurityStandards.forbiddenDetail(violations),
            details: APIError.detailsFor(name: pod.metaName, type: BuiltinResources.pods))
    }

    /// Labels that do not parse are refused on create, and on update unless they were already there.
    private func admitNamespace(_ namespace: JSONValue, old: JSONValue?) throws(APIError) {
        let errors = PodSecurityLabels.errors(in: namespace[path: ["metadata", "labels"]]?.objectValue ?? [:])
        guard !errors.isEmpty else { return }
        if let old, PodSecurityLabels.errors(in: old[path: ["metadata", "labels"]]?.objectValue ?? [:]) == errors {
            return
        }
        throw APIError.invalid(BuiltinResources.namespaces, namespace.metaName, errors)
    }
}

/// `isSignificantPodUpdate`: which pod updates Pod Security Admission evaluates (the few pod
/// fields that can change: container images and the seccomp annotations, or added containers).
enum PodSecurityUpdates {
    static func isSignificant(_ pod: JSONValue, old: JSONValue) -> Bool {
        let annotations = pod[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        let oldAnnotations = old[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        let podKey = "seccomp.security.alpha.kubernetes.io/pod"
        if annotations[podKey] != oldAnnotations[podKey] { return true }
        func changed(_ container: JSONValue, _ oldContainer: JSONValue) -> Bool {
            let key = "container.seccomp.security.alpha.kubernetes.io/" + (container["name"]?.stringValue ?? "")
            return container["image"] != oldContainer["image"] || annotations[key] != oldAnnotations[key]
        }
        for field in ["containers", "initContainers"] {
            let containers = pod[path: ["spec", field]]?.arrayValue ?? []
            let oldContainers = old[path: ["spec", field]]?.arrayValue ?? []
            if containers.count != oldContainers.count || zip(containers, oldContainers).contains(where: changed) {
                return true
            }
        }
        let oldEphemeral = old[path: ["spec", "ephemeralContainers"]]?.arrayValue ?? []
        for container in pod[path: ["spec", "ephemeralContainers"]]?.arrayValue ?? [] {
            guard let previous = oldEphemeral.first(where: { $0["name"] == container["name"] }) else { return true }
            if changed(container, previous) { return true }
        }
        return false
    }
}
