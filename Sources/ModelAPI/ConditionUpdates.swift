import Foundation
import KubeModel

extension Array where Element == ModelCondition {
    /// The condition of `type`, if present.
    public func condition(_ type: ModelConditionType) -> ModelCondition? {
        first { $0.type == type }
    }

    /// Whether the condition of `type` is present and True.
    public func isTrue(_ type: ModelConditionType) -> Bool {
        condition(type)?.isTrue ?? false
    }

    /// Sets the condition of `type`, adding it when absent.
    ///
    /// `lastTransitionTime` moves to `now` only when the status changes (or the condition is
    /// new); a new reason, message or generation with the same status keeps the old time, as
    /// Kubernetes' `meta.SetStatusCondition` does. Returns whether anything changed, so that
    /// an unchanged status makes no write. The message is bounded and stripped of control
    /// characters (`DisplayText`): parts of it may come from a user's spec.
    @discardableResult
    public mutating func set(
        _ type: ModelConditionType, status: ModelCondition.Status, reason: ModelConditionReason,
        message: String, observedGeneration: Int64? = nil, now: Date
    ) -> Bool {
        let message = DisplayText.bounded(message)
        guard let index = firstIndex(where: { $0.type == type }) else {
            append(ModelCondition(type: type, status: status, reason: reason, message: message,
                                  lastTransitionTime: now, observedGeneration: observedGeneration))
            return true
        }
        var updated = self[index]
        if updated.status != status {
            updated.status = status
            updated.lastTransitionTime = TimeCoding.wholeSeconds(now)
        }
        updated.reason = reason
        updated.message = message
        updated.observedGeneration = observedGeneration
        guard updated != self[index] else { return false }
        self[index] = updated
        return true
    }

    /// Removes the condition of `type`; returns whether it was present.
    @discardableResult
    public mutating func remove(_ type: ModelConditionType) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}

extension InferenceModelStatus {
    /// The condition of `type`, if present.
    public func condition(_ type: ModelConditionType) -> ModelCondition? {
        conditions?.condition(type)
    }

    /// Sets a condition; `lastTransitionTime` moves only when its status changes. Returns
    /// whether the status changed. See `Array<ModelCondition>.set`.
    @discardableResult
    public mutating func setCondition(
        _ type: ModelConditionType, status: ModelCondition.Status, reason: ModelConditionReason,
        message: String, observedGeneration: Int64? = nil, now: Date
    ) -> Bool {
        var list = conditions ?? []
        let changed = list.set(type, status: status, reason: reason, message: message,
                               observedGeneration: observedGeneration, now: now)
        conditions = list
        return changed
    }
}
