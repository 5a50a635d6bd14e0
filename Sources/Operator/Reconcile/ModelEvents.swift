import Controller
import KubeClient
import ModelAPI

/// The Events a reconcile emits, derived from how the status changed: one per transition, so
/// `kubectl describe` tells the story without repeating it on every resync.
enum ModelEvents {
    struct Pending {
        var type: EventRecorder.EventType
        var reason: String
        var message: String
    }

    static func transitions(from old: InferenceModelStatus?, to new: InferenceModelStatus) -> [Pending] {
        var events: [Pending] = []
        func changed(_ type: ModelConditionType) -> ModelCondition? {
            guard let condition = new.condition(type) else { return nil }
            let previous = old?.condition(type)
            return previous?.status != condition.status || previous?.reason != condition.reason
                || (condition.status == .false && previous?.message != condition.message) ? condition : nil
        }
        if let verified = changed(.verified) {
            if verified.status == .false {
                events.append(Pending(type: .warning, reason: verified.reason.rawValue, message: verified.message))
            } else if verified.status == .true, verified.reason == .checksumMatched {
                events.append(Pending(type: .normal, reason: "Verified", message: verified.message))
            }
        }
        if let scheduled = changed(.scheduled), scheduled.status == .false {
            events.append(Pending(type: .warning, reason: scheduled.reason.rawValue, message: scheduled.message))
        }
        if let ready = changed(.ready) {
            if ready.status == .true {
                events.append(Pending(type: .normal, reason: "Serving", message: ready.message))
            } else if ready.reason == .invalidSpec || ready.reason == .versionNotFound {
                events.append(Pending(type: .warning, reason: ready.reason.rawValue, message: ready.message))
            }
        }
        if let progressing = changed(.progressing), progressing.status == .true {
            events.append(Pending(type: .normal, reason: "RollingOut", message: progressing.message))
        }
        if let serving = new.servingVersion, serving != old?.servingVersion {
            events.append(Pending(type: .normal, reason: "ServingVersionChanged",
                                  message: "now serving version \(serving)"
                                      + (old?.servingVersion.map { " (was \($0))" } ?? "")))
        }
        return events
    }
}
