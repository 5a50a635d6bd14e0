import Foundation
import KubeModel
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
    public var deployments: [CachedDeployment]
    public var service: CachedService?
    /// Verified-digest records to keep in status.
    public var verified: [VerifiedDigest]
    /// Serving pods whose model fetch failed on their node.
    public var fetchFailures: [FetchFailure]
    /// Where the serving pods keep the archive, and why; nil for image models (and left as it
    /// was when the spec is not acted on).
    public var archiveCache: ArchiveCacheStatus?
    public var now: Date

    public init(model: InferenceModel, errors: [ValidationIssue], target: ServingChoice?,
                verification: VerificationState, scheduling: SchedulingState, deployments: [CachedDeployment],
                service: CachedService?, verified: [VerifiedDigest], fetchFailures: [FetchFailure] = [],
                archiveCache: ArchiveCacheStatus? = nil, now: Date) {
        self.archiveCache = archiveCache
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
        if inputs.errors.isEmpty { status.archiveCache = inputs.archiveCache }

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
        case .notNeeded:
            // With both set, say which wins (DESIGN.md section 2: the image).
            let ignored = (model.spec.manifest ?? []).isEmpty ? ""
                : "; spec.manifest and spec.targetVersion are ignored while spec.image is set"
            set(.verified, .true, .imageBased, "the model is served from its image; there is no archive to verify" + ignored)
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
        let targetLabel = inputs.target?.versionLabel
        let rolledOut = rollout.complete && targetLabel != nil && rollout.templateVersions == [targetLabel ?? ""]
            && rollout.desired == desired
        // Only once something served: a URL before that would send clients to nothing.
        if status.servingVersion == nil { status.url = nil }

        if desired == 0 {
            set(.available, .false, .scaledToZero, "spec.replicas is 0; nothing is meant to serve")
        } else if rollout.available > 0 {
            set(.available, .true, .minimumReplicasAvailable, "\(rollout.available) of \(desired) replicas available")
        } else if let blocker = blocker(status) {
            set(.available, .false, .noReplicasAvailable, "no replica can start: \(blocker)")
        } else {
            set(.available, .false, .noReplicasAvailable, "no replica is available yet")
        }

        // Progressing says whether a rollout moves now; it is False when done, failed or blocked.
        if rolledOut {
            set(.progressing, .false, .serving, "version \(targetLabel ?? "") is rolled out")
        } else if let stalled = rollout.stalledMessage {
            set(.progressing, .false, .rolloutFailed, stalled)
        } else if let refused = rollout.replicaFailureMessage {
            set(.progressing, .false, .replicaFailure, refused)
        } else if let fetch = inputs.fetchFailures.first {
            // The new pods cannot fetch the model: the rollout does not move until that is fixed.
            let others = inputs.fetchFailures.count > 1 ? " (and \(inputs.fetchFailures.count - 1) more pods)" : ""
            set(.progressing, .false, fetch.reason, fetch.summary + others)
        } else if let blocker = blocker(status) {
            set(.progressing, .false, .waiting, "nothing rolls out: \(blocker)")
        } else if inputs.deployments.isEmpty {
            set(.progressing, .false, .waiting, "nothing rolls out yet: the Deployments are being created")
        } else {
            set(.progressing, .true, .rollingOut, rolloutMessage(target: targetLabel, status: status))
        }

        // Ready: the serving version serves at the requested capacity, also while the next one
        // rolls out or fails (Progressing and Verified say so); else why not.
        let fetch = rolledOut ? nil : inputs.fetchFailures.first
        let failure = firstFailure(status)
        let servesAtCapacity = desired > 0 && status.servingVersion != nil && rollout.available >= desired
        if servesAtCapacity {
            let version = status.servingVersion ?? ""
            var message = "version \(version) serves on \(rollout.available) of \(desired) replicas"
            if let failure {
                message += "; \(failure.message.trimmingTrailingPunctuation)"
            } else if let fetch {
                message += "; \(fetch.summary.trimmingTrailingPunctuation)"
            } else if !rolledOut, let target = targetLabel, target != version {
                message += "; rolling out version \(target)"
            }
            set(.ready, .true, .serving, message)
            status.message = failure?.message ?? fetch?.summary
        } else if desired == 0 {
            set(.ready, .false, .scaledToZero, "spec.replicas is 0; nothing serves until it is scaled up")
            status.message = nil
        } else if let failure, failure.type != .progressing || fetch == nil {
            set(.ready, .false, failure.reason, failure.message.trimmingTrailingPunctuation + servingNote(status))
            status.message = failure.message
        } else if let fetch {
            // A pod's own fetch failure explains a stalled rollout better than the deadline does.
            let others = inputs.fetchFailures.count > 1 ? " (and \(inputs.fetchFailures.count - 1) more pods)" : ""
            set(.ready, .false, fetch.reason, fetch.summary.trimmingTrailingPunctuation + others + servingNote(status))
            status.message = fetch.summary + others
        } else {
            set(.ready, .false, .rollingOut, rolloutMessage(target: targetLabel, status: status))
            status.message = nil
        }
        return status
    }

    /// What keeps the target from rolling out, when the gates hold it: verification or placement.
    private static func blocker(_ status: InferenceModelStatus) -> String? {
        for type in [ModelConditionType.verified, .scheduled] {
            guard let condition = status.condition(type), condition.status != .true else { continue }
            return condition.message.trimmingTrailingPunctuation
        }
        return nil
    }

    /// The first condition that failed, in the order a person should fix things.
    private static func firstFailure(_ status: InferenceModelStatus) -> ModelCondition? {
        for type in [ModelConditionType.verified, .scheduled] {
            if let condition = status.condition(type), condition.status == .false { return condition }
        }
        if let progressing = status.condition(.progressing), progressing.status == .false,
           progressing.reason != .serving, progressing.reason != .waiting { return progressing }
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

extension String {
    /// Without a final period or semicolon, so that joined messages never read ".;".
    var trimmingTrailingPunctuation: String {
        var text = Substring(self)
        while let last = text.last, last == "." || last == ";" || last == " " { text = text.dropLast() }
        return String(text)
    }
}
