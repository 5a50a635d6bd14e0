import Controller
import Metrics
import ModelAPI

/// `model_operator_models{condition,status}`: how many InferenceModels have each condition
/// (`Ready`, `Verified`, `Scheduled`, `Available`, `Progressing`) in each status (`True`, `False`,
/// `Unknown`; a model without the condition yet counts as `Unknown`), recomputed from the
/// models informer's cache every interval.
struct ModelConditionGauge: Sendable {
    private let gauges: [ModelConditionType: [ModelCondition.Status: Gauge]]

    init(conditions: [ModelConditionType] = ModelConditionType.all) {
        var gauges: [ModelConditionType: [ModelCondition.Status: Gauge]] = [:]
        for condition in conditions {
            for status in [ModelCondition.Status.true, .false, .unknown] {
                gauges[condition, default: [:]][status] = Gauge(
                    label: "model_operator_models",
                    dimensions: [("condition", condition.rawValue), ("status", status.rawValue)])
            }
        }
        self.gauges = gauges
    }

    /// How many models have each condition in each status (every pair present, zeros included).
    static func counts(_ models: [InferenceModel], conditions: [ModelConditionType] = ModelConditionType.all)
        -> [ModelConditionType: [ModelCondition.Status: Int]]
    {
        var counts: [ModelConditionType: [ModelCondition.Status: Int]] = [:]
        for condition in conditions {
            counts[condition] = [.true: 0, .false: 0, .unknown: 0]
        }
        for model in models {
            for condition in conditions {
                let status = model.status?.condition(condition)?.status ?? .unknown
                counts[condition, default: [:]][status, default: 0] += 1
            }
        }
        return counts
    }

    /// Records the counts of these models.
    func record(_ models: [InferenceModel]) {
        for (condition, byStatus) in Self.counts(models, conditions: Array(gauges.keys)) {
            for (status, count) in byStatus { gauges[condition]?[status]?.record(count) }
        }
    }

    /// Recomputes the gauge from the informer's cache every `interval` until cancelled.
    func run(models: Informer<InferenceModel>, interval: Duration) async {
        while !Task.isCancelled {
            record(await models.list())
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
