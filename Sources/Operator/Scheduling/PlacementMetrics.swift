import Metrics

/// Placement metrics: `model_operator_placement_decisions_total{result}` per model per batch,
/// `model_operator_unplaced_models` after each batch, `model_operator_placement_batch_seconds`.
struct PlacementMetrics: Sendable {
    let placed = Counter(label: "model_operator_placement_decisions_total", dimensions: [("result", "placed")])
    let unplaced = Counter(label: "model_operator_placement_decisions_total", dimensions: [("result", "unplaceable")])
    let unplacedModels = Gauge(label: "model_operator_unplaced_models")
    let batchTime = Timer(label: "model_operator_placement_batch_seconds", preferredDisplayUnit: .seconds)
}
