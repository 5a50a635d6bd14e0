import Foundation
import KubeClient
import Testing

/// From apply to Ready a model costs at most five writes: its Deployment, its Service, two status
/// writes and one Event (DESIGN.md section 3), counted on the operator's own metrics.
@Suite struct WriteBudgetTests {
    @Test(.needsImagePods)
    func anImageModelBecomesReadyWithinFiveWrites() async throws {
        try await E2EHarness.run { harness in
            try await harness.applyImageModel("budget")
            _ = try await harness.waitUntilReady("budget", version: harness.imageModelImage)
            let operatorProcess = try #require(harness.operators.first)
            try await harness.waitUntilIdle(operatorProcess, reconciled: 1)
            // A write a reconcile schedules late (an Event, a requeue) would land within this pause.
            try await Task.sleep(for: harness.environment.scaled(.seconds(1)))
            let writes = try await operatorProcess.writes()
            let total = Int(writes.values.reduce(0, +))
            #expect(total <= 5, "writes from apply to Ready: \(writes)")
            let events = try await harness.getJSON(["events", "--field-selector", "involvedObject.name=budget"])
            let reasons = (events["items"]?.arrayValue ?? []).compactMap { $0["reason"]?.stringValue }
            #expect(reasons == ["Serving"], "\(reasons)")
        }
    }
}
