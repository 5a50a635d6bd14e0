import Metrics

/// controller-runtime's reconcile metrics: `controller_runtime_reconcile_total{controller,result}`,
/// `controller_runtime_reconcile_errors_total{controller}`,
/// `controller_runtime_reconcile_time_seconds{controller}` and
/// `controller_runtime_active_workers{controller}`.
public struct ReconcileMetrics: Sendable {
    let success: Counter
    let requeueAfter: Counter
    let error: Counter
    let errors: Counter
    let time: Timer
    let activeWorkers: Gauge
    let maxWorkers: Gauge

    public init(controller: String) {
        func total(_ result: String) -> Counter {
            Counter(label: "controller_runtime_reconcile_total", dimensions: [("controller", controller), ("result", result)])
        }
        success = total("success")
        requeueAfter = total("requeue_after")
        error = total("error")
        errors = Counter(label: "controller_runtime_reconcile_errors_total", dimensions: [("controller", controller)])
        time = Timer(label: "controller_runtime_reconcile_time_seconds", dimensions: [("controller", controller)],
                     preferredDisplayUnit: .seconds)
        activeWorkers = Gauge(label: "controller_runtime_active_workers", dimensions: [("controller", controller)])
        maxWorkers = Gauge(label: "controller_runtime_max_concurrent_reconciles", dimensions: [("controller", controller)])
    }
}
