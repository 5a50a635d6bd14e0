import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Testing
@testable import Controller

#if canImport(Glibc)
import Glibc  // kill, getpid
#endif

/// The Manager: ordered start, graceful shutdown within the grace period, leader-only terms,
/// warm caches on a standby, and nothing left running afterwards. Serialized: one test sends
/// the process a SIGTERM, which every manager that handles signals would take.
@Suite(.serialized) struct ManagerTests {
    /// Runs the manager in a task the test owns (cancelled if the body throws) and returns the
    /// outcome of `run()` after `body`.
    private func running(_ manager: Manager, _ body: () async throws -> Void) async throws -> Result<Void, Error> {
        let task = Task { try await manager.run() }
        do {
            try await body()
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
        return await task.result
    }

    @Test("informers run at once; the leader term is built only after every cache synced; shutdown runs in reverse order and leaves nothing running")
    func orderedStartAndReverseShutdown() async throws {
        let log = EventLog()
        let models = FakeInformer("models", log: log)
        let pods = FakeInformer("pods", log: log)
        let endpoint = try await HTTPEndpointServer(host: "127.0.0.1", port: 0, routes: [:], logger: .init(label: "test"))
        #expect(endpoint.isListening)
        var options = ManagerOptions.inProcess
        options.gracefulShutdownTimeout = .seconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        await manager.add(endpoint: endpoint)
        await manager.add(informer: models)
        await manager.add(informer: pods)
        await manager.add(informer: models)
        await manager.addService(RecordingService(name: "view", log: log))
        await manager.whileLeading {
            await log.record("term built")
            return [RecordingService(name: "gate", log: log), RecordingService(name: "controller", log: log)]
        }
        let outcome = try await running(manager) {
            #expect(await becomesTrue {
                let modelsRunning = await models.isRunning
                let podsRunning = await pods.isRunning
                return modelsRunning && podsRunning
            })
            #expect(await log.count(of: "informer models running") == 1, "an informer added twice runs once")
            #expect(await manager.health.readyz().status == 500)
            await models.markSynced()
            try await Task.sleep(for: .milliseconds(100))
            #expect(await !log.contains("term built"), "the term started before every cache synced")
            await pods.markSynced()
            #expect(await becomesTrue { await log.contains("controller started") })
            #expect(await manager.health.readyz().status == 200)
            #expect(await manager.terms.isLeading)
            await manager.shutDown()
        }
        try outcome.get()
        let entries = await log.entries
        func position(_ entry: String) -> Int { entries.firstIndex(of: entry) ?? -1 }
        // Reverse order: the controller drains first, then what it used, then the caches.
        #expect(position("controller drained") >= 0)
        #expect(position("controller drained") < position("gate drained"))
        #expect(position("gate drained") < position("view drained"))
        #expect(position("view drained") < position("informer models stopped"))
        #expect(position("view drained") < position("informer pods stopped"))
        // Nothing outlives `run()`: every service ended, no informer runs, the endpoint is closed.
        #expect(await !models.isRunning)
        #expect(await !pods.isRunning)
        #expect(await !manager.terms.isLeading)
        #expect(!endpoint.isListening)
    }

    @Test("graceful shutdown drains an in-flight reconcile within the grace period, and the queue's timer ends")
    func shutdownDrainsInFlightWork() async throws {
        let log = EventLog()
        var options = ManagerOptions.inProcess
        options.gracefulShutdownTimeout = .seconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        let queue = WorkQueue<ObjectKey>()
        await manager.whileLeading {
            [ControllerDeclaration(name: "test", queue: queue, reconciler: SlowReconciler(duration: .milliseconds(300), log: log),
                                   workers: 2, logger: .init(label: "test"))]
        }
        let started = ContinuousClock.now
        let outcome = try await running(manager) {
            await queue.add(ObjectKey(namespace: "ns", name: "slow"))
            await queue.add(ObjectKey(namespace: "ns", name: "later"), after: .seconds(3600))
            #expect(await becomesTrue { await log.contains("reconcile slow started") })
            await manager.shutDown()
        }
        try outcome.get()
        #expect(await log.contains("reconcile slow finished"), "the in-flight reconcile was not drained")
        #expect(ContinuousClock.now - started < .seconds(120), "the shutdown waited for the grace period")
        #expect(await !queue.hasTimer)
        #expect(await queue.delayedCount == 0)
        #expect(await queue.inFlight == 0)
    }

    @Test("a reconcile still running when the grace period ends is cancelled and run() fails")
    func expiredGracePeriodFails() async throws {
        let log = EventLog()
        var options = ManagerOptions.inProcess
        options.gracefulShutdownTimeout = .milliseconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        let queue = WorkQueue<ObjectKey>()
        await manager.whileLeading {
            [ControllerDeclaration(name: "test", queue: queue, reconciler: SlowReconciler(duration: .seconds(3600), log: log),
                                   workers: 1, logger: .init(label: "test"))]
        }
        let outcome = try await running(manager) {
            await queue.add(ObjectKey(namespace: "ns", name: "stuck"))
            #expect(await becomesTrue { await log.contains("reconcile stuck started") })
            await manager.shutDown()
        }
        #expect(throws: GracePeriodExpired.self) { try outcome.get() }
        #expect(await !log.contains("reconcile stuck finished"))
    }

    @Test("SIGTERM shuts the manager down gracefully")
    func sigtermShutsDown() async throws {
        let log = EventLog()
        var options = ManagerOptions()
        options.gracefulShutdownTimeout = .seconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        let informer = FakeInformer("models", log: log)
        await informer.markSynced()
        await manager.add(informer: informer)
        await manager.whileLeading { [RecordingService(name: "controller", log: log)] }
        let outcome = try await running(manager) {
            // The service group traps the signals before it starts any service.
            #expect(await becomesTrue { await log.contains("controller started") })
            kill(getpid(), SIGTERM)
            #expect(await becomesTrue { await log.contains("controller drained") })
        }
        try outcome.get()
        #expect(await log.contains("informer models stopped"))
    }

    @Test("caches that never sync (a missing CRD) do not hold up a shutdown: run() ends at once, without error")
    func shutdownWhileCachesNeverSync() async throws {
        let log = EventLog()
        var options = ManagerOptions.inProcess
        options.gracefulShutdownTimeout = .seconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        let informer = FakeInformer("models", log: log)
        await manager.add(informer: informer)
        await manager.whileLeading {
            await log.record("term built")
            return []
        }
        let started = ContinuousClock.now
        let outcome = try await running(manager) {
            #expect(await becomesTrue { await informer.isRunning })
            await manager.shutDown()
        }
        try outcome.get()
        #expect(ContinuousClock.now - started < .seconds(120), "the shutdown waited for the grace period")
        #expect(await !log.contains("term built"))
    }

    @Test("a second SIGTERM cancels at once what the first asked to drain; run() fails")
    func secondSignalCancelsAtOnce() async throws {
        let log = EventLog()
        var options = ManagerOptions()
        options.gracefulShutdownTimeout = .seconds(300)
        let manager = Manager(client: silentClient(), options: options, logger: .init(label: "test"))
        await manager.whileLeading { [IgnoresGracefulShutdown(log: log)] }
        let started = ContinuousClock.now
        let outcome = try await running(manager) {
            #expect(await becomesTrue { await log.contains("stubborn started") })
            kill(getpid(), SIGTERM)
            try await Task.sleep(for: .milliseconds(200))
            #expect(await !log.contains("stubborn cancelled"), "one signal cancelled instead of draining")
            kill(getpid(), SIGTERM)
            #expect(await becomesTrue { await log.contains("stubborn cancelled") })
        }
        #expect(throws: SecondSignalError.self) { try outcome.get() }
        #expect(ContinuousClock.now - started < .seconds(120), "the second signal waited for the grace period")
    }

    @Test("the leader-only term starts on election and stops at once on lost leadership while the caches keep running; then it campaigns again")
    func lostLeadershipStopsOnlyTheTerm() async throws {
        let cluster = try await LocalCluster.start()
        do {
            try await lostLeadership(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func lostLeadership(_ cluster: LocalCluster) async throws {
        let client = RESTClient(transport: KubeHTTPTransport(config: ClusterConfig(server: cluster.baseURL.absoluteString)))
        let log = EventLog()
        let election = LeaderElectionConfig(namespace: "default", name: "manager-test", identity: "me",
                                            leaseDuration: .seconds(5), renewDeadline: .seconds(4),
                                            retryPeriod: .milliseconds(200))
        let manager = Manager(client: client, options: ManagerOptions(leaderElection: election, handlesSignals: false),
                              logger: .init(label: "test"))
        let informer = FakeInformer("models", log: log)
        await informer.markSynced()
        await manager.add(informer: informer)
        await manager.whileLeading { [RecordingService(name: "controller", log: log)] }
        let outcome = try await running(manager) {
            #expect(await becomesTrue { await log.contains("controller started") })
            #expect(try await client.get(Lease.self, namespace: "default", name: "manager-test").spec?.holderIdentity == "me")

            // Another replica takes the lease (as after a renewal that came too late). The leader
            // renews every 200 ms, so the thief's read can be stale: it tries again, as a real
            // candidate does, until its update lands.
            var stolen = false
            for _ in 0..<50 where !stolen {
                var lease = try await client.get(Lease.self, namespace: "default", name: "manager-test")
                lease.spec?.holderIdentity = "thief"
                lease.spec?.leaseDurationSeconds = 1
                lease.spec?.renewTime = KubeTime.formatMicro(Date())
                do {
                    _ = try await client.update(lease)
                    stolen = true
                } catch let error as KubeAPIError where error.isConflict {
                    continue
                }
            }
            #expect(stolen, "the lease could not be taken over")

            #expect(await becomesTrue { await log.contains("controller cancelled") })
            #expect(await informer.isRunning, "the cache stopped with the leader term")
            #expect(await !log.contains("controller drained"))
            // The thief never renews: after its lease duration this replica leads again, caches warm.
            #expect(await becomesTrue { await log.count(of: "controller started") == 2 })
            #expect(await manager.terms.started == 2)
            #expect(await log.count(of: "informer models running") == 1)
            await manager.shutDown()
        }
        try outcome.get()
        #expect(await log.contains("controller drained"))
        // Released on shutdown: the next candidate need not wait for the lease to expire.
        #expect(try await client.get(Lease.self, namespace: "default", name: "manager-test").spec?.holderIdentity == "")
    }
}
