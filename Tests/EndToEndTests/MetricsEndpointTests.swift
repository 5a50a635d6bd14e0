import Foundation
import Testing

/// `/metrics`, `/healthz` and `/readyz` of two `model-operator run` processes, as Prometheus
/// and the kubelet see them.
extension OperationTests {
    @Test("The leader's /metrics has reconcile, work-queue, leader and model metrics; probes answer 200")
    func metricsAndProbes() async throws {
        try await OperatorProcessWorld.withOperators { world in
            let leader = try await world.waitForSingleLeader()
            let follower = try #require(world.processes.first { $0 !== leader })
            try await world.applyImageModel("scraped")
            try await world.waitUntilReady("scraped")

            for process in world.processes {
                #expect(try await process.getProbe("/healthz").status == 200, "\(process.name) /healthz")
            }
            #expect(try await eventually { try await leader.getProbe("/readyz").status == 200 }, "leader /readyz")
            // A standby replica is ready too, or a rolling update with maxUnavailable 0 would stall.
            #expect(try await follower.getProbe("/readyz").status == 200, "follower /readyz")

            // The models gauge is refreshed every 5 s: wait for it to count the Ready model.
            var metrics = try await leader.scrape()
            let deadline = ContinuousClock.now + .seconds(30)
            while (metrics.value("model_operator_models", ["condition": "Ready", "status": "True"]) ?? 0) < 1,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                metrics = try await leader.scrape()
            }
            #expect((metrics.value("model_operator_models", ["condition": "Ready", "status": "True"]) ?? 0) >= 1)
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
            #expect(metrics.value("leader_election_master_status", ["name": world.leaseName]) == 1)
            #expect((metrics.value("rest_client_requests_total", ["method": "GET", "code": "200"]) ?? 0) > 0)
            for name in ["model_operator_verifications_total", "model_operator_unplaced_models",
                         "model_operator_placement_decisions_total"] {
                #expect(metrics.names.contains(name), "\(name) missing from the leader's /metrics")
            }

            let standby = try await follower.scrape()
            #expect(standby.value("leader_election_master_status", ["name": world.leaseName]) == 0)
            #expect(standby.value("controller_runtime_reconcile_total",
                                  ["controller": "inferencemodel", "result": "success"]) ?? 0 == 0)
        }
    }
}

/// Polls `condition` every 200 ms until it holds (true) or `timeout` passes (false).
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return false
}
