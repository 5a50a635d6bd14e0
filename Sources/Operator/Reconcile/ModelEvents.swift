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
        // Failures, each with its reason; success along the way (verified, rolling out) is
        // routine and only the status says it, so a model costs one Event from apply to Ready.
        if let verified = changed(.verified), verified.status == .false {
            events.append(Pending(type: .warning, reason: verified.reason.rawValue, message: verified.message))
        }
        if let scheduled = changed(.scheduled), scheduled.status == .false {
            events.append(Pending(type: .warning, reason: scheduled.reason.rawValue, message: scheduled.message))
        }
        if let progressing = changed(.progressing), progressing.status == .false,
           progressing.reason != .serving, progressing.reason != .waiting {
            events.append(Pending(type: .warning, reason: progressing.reason.rawValue, message: progressing.message))
        }
        let ready = changed(.ready)
        if let ready, ready.status == .false, [ModelConditionReason.invalidSpec, .versionNotFound, .notOwned].contains(ready.reason) {
            events.append(Pending(type: .warning, reason: ready.reason.rawValue, message: ready.message))
        }
        // Serving: the first version, a new version, or serving again after an outage.
        if let serving = new.servingVersion, let before = old?.servingVersion, serving != before {
            events.append(Pending(type: .normal, reason: "ServingVersionChanged",
                                  message: "now serving version \(serving) (was \(before))"))
        } else if let ready, ready.status == .true {
            events.append(Pending(type: .normal, reason: "Serving", message: ready.message))
        }
        return events
    }
}
