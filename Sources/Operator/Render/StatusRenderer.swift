import Foundation
import KubeClient
import ModelAPI

/// What the status is computed from: the model, what the gates said, and what the cluster holds.
public struct StatusInputs: Sendable {
    public var model: InferenceModel
    /// Validation errors; any error means the spec is not acted on.
    public var errors: [ValidationIssue]
    /// What the target is (nil when the spec is invalid).
    public var target: ServingChoice?
    public var verification: VerificationState
    public var scheduling: SchedulingState
    /// The model's Deployments as the cluster holds them.
    public var deployments: [Deployment]
    public var service: Service?
    /// Verified-digest records to keep in status.
    public var verified: [VerifiedDigest]
    /// Serving pods whose model fetch failed on their node.
    public var fetchFailures: [FetchFailure]
    public var now: Date

    public init(model: InferenceModel, errors: [ValidationIssue], target: ServingChoice?,
                verification: VerificationState, scheduling: SchedulingState, deployments: [Deployment],
                service: Service?, verified: [VerifiedDigest], fetchFailures: [FetchFailure] = [], now: Date) {
        self.model = model
        self.errors = errors
        self.target = target
        self.verification = verification
        self.scheduling = scheduling
        self.deployments = deployments
        self.service = service
        self.verified = verified
        self.fetchFailures = fetchFailures
        self.now = now
    }
}

/// Computes an InferenceModel's status (pure). `servingVersion` moves only when every
/// Deployment serves the same version and has finished rolling it out.
public enum StatusRenderer {
    public static func render(_ inputs: StatusInputs) -> InferenceModelStatus {
        var status = renderUnbounded(inputs)
        // Parts of the message come from the spec: bounded like condition messages.
        status.message = status.message.map { DisplayText.bounded($0) }
        return status
    }

    private static func renderUnbounded(_ inputs: StatusInputs) -> InferenceModelStatus {
        let model = inputs.model
        let generation = model.metadata.generation
        var status = model.status ?? InferenceModelStatus()
        status.observedGeneration = generation
        status.selector = ModelLabels.selectorString(for: model)
        if let service = inputs.service { status.url = ServiceRenderer.url(for: service, port: model.spec.servingPort) }
        status.verified = inputs.verified.isEmpty ? nil : inputs.verified.sorted { $0.version < $1.version }

        let rollout = RolloutSummary(inputs.deployments)
        status.replicas = rollout.replicas
        status.readyReplicas = rollout.available
        if let version = rollout.completedVersion { status.servingVersion = version }

        func set(_ type: ModelConditionType, _ value: ModelCondition.Status, _ reason: ModelConditionReason, _ message: String) {
            status.setCondition(type, status: value, reason: reason, message: message,
                                observedGeneration: generation, now: inputs.now)
        }

        if let error = inputs.errors.first {
            let message = inputs.errors.map(\.message).joined(separator: "; ")
            set(.ready, .false, error.reason, message + servingNote(status))
            status.message = message
            return status
        }

        switch inputs.verification {
        case .notNeeded: set(.verified, .true, .imageBased, "the model is served from its image; there is no archive to verify")
        case .verified(let record):
            set(.verified, .true, .checksumMatched, "version \(record.version): sha256 \(record.sha256) matched")
        case .inProgress(let version):
            set(.verified, .unknown, .verifying, "downloading and verifying version \(version)")
        case .failed(let reason, let message): set(.verified, .false, reason, message)
        }
        switch inputs.scheduling {
        case .byScheduler:
            status.placements = nil
            set(.scheduled, .true, .placed, "replicas are placed by kube-scheduler within the \(model.spec.deployToLayer) layer")
        case .placed(let placements):
            status.placements = placements.sorted { ($0.node, $0.gpu?.index ?? -1) < ($1.node, $1.gpu?.index ?? -1) }
            let summary = status.placements?.map { "\($0.replicas) on \($0.node)" + ($0.gpu.map { " (GPU \($0.index))" } ?? "") }
            set(.scheduled, .true, .placed, "placed " + (summary?.joined(separator: ", ") ?? ""))
        case .partiallyPlaced(let placements, let reason):
            status.placements = placements.sorted { ($0.node, $0.gpu?.index ?? -1) < ($1.node, $1.gpu?.index ?? -1) }
            set(.scheduled, .false, .unschedulable, reason)
        case .pending: set(.scheduled, .unknown, .pending, "waiting for the next placement batch")
        case .unplaceable(let reason): set(.scheduled, .false, .unschedulable, reason)
        }

        let desired = model.spec.effectiveReplicas
        if desired == 0 {
            set(.available, .false, .scaledToZero, "spec.replicas is 0; nothing is meant to serve")
        } else if rollout.available > 0 {
            set(.available, .true, .minimumReplicasAvailable, "\(rollout.available) of \(desired) replicas available")
        } else {
            set(.available, .false, .noReplicasAvailable, "no replica is available yet")
        }
        let targetLabel = inputs.target?.versionLabel
        let rolledOut = rollout.complete && targetLabel != nil && rollout.templateVersions == [targetLabel ?? ""]
            && rollout.desired == desired
        if rolledOut {
            set(.progressing, .false, .serving, "version \(targetLabel ?? "") is rolled out")
        } else if let stalled = rollout.stalledMessage {
            set(.progressing, .false, .rolloutFailed, stalled)
        } else {
            set(.progressing, .true, .rollingOut, rolloutMessage(target: targetLabel, status: status))
        }

        let failure = firstFailure(status)
        let fetch = rolledOut ? nil : inputs.fetchFailures.first
        if failure?.type != .progressing || fetch == nil, let failure {
            set(.ready, .false, failure.reason, failure.message + servingNote(status))
            status.message = failure.message
        } else if let fetch {
            // A pod's own fetch failure explains a stalled rollout better than the deadline does.
            let others = inputs.fetchFailures.count > 1 ? " (and \(inputs.fetchFailures.count - 1) more pods)" : ""
            set(.ready, .false, fetch.reason, fetch.summary + others + servingNote(status))
            status.message = fetch.summary + others
        } else if rolledOut {
            set(.ready, .true, .serving, "version \(targetLabel ?? "") serves on \(rollout.available) of \(desired) replicas")
            status.message = nil
        } else {
            set(.ready, .false, .rollingOut, rolloutMessage(target: targetLabel, status: status))
            status.message = nil
        }
        return status
    }

    /// The first condition that failed, in the order a person should fix things.
    private static func firstFailure(_ status: InferenceModelStatus) -> ModelCondition? {
        for type in [ModelConditionType.verified, .scheduled] {
            if let condition = status.condition(type), condition.status == .false { return condition }
        }
        if let progressing = status.condition(.progressing), progressing.reason == .rolloutFailed { return progressing }
        return nil
    }

    private static func rolloutMessage(target: String?, status: InferenceModelStatus) -> String {
        guard let target else { return "waiting for a version to serve" }
        if let serving = status.servingVersion, serving != target {
            return "rolling out version \(target); version \(serving) keeps serving until it is available"
        }
        return "rolling out version \(target)"
    }

    private static func servingNote(_ status: InferenceModelStatus) -> String {
        status.servingVersion.map { "; version \($0) keeps serving" } ?? ""
    }
}
