import ModelAPI

/// Where the target version stands at the verification gate.
public enum VerificationState: Sendable, Hashable {
    /// Image-based model: nothing to verify.
    case notNeeded
    /// The archive matched its sha256sum.
    case verified(VerifiedDigest)
    /// Download and verification are under way.
    case inProgress(version: String)
    /// The archive failed verification or could not be fetched; `message` says which and why.
    case failed(reason: ModelConditionReason, message: String)
}

/// Where the model's replicas stand with the placement core.
public enum SchedulingState: Sendable, Hashable {
    /// No GPU needed: kube-scheduler places the replicas within the rendered constraints.
    case byScheduler
    /// The placement core placed every replica.
    case placed([ModelPlacement])
    /// The placement core placed some replicas (deployed; they alone hold capacity); `reason`
    /// says how many and why the others found no place ("placed 4 of 7 replicas; ...").
    case partiallyPlaced([ModelPlacement], reason: String)
    /// Waiting for the next placement batch.
    case pending
    /// No feasible placement; `reason` says what is missing.
    case unplaceable(reason: String)
}
