import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI

/// Reconciles one InferenceModel: validates it, passes its target version through the
/// verification gate, asks for a placement when it needs a GPU, renders the desired objects
/// (pure), applies them idempotently, and writes the status through `/status` when it changed.
///
/// Nothing that serves is disturbed by bad input: an invalid spec or a version that fails
/// verification leaves the Deployments as they are and says why in the status and an Event.
public struct InferenceModelReconciler: Reconciler {
    /// What it reads: the informers' cache when running.
    public let caches: ModelCaches
    /// What it writes through, and reads from the server with when the cache cannot answer.
    public let client: any ClusterClient
    public let gate: VerificationGate
    public let scheduler: any ModelScheduling
    public let events: EventRecorder
    public let settings: OperatorSettings
    public let logger: Logger
    private let applier: ChildApplier
    private let ownership: ReplicaSetOwnership
    private let progressThrottle = StatusProgressThrottle()
    /// Told when a model's URL appears, changes or goes away.
    private let directory: ModelDirectory?

    public init(caches: ModelCaches, client: any ClusterClient, gate: VerificationGate, scheduler: any ModelScheduling,
                events: EventRecorder, settings: OperatorSettings,
                directory: ModelDirectory? = nil, logger: Logger) {
        self.directory = directory
        self.client = client
        self.caches = caches
        self.gate = gate
        self.scheduler = scheduler
        self.events = events
        self.settings = settings
        self.logger = logger
        self.applier = ChildApplier(client: client)
        self.ownership = ReplicaSetOwnership(reader: client)
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let model = try await caches.model(key), model.metadata.deletionTimestamp == nil else {
            await scheduler.forget(key)
            await gate.forget(key)
            await progressThrottle.forget(key)
            await directory?.namespaceChanged(key.namespace)
            return .done
        }
        let now = Date()
        let issues = InferenceModelValidator.validate(model) + settings.policyIssues(model.spec)
        let errors = issues.filter { $0.severity == .error }
        var deployments = try await caches.ownedDeployments(of: model)
        var service = try await caches.ownedService(of: model)
        var verified = liveRecords(of: model)

        guard errors.isEmpty else {
            await gate.forget(key)
            let status = StatusRenderer.render(StatusInputs(
                model: model, errors: errors, target: nil, verification: .notNeeded, scheduling: .byScheduler,
                deployments: deployments, service: service, verified: verified, now: now))
            return try await publish(status, for: model)
        }

        let target: ServingChoice
        let verification: VerificationState
        switch model.spec.source {
        case .image(let image):
            target = .image(image)
            verification = .notNeeded
            await gate.forget(key)
        case .manifest:
            let entry = try model.spec.resolveManifestEntry()
            target = .verifiedArchive(entry)
            verification = await gate.state(of: entry, for: key, records: verified,
                                            credentials: model.spec.archiveCredentials)
            if case .verified(let record) = verification, verified.record(for: entry) == nil { verified.append(record) }
        case .none:
            return .done  // Validation reports a spec with neither image nor manifest.
        }

        let choice = servingChoice(target: target, verification: verification, model: model, deployments: deployments)
        let scheduling = await scheduler.schedule(model, deployable: choice != nil)
        let cache = target.isImage ? nil
            : ArchiveStorage.cacheChoice(for: model, namespaceLabels: await caches.namespaceLabels(of: model))
        let storage = ArchiveStorage(cache: cache?.mode ?? .default, archiveBytes: choice.flatMap { choice in
            guard case .verifiedArchive(let file) = choice else { return nil }
            return verified.record(for: file)?.size
        })
        let desired = DesiredState.render(model: model, choice: choice, scheduling: scheduling, settings: settings,
                                          storage: storage)

        do {
            let (appliedService, serviceOutcome) = try await applier.apply(desired.service, existing: service, owner: model)
            service = appliedService
            await note(serviceOutcome, "Service", appliedService.metadata.name, model: model)
            if choice != nil, scheduling.isDecided {
                deployments = try await applyDeployments(desired.deployments, existing: deployments, model: model)
            }
        } catch let conflict as ChildConflict {
            // Someone else's object has the name: say so in status and an Event, and look again
            // later (the caches do not see objects that are not the operator's), without a busy loop.
            let issue = ValidationIssue(field: "metadata.name", message: conflict.message, reason: .notOwned)
            let status = StatusRenderer.render(StatusInputs(
                model: model, errors: [issue], target: nil, verification: .notNeeded, scheduling: .byScheduler,
                deployments: deployments, service: nil, verified: verified, now: now))
            _ = try await publish(status, for: model)
            return ReconcileResult(requeueAfter: .seconds(30))
        }

        let pods = try await caches.pods(of: model)
        // Only the model's own pods speak for it: a pod that merely carries its labels does not.
        let failing = pods.filter { !FetchFailure.failures(in: [$0]).isEmpty }
        let fetchFailures = FetchFailure.failures(in: await ownership.ownPods(failing, of: deployments))
        let reported = scheduling.reporting(unschedulable: pods, of: desired.deployments)
        let status = StatusRenderer.render(StatusInputs(
            model: model, errors: [], target: target, verification: verification, scheduling: reported,
            deployments: deployments, service: service, verified: verified, fetchFailures: fetchFailures,
            archiveCache: cache, now: now))
        let deferred = try await publish(status, for: model)

        if case .failed = verification, case .verifiedArchive(let entry) = target,
           let delay = await gate.retryDelay(of: entry, for: key, credentials: model.spec.archiveCredentials) {
            return ReconcileResult(requeueAfter: max(min(delay, deferred.requeueAfter ?? delay), .milliseconds(100)))
        }
        return deferred
    }

