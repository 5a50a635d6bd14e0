import Foundation
import KubeClient
import ModelAPI
import Testing

/// An operator restart rewrites nothing that is unchanged.
@Suite struct RestartTests {
    @Test(.needsArchivePods, .needsImagePods)
    func aRestartedOperatorMakesNoWrites() async throws {
        try await E2EHarness.run { harness in
            for name in ["r-edge", "r-cloud"] {
                try await harness.apply(harness.modelYAML(name: name, layer: name == "r-edge" ? "edge" : "cloud",
                                                          versions: ["1", "2"]))
            }
            try await harness.apply(harness.modelYAML(name: "r-image", replicas: 1)
                .replacingOccurrences(of: "  frameworkType: tensorflow", with: "  image: \(harness.imageModelImage)"))
            for name in ["r-edge", "r-cloud"] { _ = try await harness.waitUntilReady(name, version: "2") }
            _ = try await harness.waitUntilReady("r-image", version: harness.imageModelImage)
            let first = try #require(harness.operators.first)
            // The count below is zero because nothing was written, not because nothing is counted.
            let firstWrites = try await first.writes()
            #expect(firstWrites.keys.contains("POST 201") && firstWrites.keys.contains { $0.hasPrefix("PUT ") },
                    "the first operator's writes: \(firstWrites)")
            #expect(await first.stop() == 0, "the first operator did not stop cleanly on SIGTERM")
            let serverWritesBefore = await Self.operatorWritesSeenByLocalCluster(harness)

            let restarted = try harness.startOperator()
            // Every model is reconciled once after the initial list; wait until that is done.
            try await harness.waitUntilIdle(restarted, reconciled: 3)
            // A write a reconcile schedules late (an Event, a requeue) would land within this pause.
            try await Task.sleep(for: harness.environment.scaled(.seconds(1)))
            let writes = try await restarted.writes()
            #expect(writes.isEmpty, "the restarted operator wrote to the API: \(writes)")
            // Counted on the server too, where LocalCluster is the server: no write, no Event.
            if let before = serverWritesBefore {
                #expect(await Self.operatorWritesSeenByLocalCluster(harness) == before)
            }
        }
    }

    /// GPU models keep their placement across a restart: no Scheduled flip (Placed → Pending →
    /// Placed), no status write, no Deployment moved.
    @Test(.localClusterOnly("needs LocalCluster's simulated GPU nodes"))
    func aRestartedOperatorKeepsGPUPlacementsWithoutWrites() async throws {
        try await E2EHarness.run { harness in
            for name in ["g-t4", "g-p4"] {
                let product = name == "g-t4" ? "Tesla-T4" : "Tesla-P4"
                try await harness.apply(harness.modelYAML(name: name, layer: name == "g-t4" ? "cloud" : "edge",
                                                          versions: ["1"], replicas: 2, extra: """
                      gpu:
                        memory: 2Gi
                        products: [\(product)]
                    """))
            }
            var before: [String: [ModelPlacement]] = [:]
            for name in ["g-t4", "g-p4"] {
                let model = try await harness.waitUntilReady(name, version: "1")
                before[name] = model.status?.placements
                #expect(model.status?.condition(.scheduled)?.reason.rawValue == "Placed", "\(name)")
            }
            let first = try #require(harness.operators.first)
            #expect(await first.stop() == 0)
            let serverWritesBefore = await Self.operatorWritesSeenByLocalCluster(harness)
            let restarted = try harness.startOperator()
            try await harness.waitUntilIdle(restarted, reconciled: 2)
            // The first placement batch after the start runs within this pause.
            try await Task.sleep(for: harness.environment.scaled(.seconds(2)))
            let writes = try await restarted.writes()
            #expect(writes.isEmpty, "the restarted operator wrote to the API: \(writes)")
            if let before = serverWritesBefore {
                #expect(await Self.operatorWritesSeenByLocalCluster(harness) == before)
            }
            for name in ["g-t4", "g-p4"] {
                let model = try await harness.model(name)
                #expect(model.status?.placements == before[name], "\(name)")
                #expect(model.status?.condition(.scheduled)?.reason.rawValue == "Placed", "\(name)")
            }
        }
    }

    /// The writes of the kinds the operator writes (its children, Events, model status), as
    /// LocalCluster counted them; nil on a real cluster. The simulator's own writes (pods,
    /// ReplicaSets, Deployment status) are not among them.
    static func operatorWritesSeenByLocalCluster(_ harness: E2EHarness) async -> [String: Int]? {
        guard let cluster = harness.localCluster else { return nil }
        var counts: [String: Int] = [:]
        for resource in ["deployments", "services", "events"] {
            for verb in ["create", "update", "patch", "delete"] {
                counts["\(verb) \(resource)"] = await cluster.writeCount(verb: verb, resource: resource)
            }
        }
        for verb in ["update/status", "patch/status"] {
            counts["\(verb) inferencemodels"] = await cluster.writeCount(verb: verb, resource: "inferencemodels")
        }
        return counts
    }
}
