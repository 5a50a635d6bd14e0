import KubeModel
import Logging
import TestSupport
import Testing
@testable import Controller

@Suite struct ControllerLoopTests {
    @Test func failuresRetryWithBackoffThenSuccessForgets() async throws {
        let queue = WorkQueue<ObjectKey>(backoff: Backoff(initial: .milliseconds(1), cap: .milliseconds(20)))
        let reconciler = FlakyReconciler(failuresBeforeSuccess: 3)
        let loop = ControllerLoop(name: "test", queue: queue, reconciler: reconciler, workers: 2,
                                  logger: Logger(label: "test"))
        let running = Task { await loop.run() }
        let key = ObjectKey(namespace: "default", name: "model")
        await queue.add(key)
        // On a timeout the issue is recorded and the loop still shut down below.
        await #expect(throws: Never.self) {
            // A generous bound: on two cores the full suite can keep this test's tasks off the
            // shared pool for tens of seconds; what is checked is the count, not the time.
            try await eventually("4 reconciles of the key", timeout: .seconds(120), every: .milliseconds(10)) {
                await reconciler.calls(key) == 4
            }
        }
        #expect(await queue.failureCount(key) == 0)
        await queue.shutDown()
        await running.value
        #expect(await reconciler.calls(key) == 4)
    }

    @Test func requeueAfterRunsAgain() async throws {
        let queue = WorkQueue<ObjectKey>()
        let reconciler = PollingReconciler(passes: 3)
        let loop = ControllerLoop(name: "poll", queue: queue, reconciler: reconciler, workers: 1,
                                  logger: Logger(label: "test"))
        let running = Task { await loop.run() }
        await queue.add(ObjectKey("ns/a"))
        await #expect(throws: Never.self) {
            try await eventually("3 passes of the reconciler", timeout: .seconds(120), every: .milliseconds(10)) {
                await reconciler.count == 3
            }
        }
        await queue.shutDown()
        await running.value
    }
}

/// Fails a number of times per key, then succeeds.
actor FlakyReconciler: Reconciler {
    private let failuresBeforeSuccess: Int
    private var counts: [ObjectKey: Int] = [:]

    init(failuresBeforeSuccess: Int) { self.failuresBeforeSuccess = failuresBeforeSuccess }

    func calls(_ key: ObjectKey) -> Int { counts[key] ?? 0 }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        counts[key, default: 0] += 1
        if counts[key, default: 0] <= failuresBeforeSuccess { throw TestFailure.transient }
        return .done
    }
}

/// Asks to be requeued until it has run `passes` times.
actor PollingReconciler: Reconciler {
    private let passes: Int
    private(set) var count = 0

    init(passes: Int) { self.passes = passes }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        count += 1
        return count < passes ? ReconcileResult(requeueAfter: .milliseconds(5)) : .done
    }
}

enum TestFailure: Error { case transient }
