import Foundation
import KubeClient
import KubeModel

/// What the operator processes say through `/metrics`, and the Lease they elect on.
extension E2EHarness {
    // MARK: - Metrics

    /// Until `process` is ready (informers synced), has finished at least `models` reconciles
    /// and has nothing queued or in flight, as its `/metrics` says.
    func waitUntilIdle(_ process: OperatorProcess, reconciled models: Int) async throws {
        try await eventually("\(process.name) synced, \(models) reconciles done and idle") {
            guard try await process.getProbe("/readyz").status == 200 else { return false }
            let metrics = try await process.scrape()
            let controller = ["controller": "inferencemodel"]
            return (metrics.value("controller_runtime_reconcile_total", controller) ?? 0) >= Double(models)
                && metrics.value("workqueue_depth", ["name": "inferencemodel"]) == 0
                && metrics.value("controller_runtime_active_workers", controller) == 0
        }
    }

    // MARK: - Leader election

    /// The election's Lease, nil until a replica created it.
    func lease() async throws -> Lease? {
        guard let leaseName else { throw E2EFailure("the harness runs no leader election") }
        do {
            return try await client.get(Lease.self, namespace: namespace, name: leaseName)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    /// The replica whose `leader_election_master_status` is 1, once exactly one says so and the
    /// Lease names a holder; every other running replica must say 0.
    func waitForSingleLeader(among candidates: [OperatorProcess]? = nil, timeout: Duration = .seconds(60))
        async throws -> OperatorProcess
    {
        let candidates = candidates ?? operators
        var seen: [String: Double] = [:]
        do {
            return try await eventuallyValue("a single leader", timeout: timeout, every: .milliseconds(200)) {
                var leaders: [OperatorProcess] = []
                for process in candidates where process.exitStatus == nil {
                    let status = try? await process.scrape().value("leader_election_master_status", ["name": leaseName ?? ""])
                    seen[process.name] = status ?? -1
                    if status == 1 { leaders.append(process) }
                }
                let holder = try? await lease()?.spec?.holderIdentity
                guard leaders.count == 1, let holder, !holder.isEmpty else { return nil }
                return leaders[0]
            }
        } catch let failure as E2EFailure {
            throw E2EFailure("\(failure); leader_election_master_status per replica: \(seen)")
        }
    }

    /// Polls the Lease until `condition` holds; returns that Lease.
    func waitForLease(timeout: Duration = .seconds(60), _ what: String, _ condition: (LeaseSpec) -> Bool)
        async throws -> Lease
    {
        var last: Lease?
        do {
            return try await eventuallyValue("the Lease \(what)", timeout: timeout, every: .milliseconds(20)) {
                guard let lease = try await lease() else { return nil }
                last = lease
                guard let spec = lease.spec, condition(spec) else { return nil }
                return lease
            }
        } catch let failure as E2EFailure {
            throw E2EFailure("\(failure); last: \(String(describing: last?.spec))")
        }
    }
}
