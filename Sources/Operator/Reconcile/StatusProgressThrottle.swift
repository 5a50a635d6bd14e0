import KubeModel
import ModelAPI

/// Spaces out status writes that only report progress (replica counts and the messages that
/// quote them, with every condition's status and reason unchanged): at most one per `interval`
/// per model, so a rollout does not cost a status write per pod, while every real change (a
/// condition flips, a new serving version, a failure) is written at once.
actor StatusProgressThrottle {
    let interval: Duration
    private var lastWrite: [ObjectKey: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// How long to hold back a write of `new` over `old`; nil to write now.
    func delay(writing new: InferenceModelStatus, over old: InferenceModelStatus?, for key: ObjectKey) -> Duration? {
        guard let old, new.differsOnlyInProgress(from: old), let last = lastWrite[key] else { return nil }
        let due = last + interval
        return clock.now < due ? due - clock.now : nil
    }

    func wrote(_ key: ObjectKey) {
        lastWrite[key] = clock.now
    }

    func forget(_ key: ObjectKey) {
        lastWrite[key] = nil
    }
}

extension InferenceModelStatus {
    /// Whether `self` and `other` differ only in replica counts and condition messages.
    func differsOnlyInProgress(from other: InferenceModelStatus) -> Bool {
        func skeleton(_ status: InferenceModelStatus) -> InferenceModelStatus {
            var status = status
            status.replicas = nil
            status.readyReplicas = nil
            status.conditions = status.conditions?.map { condition in
                var condition = condition
                condition.message = ""
                return condition
            }
            return status
        }
        return self != other && skeleton(self) == skeleton(other)
    }
}
