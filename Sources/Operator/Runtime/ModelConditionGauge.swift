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
        models.reduce(into: noCounts(conditions)) { tally($1, into: &$0, conditions: conditions) }
    }

    /// Every condition's statuses at zero.
    static func noCounts(_ conditions: [ModelConditionType]) -> [ModelConditionType: [ModelCondition.Status: Int]] {
        Dictionary(uniqueKeysWithValues: conditions.map { ($0, [.true: 0, .false: 0, .unknown: 0]) })
    }

    /// Counts one model's conditions.
    static func tally(_ model: InferenceModel, into counts: inout [ModelConditionType: [ModelCondition.Status: Int]],
                      conditions: [ModelConditionType]) {
        for condition in conditions {
            let status = model.status?.condition(condition)?.status ?? .unknown
            counts[condition, default: [:]][status, default: 0] += 1
        }
    }

    /// Records the counts of these models.
    func record(_ models: [InferenceModel]) {
        record(counts: Self.counts(models, conditions: Array(gauges.keys)))
    }

    private func record(counts: [ModelConditionType: [ModelCondition.Status: Int]]) {
        for (condition, byStatus) in counts {
            for (status, count) in byStatus { gauges[condition]?[status]?.record(count) }
        }
    }

    /// Recomputes the gauge from the informer's cache every `interval` until cancelled, counting
    /// in place (no copy or sort of the models).
    func run(models: Informer<InferenceModel>, interval: Duration) async {
        let conditions = Array(gauges.keys)
        while !Task.isCancelled {
            record(counts: await models.reduce(into: Self.noCounts(conditions)) {
                Self.tally($1, into: &$0, conditions: conditions)
            })
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
