import Foundation
import KubeClient
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Creates a namespace with Pod Security labels.
func createNamespace(_ api: APIClient, _ name: String, podSecurity labels: [String: String]) async throws -> APIResponse {
    try await api.post("/api/v1/namespaces", [
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
    ])
}

/// A pod with one container `main`, changed by `change`.
func securityPod(_ name: String, _ change: (inout JSONValue) -> Void = { _ in }) -> JSONValue {
    var pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
        "spec": ["containers": [["name": "main", "image": "nginx:1.25"]]],
    ]
    change(&pod)
    return pod
}

/// The `securityContext` of a container that passes the restricted checks.
let restrictedContainerContext: JSONValue = [
    "allowPrivilegeEscalation": false, "runAsNonRoot": true,
    "capabilities": ["drop": ["ALL"]], "seccompProfile": ["type": "RuntimeDefault"],
]

/// A pod that passes the restricted level, changed by `change`.
func restrictedPod(_ name: String, _ change: (inout JSONValue) -> Void = { _ in }) -> JSONValue {
    securityPod(name) { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "nginx:1.25", "securityContext": restrictedContainerContext]]
        change(&pod)
    }
}

/// One check, the pod that breaks it and what the real server answers.
struct PodSecurityCase: Sendable, CustomStringConvertible {
    var description: String
    var pod: JSONValue
    var message: String
}

