import Foundation
import KubeModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two `model-operator run --leader-elect` processes on one Lease in the test's namespace.
extension OperationTests {
    @Test("Of two replicas exactly one leads and reconciles; after SIGKILL the other takes over once the lease expired")
    func killedLeaderHandsOver() async throws {
        let timings = OperatorProcess.LeaseTimings.short
        try await E2EHarness.run(operators: .electing(count: 2, timings: timings)) { harness in
            let leader = try await harness.waitForSingleLeader()
            let follower = try #require(harness.operators.first { $0 !== leader })

            try await harness.applyImageModel("first")
            try await harness.waitUntilDeployed("first", version: harness.imageModelImage)
            // Only the leader's log says it reconciles; the follower waits for leadership.
            #expect(leader.log.contains("caches synced; reconciling"))
            #expect(leader.log.contains("status updated") && leader.log.contains("first"))
            #expect(follower.log.contains("waiting for leadership"))
            #expect(!follower.log.contains("caches synced; reconciling"))
            #expect(!follower.log.contains("status updated"))

            let killedAt = ContinuousClock.now
            leader.signal(SIGKILL)
            let status = try await leader.waitForExit(timeout: .seconds(10))
            #expect(status == 128 + SIGKILL)
            // The dead leader's last record: when it last renewed.
            let oldLease = try #require(try await harness.lease())
            let oldSpec = try #require(oldLease.spec)
            let oldHolder = try #require(oldSpec.holderIdentity)
            let lastRenewal = try #require(oldSpec.renewTime.flatMap(KubeTime.parse))

            let newLease = try await harness.waitForLease(timeout: .seconds(60), "taken over") {
                ($0.holderIdentity ?? "").isEmpty == false && $0.holderIdentity != oldHolder
            }
            let handover = ContinuousClock.now - killedAt
            print("failover after SIGKILL (lease \(timings.duration) s, retry \(timings.retryPeriod) s): \(handover.secondsText) s")
            let newSpec = try #require(newLease.spec)
            // Nothing reconciled twice at once: the new leader took the lease only after the old
            // one had expired (its last renewal plus the lease duration; the candidate stamps its
            // attempt just before reading the lease, hence a quarter second of tolerance).
            let acquired = try #require(newSpec.acquireTime.flatMap(KubeTime.parse))
            #expect(acquired.timeIntervalSince(lastRenewal) >= Double(timings.duration) - 0.25,
                    "acquired \(acquired.timeIntervalSince(lastRenewal)) s after the last renewal")
            #expect(newSpec.leaseTransitions == (oldSpec.leaseTransitions ?? 0) + 1)
            // Within about the lease duration (generous on a loaded machine).
            #expect(handover < .seconds(timings.duration * 4))

            #expect(try await harness.waitForSingleLeader(among: [follower]) === follower)
            try await harness.applyImageModel("second")
            try await harness.waitUntilDeployed("second", version: harness.imageModelImage)
            #expect(follower.log.contains("caches synced; reconciling"))

            follower.signal(SIGTERM)
            #expect(try await follower.waitForExit(timeout: .seconds(30)) == 0)
        }
    }

    @Test("SIGTERM to the leader releases the lease: the other replica takes over in about the retry period; exit 0")
    func terminatedLeaderReleasesTheLease() async throws {
        // A long lease: a takeover well within it can only come from the release.
        let timings = OperatorProcess.LeaseTimings(duration: 30, renewDeadline: 20, retryPeriod: 1)
        try await E2EHarness.run(operators: .electing(count: 2, timings: timings)) { harness in
            let leader = try await harness.waitForSingleLeader()
            let follower = try #require(harness.operators.first { $0 !== leader })
            try await harness.applyImageModel("served")
            try await harness.waitUntilDeployed("served", version: harness.imageModelImage)
            let oldHolder = try #require(try await harness.lease()?.spec?.holderIdentity)

            let signalledAt = ContinuousClock.now
            leader.signal(SIGTERM)
            let newLease = try await harness.waitForLease(timeout: .seconds(60), "taken over") {
                ($0.holderIdentity ?? "").isEmpty == false && $0.holderIdentity != oldHolder
            }
            let handover = ContinuousClock.now - signalledAt
            print("failover after SIGTERM (lease \(timings.duration) s, retry \(timings.retryPeriod) s): \(handover.secondsText) s")
            #expect(handover < .seconds(timings.duration / 2), "took \(handover): the lease was not released")
            #expect(newLease.spec?.leaseDurationSeconds == timings.duration)
            #expect(try await leader.waitForExit(timeout: .seconds(30)) == 0)
            #expect(leader.log.contains("released leadership"))

            #expect(try await harness.waitForSingleLeader(among: [follower]) === follower)
            try await harness.applyImageModel("after-handover")
            try await harness.waitUntilDeployed("after-handover", version: harness.imageModelImage)

            follower.signal(SIGTERM)
            #expect(try await follower.waitForExit(timeout: .seconds(30)) == 0)
        }
    }
}

extension Duration {
    /// Seconds as a decimal number, for printing.
    var secondsText: String {
        let parts = components
        return String(format: "%.2f", Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
}
