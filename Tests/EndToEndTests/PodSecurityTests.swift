import DemoSupport
import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

/// In a namespace that enforces PodSecurity `restricted`, the runnable examples become Ready:
/// every pod the operator renders (and the joint-inference router) passes the restricted checks.
@Suite(.serialized) struct PodSecurityTests {
    @Test(.localClusterOnly("the examples' archives are generated and served on this machine"))
    func theRunnableExamplesBecomeReadyInARestrictedNamespace() async throws {
        try await E2EHarness.run(archives: ExampleManifests.archiveNames, podSecurity: "restricted") { harness in
            var digests: [String: String] = [:]
            for name in ExampleManifests.archiveNames { digests[name] = harness.digest(name) }
            let base = harness.archiveURL(ExampleManifests.archiveNames[0])
                .replacingOccurrences(of: "/\(ExampleManifests.archiveNames[0]).tar.gz", with: "/")
            let documents = try ExampleManifests.load(from: E2EHarness.repository.appendingPathComponent("examples"),
                                                      digests: digests)
            var models: [String] = []
            for var document in documents {
                document[path: ["metadata", "namespace"]] = .string(harness.namespace)
                let text = document.jsonString.replacingOccurrences(of: "http://127.0.0.1:18080/", with: base)
                try await harness.apply(text)
                if document["kind"] == "InferenceModel", let name = document[path: ["metadata", "name"]]?.stringValue {
                    models.append(name)
                }
            }
            #expect(models.count == 6)
            for name in models {
                let model = try await harness.waitForModel(name, timeout: .seconds(120), "Ready in a restricted namespace") {
                    $0.status?.condition(.ready)?.status == .true
                }
                #expect(model.status?.url != nil, "\(name)")
                if model.spec.image == nil { #expect(model.status?.archiveCache?.mode == .pod, "\(name)") }
            }
            try await eventually("the joint-inference router runs", timeout: .seconds(120)) {
                let router = try await harness.getJSON(["deployment", "joint-inference-router"])
                return router[path: ["status", "availableReplicas"]]?.intValue == 1
            }
            // The directory lists both joint-inference models for the router.
            try await eventually("the router's model directory lists both models") {
                let data = try await harness.getJSON(["configmap", "inference-models"])["data"]?.objectValue ?? [:]
                return data["joint-edge"] != nil && data["joint-cloud"] != nil
            }
        }
    }
}
