import Foundation
import KubeModel
import ModelAPI
import Testing

/// Issue 4 end to end: a bad sha256 never reaches a pod and never disturbs what serves.
@Suite struct VerificationGateEndToEndTests {
    @Test func aMismatchedNewVersionLeavesTheOldOneServingAndRecoversWhenCorrected() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "gate", versions: ["1", "2"], target: "1"))
            _ = try await harness.waitUntilDeployed("gate", version: "1")

            let wrong = harness.digest("m-3")
            try await harness.apply(harness.modelYAML(name: "gate", versions: ["1", "2"], target: "2", digests: ["2": wrong]))
            let failed = try await harness.waitForModel("gate", "reporting the mismatch") {
                $0.status?.condition(.verified)?.reason == .checksumMismatch
            }
            let message = failed.status?.condition(.verified)?.message ?? ""
            #expect(message.contains("version 2"))
            #expect(message.contains(harness.archiveURL("m-2")))
            #expect(message.contains("want \(wrong)"))
            #expect(message.contains("got \(harness.digest("m-2"))"))
            // Only pods that became Available make a version the serving one; while it serves at
            // the requested capacity the model stays Ready, and Verified says what failed.
            if harness.environment.archivePodsBecomeAvailable {
                #expect(failed.status?.servingVersion == "1")
                #expect(failed.status?.condition(.available)?.status == .true)
                #expect(failed.status?.condition(.ready)?.status == .true)
                #expect(failed.status?.condition(.ready)?.message.contains("sha256 mismatch") == true)
            } else {
                #expect(failed.status?.condition(.ready)?.status == .false)
            }
            #expect(failed.status?.condition(.progressing)?.status == .false, "nothing rolls out")
            let template = try await harness.getJSON(["deployment", "gate"])[path: ["spec", "template", "metadata", "annotations"]]
            #expect(template?["ai.kubeedge.io/model-version"] == "1")
            #expect(template?["ai.kubeedge.io/model-sha256"] == .string(harness.digest("m-1")))
            let describe = try await harness.kubectl(["describe", "inferencemodel", "gate"])
            #expect(describe.out.contains("Warning") && describe.out.contains("ChecksumMismatch"), "\(describe.out)")

            try await harness.apply(harness.modelYAML(name: "gate", versions: ["1", "2"], target: "2"))
            let recovered = try await harness.waitUntilDeployed("gate", version: "2")
            #expect(recovered.status?.condition(.verified)?.reason == .checksumMatched)
            #expect(recovered.status?.verified?.contains { $0.version == "2" && $0.sha256 == harness.digest("m-2") } == true)
        }
    }

    // The failure is staged with LocalCluster's simulator: the new ReplicaSet's pods fail in
    // their fetch init container with model-operator fetch's message, as a kubelet reports it.
    // A pod that only copies the model's labels (anyone may create one) must not speak for it.
    @Test(.localClusterOnly("stages a failed fetch with LocalCluster's simulator"))
    func aFailedFetchOfTheModelsOwnPodsIsShownAndNoOtherPodsIs() async throws {
        try await E2EHarness.run { harness in
            let cluster = try #require(harness.localCluster)
            try await harness.apply(harness.modelYAML(name: "edgefetch", versions: ["1", "2"], target: "1"))
            _ = try await harness.waitUntilReady("edgefetch", version: "1")

            // A forged pod: the model's labels and a failed fetch, but no ReplicaSet of the model's.
            let forged: JSONValue = [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": "edgefetch-0-forged", "namespace": .string(harness.namespace),
                             "labels": ["ai.kubeedge.io/inferencemodel": "edgefetch", "app.kubernetes.io/managed-by": "model-operator"]],
                "spec": ["nodeName": "edge-gpu-1", "containers": [["name": "model-server", "image": "x"]]],
            ]
            _ = try await harness.client.create(.pods, namespace: harness.namespace, body: forged)
            var status = try await harness.client.get(.pods, namespace: harness.namespace, name: "edgefetch-0-forged")
            status["status"] = ["phase": "Pending", "initContainerStatuses": [[
                "name": "fetch-model", "ready": false, "restartCount": 2,
                "lastState": ["terminated": ["exitCode": 1, "reason": "Error",
                                             "message": "ChecksumMismatch: FORGED message from a pod that is not the model's"]],
            ]]]
            _ = try await harness.client.updateStatus(.pods, namespace: harness.namespace, body: status)

            await cluster.setNextRolloutFailingInit(
                namespace: harness.namespace, name: "edgefetch", initContainer: "fetch-model",
                message: "DownloadFailed: download failed for version 2 (http://127.0.0.1/m-2.tar.gz): connection refused")
            try await harness.apply(harness.modelYAML(name: "edgefetch", versions: ["1", "2"], target: "2"))
            // Version 1 still serves at capacity, so the model stays Ready; the stuck rollout says why.
            let model = try await harness.waitForModel("edgefetch", "showing the fetch failure") {
                $0.status?.condition(.progressing)?.reason == "DownloadFailed"
            }
            #expect(model.status?.condition(.ready)?.status == .true)
            #expect(model.status?.condition(.ready)?.message.contains("model fetch failed") == true)
            let message = model.status?.condition(.progressing)?.message ?? ""
            #expect(message.contains("model fetch failed: download failed for version 2"), "\(message)")
            #expect(!message.contains("edgefetch-0-forged") && !message.contains("FORGED"), "\(message)")
            #expect(!message.contains("more pods"), "only the one new pod of the rollout failed: \(message)")
            #expect(model.status?.servingVersion == "1")
            let describe = try await harness.kubectl(["describe", "inferencemodel", "edgefetch"]).out
            #expect(!describe.contains("FORGED"), "\(describe)")
        }
    }
}