/// A pod the baseline level refuses, and the real server's message for it.
let baselineCases: [PodSecurityCase] = [
    PodSecurityCase(description: "hostProcess (which needs hostNetwork)", pod: securityPod("p") { pod in
        pod[path: ["spec", "hostNetwork"]] = true
        pod[path: ["spec", "securityContext"]] = ["windowsOptions": ["hostProcess": true]]
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i",
                                              "securityContext": ["windowsOptions": ["hostProcess": true]]]]
    }, message: "host namespaces (hostNetwork=true), "
        + #"hostProcess (pod and container "main" must not set securityContext.windowsOptions.hostProcess=true)"#),
    PodSecurityCase(description: "host namespaces", pod: securityPod("p") { pod in
        pod[path: ["spec", "hostIPC"]] = true
        pod[path: ["spec", "hostNetwork"]] = true
        pod[path: ["spec", "hostPID"]] = true
    }, message: "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)"),
    PodSecurityCase(description: "privileged, init container first", pod: securityPod("p") { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": ["privileged": true]]]
        pod[path: ["spec", "initContainers"]] = [["name": "init", "image": "i", "securityContext": ["privileged": true]]]
    }, message: #"privileged (containers "init", "main" must not set securityContext.privileged=true)"#),
    PodSecurityCase(description: "capabilities beyond the default set", pod: securityPod("p") { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": [
            "capabilities": ["add": ["SYS_ADMIN", "CHOWN", "NET_ADMIN"]]]]]
    }, message: #"non-default capabilities (container "main" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)"#),
    PodSecurityCase(description: "hostPath volume", pod: securityPod("p") { pod in
        pod[path: ["spec", "volumes"]] = [["name": "model-cache", "hostPath": ["path": "/var/cache/models"]]]
    }, message: #"hostPath volumes (volume "model-cache")"#),
    PodSecurityCase(description: "host ports, listed as Go sorts strings", pod: securityPod("p") { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "ports": [
            ["containerPort": 80, "hostPort": 8080], ["containerPort": 90, "hostPort": 10000], ["containerPort": 91]]]]
    }, message: #"hostPort (container "main" uses hostPorts 10000, 8080)"#),
    PodSecurityCase(description: "AppArmor unconfined", pod: securityPod("p") { pod in
        pod[path: ["metadata", "annotations"]] = ["container.apparmor.security.beta.kubernetes.io/main": "unconfined",
                                                  "container.apparmor.security.beta.kubernetes.io/sidecar": "runtime/default"]
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i"], ["name": "sidecar", "image": "i"]]
    }, message: #"forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/main="unconfined")"#),
    PodSecurityCase(description: "SELinux type and user", pod: securityPod("p") { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": [
            "seLinuxOptions": ["type": "spc_t", "user": "system_u"]]]]
    }, message: #"seLinuxOptions (container "main" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)"#),
    PodSecurityCase(description: "/proc mount", pod: securityPod("p") { pod in
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": ["procMount": "Unmasked"]]]
    }, message: #"procMount (container "main" must not set securityContext.procMount to "Unmasked")"#),
    PodSecurityCase(description: "seccomp Unconfined", pod: securityPod("p") { pod in
        pod[path: ["spec", "securityContext"]] = ["seccompProfile": ["type": "Unconfined"]]
    }, message: #"seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")"#),
    PodSecurityCase(description: "unsafe sysctl", pod: securityPod("p") { pod in
        pod[path: ["spec", "securityContext"]] = ["sysctls": [["name": "net.ipv4.tcp_syncookies", "value": "1"],
                                                              ["name": "kernel.msgmax", "value": "65536"]]]
    }, message: "forbidden sysctls (kernel.msgmax)"),
]

/// A pod the restricted level refuses although baseline admits it (or what restricted reports
/// instead of the baseline check), and the real server's message for it.
let restrictedCases: [PodSecurityCase] = [
    PodSecurityCase(description: "the defaults of a plain pod", pod: securityPod("p"), message:
        #"allowPrivilegeEscalation != false (container "main" must set securityContext.allowPrivilegeEscalation=false), "#
        + #"unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]), "#
        + #"runAsNonRoot != true (pod or container "main" must set securityContext.runAsNonRoot=true), "#
        + #"seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#),
    PodSecurityCase(description: "volume types (hostPath reported once)", pod: restrictedPod("p") { pod in
        pod[path: ["spec", "volumes"]] = [["name": "model-cache", "hostPath": ["path": "/cache"]],
                                          ["name": "config", "configMap": ["name": "c"]],
                                          ["name": "repo", "gitRepo": ["repository": "r"]]]
    }, message: #"restricted volume types (volumes "model-cache", "repo" use restricted volume types "gitRepo", "hostPath")"#),
    PodSecurityCase(description: "allowPrivilegeEscalation in an init container", pod: restrictedPod("p") { pod in
        var context = restrictedContainerContext
        context["allowPrivilegeEscalation"] = true
        pod[path: ["spec", "initContainers"]] = [["name": "fetch", "image": "i", "securityContext": context]]
    }, message: #"allowPrivilegeEscalation != false (container "fetch" must set securityContext.allowPrivilegeEscalation=false)"#),
    PodSecurityCase(description: "runAsNonRoot false on a container", pod: restrictedPod("p") { pod in
        var context = restrictedContainerContext
        context["runAsNonRoot"] = false
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": context]]
    }, message: #"runAsNonRoot != true (container "main" must not set securityContext.runAsNonRoot=false)"#),
    PodSecurityCase(description: "runAsNonRoot only on the pod is enough, runAsUser 0 is not", pod: restrictedPod("p") { pod in
        var context = restrictedContainerContext
        context["runAsNonRoot"] = nil
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": context]]
        pod[path: ["spec", "securityContext"]] = ["runAsNonRoot": true, "runAsUser": 0]
    }, message: "runAsUser=0 (pod must not set runAsUser=0)"),
    PodSecurityCase(description: "seccomp on one container of two", pod: restrictedPod("p") { pod in
        var context = restrictedContainerContext
        context["seccompProfile"] = nil
        pod[path: ["spec", "containers"]] = [
            ["name": "a", "image": "i", "securityContext": restrictedContainerContext],
            ["name": "b", "image": "i", "securityContext": context],
        ]
    }, message: #"seccompProfile (pod or container "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#),
    PodSecurityCase(description: "capabilities: add beyond NET_BIND_SERVICE (reported once)", pod: restrictedPod("p") { pod in
        var context = restrictedContainerContext
        context["capabilities"] = ["drop": ["ALL"], "add": ["NET_BIND_SERVICE", "SYS_ADMIN"]]
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": context]]
    }, message: #"unrestricted capabilities (container "main" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#),
    PodSecurityCase(description: "baseline violations come first", pod: restrictedPod("p") { pod in
        pod[path: ["spec", "hostNetwork"]] = true
        var context = restrictedContainerContext
        context["runAsUser"] = 0
        pod[path: ["spec", "containers"]] = [["name": "main", "image": "i", "securityContext": context]]
    }, message: #"host namespaces (hostNetwork=true), runAsUser=0 (container "main" must not set runAsUser=0)"#),
]

@Suite("Pod Security Admission: pods are checked against their namespace's enforce label")
struct PodSecurityAdmissionTests {
    @Test("baseline refuses each forbidden setting with the real server's 403", arguments: baselineCases)
    func baselineRefuses(_ testCase: PodSecurityCase) async throws {
        try await withCluster { _, api in
            #expect(try await createNamespace(api, "team", podSecurity: ["pod-security.kubernetes.io/enforce": "baseline"]).status == 201)
            let response = try await api.post("/api/v1/namespaces/team/pods", testCase.pod)
            #expect(response.status == 403)
            #expect(response.body["kind"] == "Status" && response.body["status"] == "Failure")
            #expect(response.body["reason"] == "Forbidden" && response.body["code"] == 403)
            #expect(response.body["message"] == .string(#"pods "p" is forbidden: violates PodSecurity "baseline:latest": "# + testCase.message))
            #expect(response.body["details"] == ["name": "p", "kind": "pods"])
            #expect(try await api.get("/api/v1/namespaces/team/pods/p").status == 404)
        }
    }

    @Test("restricted refuses what baseline allows, in the real server's joined form", arguments: restrictedCases)
    func restrictedRefuses(_ testCase: PodSecurityCase) async throws {
        try await withCluster { _, api in
            _ = try await createNamespace(api, "team", podSecurity: ["pod-security.kubernetes.io/enforce": "restricted"])
            let response = try await api.post("/api/v1/namespaces/team/pods", testCase.pod)
            #expect(response.status == 403)
            #expect(response.body["reason"] == "Forbidden")
            #expect(response.body["message"] == .string(#"pods "p" is forbidden: violates PodSecurity "restricted:latest": "# + testCase.message))
        }
    }

    @Test("a pod that follows the restricted profile is admitted, with every allowed volume type")
    func compliantPodAdmitted() async throws {
        try await withCluster { _, api in
            _ = try await createNamespace(api, "team", podSecurity: ["pod-security.kubernetes.io/enforce": "restricted"])
            let pod = restrictedPod("ok") { pod in
                pod[path: ["spec", "securityContext"]] = ["runAsUser": 1000, "seccompProfile": ["type": "Localhost", "localhostProfile": "p.json"]]
                var context = restrictedContainerContext
                context["capabilities"] = ["drop": ["ALL"], "add": ["NET_BIND_SERVICE"]]
                context["seccompProfile"] = nil
                pod[path: ["spec", "initContainers"]] = [["name": "fetch", "image": "i", "securityContext": context]]
                pod[path: ["spec", "volumes"]] = [
                    ["name": "a", "configMap": ["name": "c"]], ["name": "b", "secret": ["secretName": "s"]],
                    ["name": "c", "emptyDir": [:]], ["name": "d", "persistentVolumeClaim": ["claimName": "pvc"]],
                    ["name": "e", "downwardAPI": ["items": []]], ["name": "f", "projected": ["sources": []]],
                    ["name": "g", "csi": ["driver": "d"]],
                    ["name": "h", "ephemeral": ["volumeClaimTemplate": ["spec": [
                        "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]]],
                ]
            }
            let response = try await api.post("/api/v1/namespaces/team/pods", pod)
            #expect(response.status == 201, "\(response.text)")
        }
    }

    @Test("a namespace without the label, or labelled privileged, admits everything")
    func privilegedAdmitsEverything() async throws {
        try await withCluster { _, api in
            _ = try await createNamespace(api, "open", podSecurity: [:])
            _ = try await createNamespace(api, "priv", podSecurity: ["pod-security.kubernetes.io/enforce": "privileged"])
            for namespace in ["open", "priv", "auto-created"] {
                for testCase in baselineCases + restrictedCases {
                    var pod = testCase.pod
                    pod[path: ["metadata", "name"]] = nil
                    pod[path: ["metadata", "generateName"]] = "p-"
                    let response = try await api.post("/api/v1/namespaces/\(namespace)/pods", pod)
                    #expect(response.status == 201, "\(testCase) in \(namespace): \(response.text)")
                }
            }
        }
    }

    @Test("enforce-version picks the checks of that policy version; newer versions mean the newest known")
    func enforceVersion() async throws {
        try await withCluster { _, api in
            let runsAsRoot = restrictedPod("root") { pod in pod[path: ["spec", "securityContext"]] = ["runAsUser": 0] }
            _ = try await createNamespace(api, "v122", podSecurity: [
                "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.22"])
            #expect(try await api.post("/api/v1/namespaces/v122/pods", runsAsRoot).status == 201, "runAsUser is checked from 1.23 on")
            _ = try await createNamespace(api, "v130", podSecurity: [
                "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.30"])
            let refused = try await api.post("/api/v1/namespaces/v130/pods", runsAsRoot)
            #expect(refused.status == 403)
            #expect(refused.body["message"] == #"pods "root" is forbidden: violates PodSecurity "restricted:v1.30": runAsUser=0 (pod must not set runAsUser=0)"#)
        }
    }

    @Test("a pod created with generateName is named in the refusal by its generated name")
    func generatedNameInMessage() async throws {
        try await withCluster { _, api in
            _ = try await createNamespace(api, "team", podSecurity: ["pod-security.kubernetes.io/enforce": "baseline"])
            var pod = securityPod("") { $0[path: ["spec", "hostPID"]] = true }
            pod[path: ["metadata"]] = ["generateName": "worker-"]
            let response = try await api.post("/api/v1/namespaces/team/pods", pod)
            let message = try #require(response.body["message"]?.stringValue)
            #expect(message.wholeMatch(of: #/pods "worker-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostPID=true\)/#) != nil, "\(message)")
            #expect(response.body[path: ["details", "name"]]?.stringValue?.hasPrefix("worker-") == true)
        }
    }

    @Test("a Pod Security label that does not parse is refused on the Namespace, as the real server refuses it")
    func invalidLabelsRefused() async throws {
        try await withCluster { _, api in
            let response = try await createNamespace(api, "bad", podSecurity: [
                "pod-security.kubernetes.io/enforce": "strict", "pod-security.kubernetes.io/enforce-version": "1.25"])
            #expect(response.status == 422)
            #expect(response.body["reason"] == "Invalid")
            #expect(response.body["message"] == .string(#"Namespace "bad" is invalid: ["#
                + #"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, "#
                + #"metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "1.25": must be "latest" or "v1.x"]"#))
            _ = try await createNamespace(api, "good", podSecurity: [:])
            let relabel = try await api.patch("/api/v1/namespaces/good", [
                "metadata": ["labels": ["pod-security.kubernetes.io/warn": "everything"]]])
            #expect(relabel.status == 422)
            #expect(relabel.body["message"] == #"Namespace "good" is invalid: metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "everything": must be one of privileged, baseline, restricted"#)
        }
    }

    @Test("a pod update that changes an image is checked against the namespace's level now; other updates are not")
    func significantUpdatesChecked() async throws {
        try await withCluster { _, api in
            _ = try await createNamespace(api, "team", podSecurity: [:])
            let created = try await api.post("/api/v1/namespaces/team/pods", securityPod("p") { $0[path: ["spec", "hostIPC"]] = true })
            #expect(created.status == 201)
            #expect(try await api.patch("/api/v1/namespaces/team", [
                "metadata": ["labels": ["pod-security.kubernetes.io/enforce": "baseline"]]]).status == 200)
            let relabelled = try await api.patch("/api/v1/namespaces/team/pods/p", ["metadata": ["labels": ["tier": "a"]]])
            #expect(relabelled.status == 200)
            let newImage = try await api.patch("/api/v1/namespaces/team/pods/p", [
                "spec": ["containers": [["name": "main", "image": "nginx:1.26"]]]], type: "application/strategic-merge-patch+json")
            #expect(newImage.status == 403)
            #expect(newImage.body["message"] == #"pods "p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostIPC=true)"#)
        }
    }
}
