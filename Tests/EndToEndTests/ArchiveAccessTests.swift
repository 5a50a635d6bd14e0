import Foundation
import KubeClient
import KubeModel
import ModelAPI
import ModelFetch
import Operator
import Testing

/// Archive credentials come from a Secret and stay out of everything a person or another tenant
/// reads; the archive cache follows the model, its namespace and the namespace's PodSecurity.
@Suite(.serialized) struct ArchiveAccessTests {
    static let secretValue = "e2e-t0ken-do-not-show"

    @Test func credentialsComeFromTheModelsSecretAndAppearNowhere() async throws {
        try await E2EHarness.run { harness in
            _ = try await harness.client.create(.secrets, namespace: harness.namespace, body: [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "model-store"],
                "stringData": ["token": .string(Self.secretValue)],
            ])
            // What the operator's verification download sends, read from the API as the operator reads it.
            let credentials = try await SecretCredentialsSource(client: harness.client)
                .credentials(namespace: harness.namespace, secretName: "model-store")
            #expect(credentials.headerValue == "Bearer " + Self.secretValue)

            try await harness.apply(harness.modelYAML(name: "private", versions: ["1"], target: "1", extra: """
                  archiveCredentials: {secretName: model-store}
                """))
            let model = try await harness.waitForModel("private", "verified with the Secret's credentials") {
                $0.status?.condition(.verified)?.status == .true
            }
            #expect(model.status?.verified?.first?.size ?? 0 > 0, "the verified record keeps the archive's size")
            _ = try await harness.waitUntilDeployed("private", version: "1")
            let deployment = try await harness.kubectl(["get", "deployment", "private", "-o", "json"])
            #expect(deployment.out.contains("MODEL_ARCHIVE_TOKEN") && deployment.out.contains("model-store"))
            let shown = [deployment.out,
                         try await harness.kubectl(["get", "inferencemodel", "private", "-o", "yaml"]).out,
                         try await harness.kubectl(["describe", "inferencemodel", "private"]).out,
                         try await harness.kubectl(["get", "events", "-o", "yaml"]).out]
            for text in shown { #expect(!text.contains(Self.secretValue)) }
            for process in harness.operators { #expect(!process.log.contains(Self.secretValue)) }
        }
    }

    @Test func aMissingSecretIsReportedWithWhatToCreate() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "nosecret", versions: ["1"], target: "1", extra: """
                  archiveCredentials: {secretName: absent}
                """))
            let model = try await harness.waitForModel("nosecret", "reporting the missing Secret") {
                $0.status?.condition(.verified)?.reason.rawValue == "CredentialsUnavailable"
            }
            let message = model.status?.condition(.verified)?.message ?? ""
            #expect(message.contains("Secret absent in namespace \(harness.namespace) (spec.archiveCredentials.secretName) does not exist"),
                    "\(message)")
            #expect(try await harness.kubectl(["get", "deployment", "nosecret"]).status != 0, "nothing unverified is deployed")
        }
    }

    @Test func theArchiveCacheFollowsTheModelTheNamespaceAndPodSecurity() async throws {
        try await E2EHarness.run { harness in
            // The harness's namespace is privileged; by default the pods still keep the archive to themselves.
            try await harness.apply(harness.modelYAML(name: "plain", versions: ["1"], target: "1"))
            _ = try await harness.waitUntilDeployed("plain", version: "1")
            var volumes = try await harness.getJSON(["deployment", "plain"])[path: ["spec", "template", "spec", "volumes"]]
            #expect(volumes?.arrayValue?.contains { $0["hostPath"] != nil } == false)
            #expect(try await harness.model("plain").status?.archiveCache?.mode == .pod)

            // The namespace asks for the node cache: the pods get it, prepared for the fetch user.
            _ = try await harness.kubectl(["label", "namespace", harness.namespace, "ai.kubeedge.io/archive-cache=Node"])
            _ = try await harness.waitForModel("plain", "moving to the node cache") { $0.status?.archiveCache?.mode == .node }
            try await eventually("the Deployment mounts the node cache") {
                let spec = try await harness.getJSON(["deployment", "plain"])[path: ["spec", "template", "spec"]]
                volumes = spec?["volumes"]
                return volumes?.arrayValue?.contains { $0["hostPath"] != nil } == true
                    && spec?["initContainers"]?.arrayValue?.first?["name"]?.stringValue == "prepare-cache"
            }

            // Enforcing baseline forbids hostPath: back to the pod, and the status says why.
            _ = try await harness.kubectl(["label", "--overwrite", "namespace", harness.namespace,
                                           "pod-security.kubernetes.io/enforce=baseline"])
            let model = try await harness.waitForModel("plain", "falling back to the pod") { $0.status?.archiveCache?.mode == .pod }
            #expect(model.status?.archiveCache?.message.contains("enforces PodSecurity baseline") == true)
            try await eventually("the Deployment no longer mounts a hostPath") {
                let volumes = try await harness.getJSON(["deployment", "plain"])[path: ["spec", "template", "spec", "volumes"]]
                return volumes?.arrayValue?.contains { $0["hostPath"] != nil } == false
            }
        }
    }
}
