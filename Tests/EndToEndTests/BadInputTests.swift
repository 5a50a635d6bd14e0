import Foundation
import KubeClient
import ModelAPI
import Testing

/// Bad input is rejected by the CRD with a message that names the field, or reported as a
/// condition; nothing that serves is lost.
@Suite(.serialized) struct BadInputTests {
    @Test func theAPIServerRejectsEachBadInputWithAClearMessage() async throws {
        try await E2EHarness.run { harness in
            let good = harness.modelYAML(name: "bad", versions: ["1", "2"], target: "1")
            let cases: [(String, String, String)] = [
                ("unknown targetVersion", good.replacingOccurrences(of: "targetVersion: '1'", with: "targetVersion: '7'"),
                 "targetVersion"),
                ("malformed sha256", good.replacingOccurrences(of: harness.digest("m-1"), with: "abc123"), "sha256sum"),
                ("unknown layer", good.replacingOccurrences(of: "deployToLayer: edge", with: "deployToLayer: fog"),
                 "deployToLayer"),
                ("port out of range", good.replacingOccurrences(of: "servingPort: 8080", with: "servingPort: 70000"),
                 "servingPort"),
                ("negative replicas", good.replacingOccurrences(of: "replicas: 2", with: "replicas: -1"), "replicas"),
            ]
            for (what, yaml, field) in cases {
                let result = try await harness.kubectl(["apply", "-f", "-"], stdin: yaml)
                #expect(result.status != 0, "\(what) was accepted")
                #expect(result.err.contains(field), "\(what): \(result.err)")
            }
            let noSource = """
                apiVersion: ai.kubeedge.io/v1alpha1
                kind: InferenceModel
                metadata: {name: empty}
                spec: {modelName: empty, deployToLayer: edge, servingPort: 8080, image: ""}
                """
            let rejected = try await harness.kubectl(["apply", "-f", "-"], stdin: noSource)
            #expect(rejected.status != 0)
            #expect(rejected.err.contains("image") && rejected.err.contains("manifest"), "\(rejected.err)")
            #expect(try await harness.kubectl(["get", "inferencemodels", "-o", "name"]).out.isEmpty)
        }
    }

    @Test func aSpecTheSchemaCannotCatchBecomesAConditionAndServingContinues() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "dup", versions: ["1"], target: "1"))
            _ = try await harness.waitUntilDeployed("dup", version: "1")
            // A CPU request above its limit: the schema accepts both quantities, the operator does not.
            try await harness.apply(harness.modelYAML(name: "dup", versions: ["1"], target: "1", extra: """
                  resources:
                    requests: {cpu: "2"}
                    limits: {cpu: "1"}
                """))
            let model = try await harness.waitForModel("dup", "reporting the invalid spec") {
                $0.status?.condition(.ready)?.reason == .invalidSpec && $0.status?.observedGeneration == $0.metadata.generation
            }
            #expect(model.status?.condition(.ready)?.message.contains("spec.resources.requests.cpu") == true)
            // Only pods that became Available make a version the serving one.
            if harness.environment.archivePodsBecomeAvailable { #expect(model.status?.servingVersion == "1") }
            let deployment = try await harness.getJSON(["deployment", "dup"])
            #expect(deployment[path: ["spec", "template", "metadata", "annotations", "ai.kubeedge.io/model-version"]] == "1")
            let describe = try await harness.kubectl(["describe", "inferencemodel", "dup"])
            #expect(describe.out.contains("InvalidSpec"), "\(describe.out)")
        }
    }
}