    /// What the pod template serves: the target once it passed the gate; until then the
    /// version the Deployments already serve (so a bad manifest never disturbs it); nil when
    /// nothing was ever verified.
    private func servingChoice(target: ServingChoice, verification: VerificationState, model: InferenceModel,
                               deployments: [CachedDeployment]) -> ServingChoice? {
        switch verification {
        case .notNeeded, .verified: return target
        case .inProgress, .failed: break
        }
        let annotations = deployments.compactMap { $0.spec?.template.metadata?.annotations }
        guard let version = annotations.first?[ModelLabels.servingVersionAnnotation],
              let digest = annotations.first?[ModelLabels.sha256Annotation],
              let entry = model.spec.manifest?.first(where: { $0.version == version && $0.normalizedSHA256 == digest })
        else { return nil }
        return .verifiedArchive(entry)
    }

    private func applyDeployments(_ desired: [Deployment], existing: [CachedDeployment], model: InferenceModel)
        async throws -> [CachedDeployment]
    {
        // Make before break: replicas that move are removed only once their replacements are available.
        let handover = ReplicaHandover.plan(desired: desired, existing: existing)
        var result: [CachedDeployment] = []
        let existingByName = Dictionary(existing.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        for deployment in handover.apply {
            let (applied, outcome) = try await applier.apply(deployment, existing: existingByName[deployment.metadata.name ?? ""],
                                                             owner: model)
            await note(outcome, "Deployment", applied.metadata.name, model: model)
            result.append(applied)
        }
        for stale in handover.remove {
            try await client.delete(Deployment.self, namespace: stale.metadata.namespace, name: stale.metadata.name ?? "",
                                    options: DeleteOptions(propagationPolicy: .background))
            await events.record(ObjectReference(model), type: .normal, reason: "DeletedDeployment",
                                message: "deleted Deployment \(stale.metadata.name ?? ""): its placement moved")
        }
        return result + handover.retain
    }

    /// Writes the status through `/status` when it changed, and emits the transitions' Events.
    /// A change that only reports progress may wait (`StatusProgressThrottle`): the result then
    /// asks for a requeue when it is due.
    private func publish(_ status: InferenceModelStatus, for model: InferenceModel) async throws -> ReconcileResult {
        guard status != model.status else { return .done }
        let key = ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
        if let wait = await progressThrottle.delay(writing: status, over: model.status, for: key) {
            return ReconcileResult(requeueAfter: wait)
        }
        var updated = model
        updated.status = status
        _ = try await client.updateStatus(updated)
        await progressThrottle.wrote(key)
        if status.url != model.status?.url { await directory?.namespaceChanged(model.metadata.namespace) }
        for event in ModelEvents.transitions(from: model.status, to: status) {
            await events.record(ObjectReference(model), type: event.type, reason: event.reason, message: event.message)
        }
        let ready = status.condition(.ready)
        logger.info("status updated", metadata: [
            "namespace": "\(model.metadata.namespace ?? "")", "name": "\(model.metadata.name ?? "")",
            "servingVersion": "\(status.servingVersion ?? "")",
            "ready": "\(ready?.status.rawValue ?? "")", "reason": "\(ready?.reason.rawValue ?? "")",
            "message": "\(ready?.message ?? "")",
        ])
        return .done
    }

    /// Counts a child write; an Event only when it undid something done outside the model (a
    /// child deleted or edited by hand while the model's spec stood still). Writes that follow a
    /// spec change are routine and the status says what they lead to (DESIGN.md section 3).
    private func note(_ outcome: ChildApplier.Outcome, _ kind: String, _ name: String?, model: InferenceModel) async {
        let actedOnThisSpec = model.status?.observedGeneration == model.metadata.generation
        switch outcome {
        case .unchanged: return
        case .created:
            guard actedOnThisSpec, model.status?.url != nil else { return }
            await events.record(ObjectReference(model), type: .normal, reason: "Restored\(kind)",
                                message: "recreated \(kind) \(name ?? ""), which was deleted")
        case .updated:
            guard actedOnThisSpec else { return }
            await events.record(ObjectReference(model), type: .normal, reason: "Corrected\(kind)",
                                message: "reverted changes made to \(kind) \(name ?? "") outside the InferenceModel")
        }
    }

    /// The verified records that still vouch for a manifest entry.
    private func liveRecords(of model: InferenceModel) -> [VerifiedDigest] {
        let manifest = model.spec.manifest ?? []
        return (model.status?.verified ?? []).filter { record in manifest.contains { record.matches($0) } }
    }
}

extension SchedulingState {
    /// Whether placement has an answer the Deployments can follow (placed or by the scheduler).
    var isDecided: Bool {
        switch self {
        case .byScheduler, .placed, .partiallyPlaced: return true
        case .pending, .unplaceable: return false
        }
    }
}
