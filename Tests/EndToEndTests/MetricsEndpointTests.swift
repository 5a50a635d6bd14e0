import Foundation
import Testing

/// `/metrics`, `/healthz` and `/readyz` of two `model-operator run` processes, as Prometheus
/// and the kubelet see them.
extension OperationTests {
    @Test("The leader's /metrics has reconcile, work-queue, leader and model metrics; probes answer 200")
    func metricsAndProbes() async throws {
        try await E2EHarness.run(operators: .electing(count: 2, timings: .short)) { harness in
            let leader = try await harness.waitForSingleLeader()
            let follower = try #require(harness.operators.first { $0 !== leader })
            try await harness.applyImageModel("scraped")
            try await harness.waitUntilDeployed("scraped", version: harness.imageModelImage)

            for process in harness.operators {
                #expect(try await process.getProbe("/healthz").status == 200, "\(process.name) /healthz")
            }
            try await eventually("leader /readyz 200", timeout: .seconds(30)) { try await leader.getProbe("/readyz").status == 200 }
            // A standby replica is ready too, or a rolling update with maxUnavailable 0 would stall.
            #expect(try await follower.getProbe("/readyz").status == 200, "follower /readyz")

            // The models gauge is refreshed every 5 s: wait for it to count the model, Ready where
            // its pod can run, Verified (image-based) everywhere.
            let counted = harness.environment.imagePodsBecomeAvailable ? "Ready" : "Verified"
            let metrics = try await eventuallyValue("the models gauge counting a \(counted) model", timeout: .seconds(30),
                                                    every: .milliseconds(500)) {
                let metrics = try await leader.scrape()
                return (metrics.value("model_operator_models", ["condition": counted, "status": "True"]) ?? 0) >= 1
                    ? metrics : nil
            }
            #expect(metrics.value("model_operator_models", ["condition": "Verified", "status": "True"]) != nil)

            let controller = ["controller": "inferencemodel"]
            #expect((metrics.value("controller_runtime_reconcile_total",
                                   ["controller": "inferencemodel", "result": "success"]) ?? 0) > 0)
            #expect(metrics.types["controller_runtime_reconcile_time_seconds"] == "histogram")
            #expect((metrics.value("controller_runtime_reconcile_time_seconds_count", controller) ?? 0) > 0)
            #expect(metrics.value("controller_runtime_reconcile_errors_total", controller) != nil)
            let queue = ["name": "inferencemodel"]
            #expect(metrics.value("workqueue_depth", queue) != nil)
            #expect((metrics.value("workqueue_adds_total", queue) ?? 0) > 0)
            #expect((metrics.value("workqueue_queue_duration_seconds_count", queue) ?? 0) > 0)
            #expect((metrics.value("workqueue_work_duration_seconds_count", queue) ?? 0) > 0)
            #expect(metrics.value("leader_election_master_status", ["name": harness.leaseName ?? ""]) == 1)
            #expect((metrics.value("rest_client_requests_total", ["method": "GET", "code": "200"]) ?? 0) > 0)
            for name in ["model_operator_verifications_total", "model_operator_unplaced_models",
                         "model_operator_placement_decisions_total"] {
                #expect(metrics.names.contains(name), "\(name) missing from the leader's /metrics")
            }

            let standby = try await follower.scrape()
            #expect(standby.value("leader_election_master_status", ["name": harness.leaseName ?? ""]) == 0)
            #expect(standby.value("controller_runtime_reconcile_total",
                                  ["controller": "inferencemodel", "result": "success"]) ?? 0 == 0)
        }
    }
}
