import KubeClient
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

@Suite("Pod Security Standards: the checks of a 1.25 API server, without a server")
struct PodSecurityStandardsTests {
    func detail(_ pod: JSONValue, _ level: PodSecurityLevel, _ version: PodSecurityVersion = .latest) -> String {
        let view = PodSecurityPodView(metadata: pod["metadata"], spec: pod["spec"])
        return PodSecurityStandards.forbiddenDetail(PodSecurityStandards.violations(
            of: view, under: PodSecurityLevelVersion(level: level, version: version)))
    }

    @Test("every kind of container is checked: init containers, containers, then ephemeral containers")
    func everyContainerKind() {
        let pod: JSONValue = ["spec": [
            "initContainers": [["name": "init", "securityContext": ["privileged": true, "procMount": "Unmasked"]]],
            "containers": [["name": "main", "securityContext": ["capabilities": ["add": ["NET_RAW"]]]]],
            "ephemeralContainers": [["name": "debug", "securityContext": ["privileged": true,
                                                                          "capabilities": ["add": ["SYS_PTRACE"]]]]],
        ]]
        #expect(detail(pod, .baseline) == #"non-default capabilities (containers "main", "debug" must not include "NET_RAW", "SYS_PTRACE" in securityContext.capabilities.add), "#
            + #"privileged (containers "init", "debug" must not set securityContext.privileged=true), "#
            + #"procMount (container "init" must not set securityContext.procMount to "Unmasked")"#)
        let restricted = detail(pod, .restricted)
        #expect(restricted.contains(#"allowPrivilegeEscalation != false (containers "init", "main", "debug" must set securityContext.allowPrivilegeEscalation=false)"#))
        #expect(restricted.contains(#"unrestricted capabilities (containers "init", "main", "debug" must set securityContext.capabilities.drop=["ALL"]; containers "main", "debug" must not include "NET_RAW", "SYS_PTRACE" in securityContext.capabilities.add)"#))
        #expect(!restricted.contains("non-default capabilities"), "the restricted check replaces the baseline one")
    }

    @Test("a privileged level checks nothing; a compliant pod passes every level")
    func levels() {
        let bad: JSONValue = ["spec": ["hostPID": true, "containers": [["name": "c"]]]]
        #expect(detail(bad, .privileged).isEmpty)
        #expect(detail(bad, .baseline) == "host namespaces (hostPID=true)")
        let good: JSONValue = ["spec": [
            "securityContext": ["runAsNonRoot": true, "seccompProfile": ["type": "RuntimeDefault"]],
            "containers": [["name": "c", "securityContext": ["allowPrivilegeEscalation": false,
                                                             "capabilities": ["drop": ["ALL"]]]]],
        ]]
        #expect(detail(good, .baseline).isEmpty)
        #expect(detail(good, .restricted).isEmpty)
    }

    @Test("from policy version 1.25 a Windows pod passes the checks of Linux-only fields")
    func windowsPods() {
        let pod: JSONValue = ["spec": ["os": ["name": "windows"], "securityContext": ["runAsNonRoot": true],
                                       "containers": [["name": "c"]]]]
        #expect(detail(pod, .restricted).isEmpty)
        #expect(detail(pod, .restricted, .minor(24)) == #"allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), "#
            + #"unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), "#
            + #"seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#)
    }

    @Test("before policy version 1.19 seccomp is read from the alpha annotations, at both levels")
    func seccompAnnotationsBefore119() {
        let pod: JSONValue = [
            "metadata": ["annotations": ["seccomp.security.alpha.kubernetes.io/pod": "unconfined",
                                         "container.seccomp.security.alpha.kubernetes.io/c": "runtime/default"]],
            "spec": ["securityContext": ["runAsNonRoot": true, "seccompProfile": ["type": "Unconfined"]],
                     "containers": [["name": "c", "securityContext": ["allowPrivilegeEscalation": false]]]],
        ]
        let annotation = #"seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")"#
        #expect(detail(pod, .baseline, .minor(18)) == annotation)
        #expect(detail(pod, .restricted, .minor(18)) == annotation, "no restricted seccomp or capabilities check before 1.19 and 1.22")
        #expect(detail(pod, .baseline, .minor(19)) == #"seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")"#)
    }

    @Test("a seccomp annotation counts where the field is unset, as the server copies it into the field")
    func seccompAnnotationsBecomeFields() {
        var pod: JSONValue = [
            "metadata": ["annotations": ["seccomp.security.alpha.kubernetes.io/pod": "runtime/default"]],
            "spec": ["securityContext": ["runAsNonRoot": true],
                     "containers": [["name": "c", "securityContext": ["allowPrivilegeEscalation": false,
                                                                      "capabilities": ["drop": ["ALL"]]]]]],
        ]
        #expect(detail(pod, .restricted).isEmpty)
        pod[path: ["metadata", "annotations"]] = ["container.seccomp.security.alpha.kubernetes.io/c": "unconfined"]
        #expect(detail(pod, .baseline) == #"seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")"#)
        pod[path: ["spec", "securityContext", "seccompProfile"]] = ["type": "Localhost", "localhostProfile": "p"]
        pod[path: ["metadata", "annotations"]] = ["seccomp.security.alpha.kubernetes.io/pod": "unconfined"]
        #expect(detail(pod, .baseline).isEmpty, "the field wins over the annotation")
    }

    @Test("checks run baseline first, then restricted, each ordered by check ID as Go sorts strings")
    func checkOrder() {
        let ids = PodSecurityStandards.checks.map(\.id)
        let sorted = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(ids == sorted, "the table is kept in ID order")
        #expect((ids.firstIndex(of: "seLinuxOptions") ?? .max) < (ids.firstIndex(of: "seccompProfile_baseline") ?? .min))
        let pod: JSONValue = ["spec": [
            "hostNetwork": true, "volumes": [["name": "v", "nfs": ["server": "s", "path": "/"]]],
            "securityContext": ["sysctls": [["name": "kernel.sem"]], "seLinuxOptions": ["role": "r"]],
            "containers": [["name": "c"]],
        ]]
        let reasons = PodSecurityStandards.violations(
            of: PodSecurityPodView(metadata: nil, spec: pod["spec"]),
            under: PodSecurityLevelVersion(level: .restricted, version: .latest)).map(\.reason)
        #expect(detail(pod, .baseline) == "host namespaces (hostNetwork=true), "
            + "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: ), forbidden sysctls (kernel.sem)",
            "a 1.25 server names no reason when only the SELinux role or user is set")
        #expect(reasons == ["host namespaces", "seLinuxOptions", "forbidden sysctls", "allowPrivilegeEscalation != false",
                            "unrestricted capabilities", "restricted volume types", "runAsNonRoot != true", "seccompProfile"])
    }

    @Test("namespace labels: unset is privileged:latest, a level that does not parse enforces restricted")
    func labels() {
        #expect(PodSecurityLabels.enforced(by: [:]).description == "privileged:latest")
        #expect(PodSecurityLabels.enforced(by: ["pod-security.kubernetes.io/enforce": "baseline",
                                                "pod-security.kubernetes.io/enforce-version": "v1.24"]).description == "baseline:v1.24")
        #expect(PodSecurityLabels.enforced(by: ["pod-security.kubernetes.io/enforce": "Baseline"]).description == "restricted:latest")
        #expect(PodSecurityVersion(label: "v1.05") == nil && PodSecurityVersion(label: "v2.1") == nil)
        #expect(PodSecurityVersion(label: "v1.0") == .minor(0))
    }
}
