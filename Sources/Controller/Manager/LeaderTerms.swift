import Logging
import ServiceLifecycle

/// The leader-only part of a manager: campaigns for the Lease (when elected), then runs the
/// services of one term (built anew for each term: the controllers and whatever writes) in a
/// `ServiceGroup` of their own, while renewing the Lease. Losing the Lease cancels the term at
/// once and campaigns again, with the caches still warm; graceful shutdown drains the term,
/// then releases the Lease.
struct LeaderTerms: LifecycleService, CustomStringConvertible {
    let elector: LeaderElector?
    let waitForCaches: @Sendable () async throws -> Void
    let buildTerm: @Sendable () async throws -> [any LifecycleService]
    let terms: TermCounter
    let logger: Logger

    var description: String { elector == nil ? "leader-only services" : "leader election" }

    private enum TermEnd: Sendable {
        case ended
        case lostLeadership
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if let elector {
                do {
                    try await cancelWhenGracefulShutdown { try await elector.acquire() }
                } catch is CancellationError {
                    return
                }
                if Task.isShuttingDownGracefully {
                    await release(elector)
                    return
                }
            }
            let end: TermEnd
            do {
                end = try await runTerm()
            } catch {
                if let elector { await release(elector) }
                throw error
            }
            switch end {
            case .lostLeadership:
                logger.warning("leader-only services stopped; campaigning again with warm caches")
                continue
            case .ended:
                if let elector { await release(elector) }
                return
            }
        }
    }

    /// One term: the leader-only services, and (when elected) the renewal that ends it when lost.
    private func runTerm() async throws -> TermEnd {
        // Caches that never sync (a missing CRD, no RBAC) must not hold up a shutdown.
        let waitForCaches = self.waitForCaches
        do {
            try await cancelWhenGracefulShutdown { try await waitForCaches() }
        } catch is CancellationError {
            return .ended
        }
        if Task.isShuttingDownGracefully || Task.isCancelled { return .ended }
        let services = try await buildTerm()
        await terms.began()
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .cancelGroup)
            },
            logger: logger))
        let elector = self.elector
        do {
            let end = try await runGroup(group, elector: elector)
            await terms.ended()
            return end
        } catch {
            await terms.ended()
            throw error
        }
    }

    private func runGroup(_ group: ServiceGroup, elector: LeaderElector?) async throws -> TermEnd {
        try await withThrowingTaskGroup(of: TermEnd.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .ended
            }
            if let elector {
                tasks.addTask {
                    await elector.holdLeadership()
                    return Task.isCancelled ? .ended : .lostLeadership
                }
            }
            let first = try await tasks.next() ?? .ended
            tasks.cancelAll()
            if first == .lostLeadership {
                // The term was cancelled at once; how its services ended does not matter now.
                while (try? await tasks.next()) != nil {}
            }
            return first
        }
    }

    /// Gives the Lease up in a task of its own, so a cancelled caller still releases it.
    private func release(_ elector: LeaderElector) async {
        await Task { await elector.release() }.value
    }
}

/// How many leader terms began and ended (for the manager's state and tests).
public actor TermCounter {
    public private(set) var started = 0
    public private(set) var finished = 0
    public var isLeading: Bool { started > finished }

    public init() {}

    func began() { started += 1 }
    func ended() { finished += 1 }
}
