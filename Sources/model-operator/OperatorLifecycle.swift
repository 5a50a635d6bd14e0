import Controller
import Foundation
import Logging
import Operator

/// Runs the operator through its life: wait for leadership (when elected), reconcile, and stop on
/// SIGTERM (drain in-flight reconciles within the grace period, release the lease) or on lost
/// leadership (stop reconciling at once and exit non-zero so the pod restarts clean). A second
/// signal exits at once.
struct OperatorLifecycle {
    enum Outcome: Equatable {
        case stopped, drained, lostLeadership, failed
    }

    let runtime: OperatorRuntime
    let elector: LeaderElector?
    let grace: Duration
    let logger: Logger

    func run() async -> Outcome {
        let signals = ShutdownSignals.stream()
        return await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    if let elector {
                        try await elector.acquire()
                        // Reconcile while leading; losing the lease ends reconciling at once.
                        return await withTaskGroup(of: Outcome.self) { inner in
                            inner.addTask {
                                try? await runtime.run()
                                return .stopped
                            }
                            inner.addTask {
                                await elector.holdLeadership()
                                return Task.isCancelled ? .stopped : .lostLeadership
                            }
                            let first = await inner.next() ?? .failed
                            if first == .lostLeadership {
                                await runtime.stop()
                                exit(1)
                            }
                            inner.cancelAll()
                            return first
                        }
                    }
                    try await runtime.run()
                    return .stopped
                } catch is CancellationError {
                    return .stopped
                } catch {
                    logger.critical("operator failed", metadata: ["error": "\(error)"])
                    return .failed
                }
            }
            group.addTask {
                var iterator = signals.makeAsyncIterator()
                guard let first = await iterator.next() else { return .stopped }
                logger.info("signal received; draining in-flight reconciles", metadata: [
                    "signal": "\(first)", "grace": "\(grace)",
                ])
                Task {
                    if await iterator.next() != nil {
                        logger.warning("second signal; exiting at once")
                        exit(1)
                    }
                }
                await runtime.stop()
                let drained = await withTaskGroup(of: Bool.self) { waiter in
                    waiter.addTask {
                        await runtime.queue.waitUntilIdle()
                        return true
                    }
                    waiter.addTask {
                        try? await Task.sleep(for: grace)
                        return false
                    }
                    let result = await waiter.next() ?? false
                    waiter.cancelAll()
                    return result
                }
                await elector?.release()
                if !drained {
                    logger.error("in-flight reconciles did not finish within the grace period; exiting")
                    exit(1)
                }
                return .drained
            }
            // The operator task ends first only on failure (or after a signal stopped it); the
            // signal task ends once it drained. Either way, wait for the other, unless failed.
            let first = await group.next() ?? .failed
            if first == .failed {
                group.cancelAll()
                return .failed
            }
            if first == .drained {
                // Shutdown finished; the operator task may still wait for leadership: end it.
                group.cancelAll()
            }
            // Wait for the other task; a failure after a signal is still a failure.
            return await group.next() == .failed ? .failed : .stopped
        }
    }
}
