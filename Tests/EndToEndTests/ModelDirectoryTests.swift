import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

/// Pods find a model's URL in a model directory (a ConfigMap labelled
/// ai.kubeedge.io/model-directory=true) instead of a hard-coded string.
@Suite(.serialized) struct ModelDirectoryTests {
    @Test func aDirectoryListsEveryServingModelsURLAndFollowsThem() async throws {
        try await E2EHarness.run { harness in
            _ = try await harness.client.create(.configMaps, namespace: harness.namespace, body: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "inference-models", "labels": ["ai.kubeedge.io/model-directory": "true"]],
            ])
            try await harness.applyImageModel("alpha")
            try await harness.applyImageModel("beta")
            let alpha = try await harness.waitUntilReady("alpha", version: harness.imageModelImage)
            let beta = try await harness.waitUntilReady("beta", version: harness.imageModelImage)
            let alphaURL = try #require(alpha.status?.url)
            let betaURL = try #require(beta.status?.url)
            try await eventually("the directory lists both URLs") {
                let data = try await harness.getJSON(["configmap", "inference-models"])["data"]
                return data == ["alpha": .string(alphaURL), "beta": .string(betaURL)]
            }
            // A ConfigMap without the label is not touched.
            _ = try await harness.client.create(.configMaps, namespace: harness.namespace, body: [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "unrelated"], "data": ["k": "v"],
            ])
            // Someone edits the directory: it is restored.
            _ = try await harness.kubectl(["patch", "configmap", "inference-models", "--type", "merge",
                                           "-p", #"{"data":{"alpha":"http://elsewhere"}}"#])
            try await eventually("the edited entry is restored") {
                try await harness.getJSON(["configmap", "inference-models"])[path: ["data", "alpha"]] == .string(alphaURL)
            }
            // A deleted model leaves the directory.
            _ = try await harness.kubectl(["delete", "inferencemodel", "beta", "--wait=false"])
            try await eventually("the deleted model leaves the directory") {
                try await harness.getJSON(["configmap", "inference-models"])["data"] == ["alpha": .string(alphaURL)]
            }
            #expect(try await harness.getJSON(["configmap", "unrelated"])["data"] == ["k": "v"])
        }
    }

    @Test func aRestartedOperatorWritesNoDirectoryThatIsUpToDate() async throws {
        try await E2EHarness.run { harness in
            _ = try await harness.client.create(.configMaps, namespace: harness.namespace, body: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "inference-models", "labels": ["ai.kubeedge.io/model-directory": "true"]],
            ])
            try await harness.applyImageModel("gamma")
            let gamma = try await harness.waitUntilReady("gamma", version: harness.imageModelImage)
            try await eventually("the directory lists the model") {
                try await harness.getJSON(["configmap", "inference-models"])[path: ["data", "gamma"]] == gamma.status?.url.map(JSONValue.string)
            }
            let before = try await harness.getJSON(["configmap", "inference-models"])[path: ["metadata", "resourceVersion"]]
            let first = try #require(harness.operators.first)
            #expect(await first.stop() == 0)
            let restarted = try harness.startOperator()
            try await harness.waitUntilIdle(restarted, reconciled: 1)
            // The directory check at start and its coalescing window (0.5 s) are within this pause.
            try await Task.sleep(for: harness.environment.scaled(.seconds(2)))
            let after = try await harness.getJSON(["configmap", "inference-models"])[path: ["metadata", "resourceVersion"]]
            #expect(before == after, "a restart rewrote an up-to-date directory")
            let writes = try await restarted.writes()
            #expect(writes.isEmpty, "the restarted operator wrote to the API: \(writes)")
        }
    }
}
