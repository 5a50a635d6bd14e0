import Foundation
import KubeClient
import KubeModel
import ServiceLifecycle
@testable import Controller

/// What happened, in order, across services and informers.
actor EventLog {
    private(set) var entries: [String] = []

    func record(_ entry: String) { entries.append(entry) }

    func contains(_ entry: String) -> Bool { entries.contains(entry) }

    func count(of entry: String) -> Int { entries.filter { $0 == entry }.count }

    /// The position of the first entry equal to `entry`, or nil.
    func index(of entry: String) -> Int? { entries.firstIndex(of: entry) }
}

/// An informer whose sync the test decides; its watch runs until cancelled.
actor FakeInformer: ManagedInformer {
    nonisolated let gvr: GroupVersionResource
    private let log: EventLog
    private(set) var hasSynced = false
    private(set) var isRunning = false

    init(_ resource: String, log: EventLog) {
        gvr = GroupVersionResource(group: "test", version: "v1", resource: resource)
        self.log = log
    }

    func run() async {
        isRunning = true
        await log.record("informer \(gvr.resource) running")
        try? await Task.sleep(for: .seconds(3600))
        isRunning = false
        await log.record("informer \(gvr.resource) stopped")
    }

    func markSynced() { hasSynced = true }

    func waitForSync() async throws {
        while !hasSynced { try await Task.sleep(for: .milliseconds(5)) }
    }
}

/// A service that records when it started and how it ended: drained (graceful shutdown) or
/// cancelled.
struct RecordingService: LifecycleService {
    let name: String
    let log: EventLog

    func run() async throws {
        await log.record("\(name) started")
        do {
            try await gracefulShutdown()
            await log.record("\(name) drained")
        } catch {
            await log.record("\(name) cancelled")
        }
    }
}

/// A service that only stops when cancelled (as work stuck in a request would).
struct IgnoresGracefulShutdown: LifecycleService {
    let log: EventLog

    func run() async throws {
        await log.record("stubborn started")
        try? await Task.sleep(for: .seconds(3600))
        await log.record("stubborn cancelled")
    }
}

/// A reconciler whose reconciles take `duration` (cancellable), recording start and end.
struct SlowReconciler: Reconciler {
    let duration: Duration
    let log: EventLog

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        await log.record("reconcile \(key.name) started")
        try await Task.sleep(for: duration)
        await log.record("reconcile \(key.name) finished")
        return .done
    }
}

/// A client for tests that make no request.
func silentClient() -> RESTClient {
    RESTClient(transport: ScriptedServer { _ in .silence })
}

/// Polls `condition` every 10 ms until it holds; false after `timeout` (generous: the whole
/// test run shares two cores, and other suites can hold the cooperative pool for seconds).
func becomesTrue(_ timeout: Duration = .seconds(60), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
