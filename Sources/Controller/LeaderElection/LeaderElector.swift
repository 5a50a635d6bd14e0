import Foundation
import KubeClient
import KubeModel
import Logging
import Metrics

/// Leader election on a Lease, as client-go does it: a candidate takes the lease when it is free
/// or its holder has not renewed for a lease duration (measured on this replica's clock from
/// when it last saw the record change, so clock skew between nodes does not matter); the leader
/// renews every retry period and gives up leadership once it could not renew for the renew
/// deadline. Updates carry the read resourceVersion, so two candidates never both win.
public actor LeaderElector {
    public let config: LeaderElectionConfig
    private let client: RESTClient
    private let logger: Logger
    private let gauge: Gauge
    private var observedRecord: LeaseSpec?
    private var observedAt = ContinuousClock.now
    private var lastRenewal: ContinuousClock.Instant?
    private(set) public var isLeader = false

    public init(client: RESTClient, config: LeaderElectionConfig, logger: Logger) {
        self.client = client
        self.config = config
        self.logger = logger
        gauge = Gauge(label: "leader_election_master_status", dimensions: [("name", config.name)])
        gauge.record(0)
    }

    /// Waits until this replica holds the lease.
    public func acquire() async throws {
        logger.info("waiting for leadership", metadata: ["lease": "\(config.namespace)/\(config.name)", "identity": "\(config.identity)"])
        while true {
            try Task.checkCancellation()
            if await tryAcquireOrRenew() {
                isLeader = true
                gauge.record(1)
                logger.info("became leader", metadata: ["identity": "\(config.identity)"])
                return
            }
            try await Task.sleep(for: config.retryPeriod)
        }
    }

    /// Renews every retry period; returns when leadership is lost (renewal failed for the renew
    /// deadline, or another replica holds the lease). The caller must stop reconciling at once.
    public func holdLeadership() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: config.retryPeriod)
            if Task.isCancelled { return }
            if await tryAcquireOrRenew() { continue }
            let since = lastRenewal.map { ContinuousClock.now - $0 } ?? .seconds(0)
            if since >= config.renewDeadline || observedRecord?.holderIdentity != config.identity {
                isLeader = false
                gauge.record(0)
                logger.error("lost leadership", metadata: ["holder": "\(observedRecord?.holderIdentity ?? "")"])
                return
            }
        }
    }

    /// Gives the lease up (graceful shutdown): the next candidate takes over after one retry
    /// period instead of waiting a whole lease duration.
    public func release() async {
        guard isLeader else { return }
        isLeader = false
        gauge.record(0)
        do {
            var lease = try await client.get(Lease.self, namespace: config.namespace, name: config.name)
            guard lease.spec?.holderIdentity == config.identity else { return }
            let now = Date()
            lease.spec?.holderIdentity = ""
            lease.spec?.leaseDurationSeconds = 1
            lease.spec?.renewTime = KubeTime.formatMicro(now)
            lease.spec?.acquireTime = KubeTime.formatMicro(now)
            _ = try await client.update(lease)
            logger.info("released leadership")
        } catch {
            logger.warning("could not release the lease; the next leader waits for it to expire", metadata: ["error": "\(error)"])
        }
    }

    /// One attempt: create the lease, renew ours, or take an expired or released one.
    private func tryAcquireOrRenew() async -> Bool {
        let now = Date()
        let stamp = KubeTime.formatMicro(now)
        let seconds = Int(config.leaseDuration.components.seconds)
        do {
            let existing: Lease
            do {
                existing = try await client.get(Lease.self, namespace: config.namespace, name: config.name)
            } catch let error as KubeAPIError where error.isNotFound {
                let lease = Lease(metadata: ObjectMeta(name: config.name, namespace: config.namespace), spec: LeaseSpec(
                    holderIdentity: config.identity, leaseDurationSeconds: seconds, acquireTime: stamp, renewTime: stamp,
                    leaseTransitions: 0))
                let created = try await client.create(lease)
                observe(created.spec)
                lastRenewal = .now
                return true
            }
            let record = existing.spec ?? LeaseSpec()
            if record != observedRecord { observe(record) }
            let holder = record.holderIdentity ?? ""
            let held = !holder.isEmpty && holder != config.identity
            let duration = Duration.seconds(record.leaseDurationSeconds ?? seconds)
            if held, ContinuousClock.now - observedAt < duration { return false }

            var lease = existing
            var spec = record
            if holder != config.identity {
                spec.acquireTime = stamp
                spec.leaseTransitions = (record.leaseTransitions ?? 0) + (holder.isEmpty && record.leaseTransitions == nil ? 0 : 1)
            }
            spec.holderIdentity = config.identity
            spec.leaseDurationSeconds = seconds
            spec.renewTime = stamp
            lease.spec = spec
            let updated = try await client.update(lease)
            observe(updated.spec)
            lastRenewal = .now
            return true
        } catch {
            logger.debug("lease attempt failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    private func observe(_ record: LeaseSpec?) {
        observedRecord = record
        observedAt = .now
    }
}
