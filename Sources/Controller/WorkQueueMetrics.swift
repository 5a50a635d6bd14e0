import Metrics

/// The work queue's metrics under the names operators already graph (client-go/controller-runtime):
/// `workqueue_depth`, `workqueue_adds_total`, `workqueue_queue_duration_seconds`,
/// `workqueue_work_duration_seconds`, `workqueue_retries_total`, each with a `name` label.
public struct WorkQueueMetrics: Sendable {
    let depth: Gauge
    let adds: Counter
    let queueDuration: Timer
    let workDuration: Timer
    let retries: Counter

    public init(name: String) {
        let dimensions = [("name", name)]
        depth = Gauge(label: "workqueue_depth", dimensions: dimensions)
        adds = Counter(label: "workqueue_adds_total", dimensions: dimensions)
        queueDuration = Timer(label: "workqueue_queue_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        workDuration = Timer(label: "workqueue_work_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        retries = Counter(label: "workqueue_retries_total", dimensions: dimensions)
    }
}
