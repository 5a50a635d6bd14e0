import Foundation
import KubeClient
import ModelAPI
import Testing

/// An object of the same name the model does not own is never taken over, and the model says so.
@Suite struct ForeignObjectTests {
    @Test func aServiceMadeByHandIsNotTakenOverAndTheModelSaysWhy() async throws {
        try await E2EHarness.run { harness in
            let created = try await harness.kubectl(["create", "service", "clusterip", "taken", "--tcp=80:80"])
            #expect(created.status == 0, "\(created.err)")
            try await harness.apply(harness.modelYAML(name: "taken", replicas: 1))
            let model = try await harness.waitForModel("taken", "reporting the foreign Service") {
                $0.status?.condition(.ready)?.reason == .notOwned
            }
            #expect(model.status?.condition(.ready)?.status == .false)
            #expect(model.status?.condition(.ready)?.message.hasPrefix(
                "Service taken exists and is not owned by this InferenceModel; delete it or rename the model") == true)
            let service = try await harness.getJSON(["service", "taken"])
            #expect(service[path: ["spec", "ports"]]?[0]?["port"] == 80, "the hand-made Service is untouched")
            #expect(service[path: ["metadata", "ownerReferences"]] == nil)
            let events = try await harness.getJSON(["events", "--field-selector", "involvedObject.name=taken"])
            let reasons = (events["items"]?.arrayValue ?? []).compactMap { $0["reason"]?.stringValue }
            #expect(reasons.contains("NotOwned"), "\(reasons)")
            // No busy loop: a handful of reconciles, not one after another.
            let operatorProcess = try #require(harness.operators.first)
            let before = try await operatorProcess.scrape().value("controller_runtime_reconcile_total",
                                                                   ["controller": "inferencemodel"]) ?? 0
            try await Task.sleep(for: .seconds(2))
            let after = try await operatorProcess.scrape().value("controller_runtime_reconcile_total",
                                                                  ["controller": "inferencemodel"]) ?? 0
            #expect(after - before <= 2, "reconciles in 2 s: \(after - before)")
            // Once it is gone, the model gets its own Service.
            #expect(try await harness.kubectl(["delete", "service", "taken"]).status == 0)
            try await eventually("the model's own Service", timeout: .seconds(90)) {
                try await harness.getJSON(["service", "taken"])[path: ["metadata", "ownerReferences"]]?[0]?["name"] == "taken"
            }
        }
    }
}
