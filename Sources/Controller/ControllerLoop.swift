import KubeClient
import KubeModel
import Logging
import Metrics

/// Runs a reconciler over a work queue with a number of concurrent workers: takes keys, calls
/// `reconcile`, and requeues by the result (success forgets the backoff, an error backs off per
/// item, `requeueAfter` schedules another pass). Knows nothing about the kind of object.
public struct ControllerLoop<R: Reconciler>: Sendable {
    public let name: String
    public let queue: WorkQueue<ObjectKey>
    public let reconciler: R
    public let workers: Int
    private let metrics: ReconcileMetrics
    private let logger: Logger

    public init(name: String, queue: WorkQueue<ObjectKey>, reconciler: R, workers: Int, logger: Logger) {
        self.name = name
        self.queue = queue
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.metrics = ReconcileMetrics(controller: name)
        self.logger = logger
    }

    /// Runs the workers until the queue is shut down; returns once every worker has finished its item.
    public func run() async {
        metrics.maxWorkers.record(workers)
        let active = ActiveWorkerCount(gauge: metrics.activeWorkers)
        await withDiscardingTaskGroup { group in
            for _ in 0..<workers {
                group.addTask {
                    while let key = await queue.next() {
                        await active.change(by: 1)
                        await process(key)
                        await active.change(by: -1)
                        await queue.done(key)
                    }
                }
            }
        }
    }

    private func process(_ key: ObjectKey) async {
        var log = logger
        log[metadataKey: "controller"] = "\(name)"
        log[metadataKey: "namespace"] = "\(key.namespace ?? "")"
        log[metadataKey: "name"] = "\(key.name)"
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await reconciler.reconcile(key)
            metrics.time.recordNanoseconds((clock.now - start).wholeNanoseconds)
            await queue.forget(key)
            if let delay = result.requeueAfter {
                metrics.requeueAfter.increment()
                await queue.add(key, after: delay)
                log.debug("reconciled; again later", metadata: ["after": "\(delay)"])
            } else {
                metrics.success.increment()
                log.debug("reconciled")
            }
        } catch {
            metrics.time.recordNanoseconds((clock.now - start).wholeNanoseconds)
            metrics.error.increment()
            metrics.errors.increment()
            let failures = await queue.failureCount(key) + 1
            if let apiError = error as? KubeAPIError, apiError.isConflict {
                // Optimistic concurrency at work: the object changed since the cache saw it.
                log.debug("object changed meanwhile; retrying", metadata: ["error": "\(error)"])
            } else {
                log.warning("reconcile failed; retrying with backoff",
                            metadata: ["error": "\(error)", "failures": "\(failures)"])
            }
            await queue.addRateLimited(key)
        }
    }
}

/// Counts workers busy reconciling, for `controller_runtime_active_workers`.
private actor ActiveWorkerCount {
    private var count = 0
    private let gauge: Gauge

    init(gauge: Gauge) { self.gauge = gauge }

    func change(by delta: Int) {
        count += delta
        gauge.record(count)
    }
}
