import Controller
import Foundation
import KubeClient
import ModelAPI
import ModelFetch

/// The verification gate: a manifest version reaches a pod template only after its archive was
/// streamed through SHA-256 and matched `sha256sum`.
///
/// Verifications run in the background (a worker never blocks on a download); models waiting on
/// one are requeued when it settles. A failure is reported until a retry succeeds; retries back
/// off per archive (10 s doubling to 10 min) so a broken server is not hammered, and editing the
/// manifest (a new URL or digest) starts a fresh verification at once. Records in
/// `status.verified` are trusted, so a resync or restart downloads nothing again.
public actor VerificationGate {
    struct ArchiveKey: Hashable {
        var url: String
        var sha256: String
    }

    private struct Failure {
        var reason: ModelConditionReason
        var message: String
        var count: Int
        var retryAt: ContinuousClock.Instant
    }

    private let verifier: any ArchiveVerifying
    private let requeue: @Sendable (ObjectKey) async -> Void
    private let retryBackoff: ItemBackoff
    private let maxConcurrent: Int
    private var verified: [ArchiveKey: VerifiedDigest] = [:]
    private var failures: [ArchiveKey: Failure] = [:]
    private var running: Set<ArchiveKey> = []
    private var pending: [(ArchiveKey, String)] = []
    private var waiting: [ArchiveKey: Set<ObjectKey>] = [:]
    private let metrics = VerificationMetrics()
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - requeue: called for each model waiting on an archive once its verification settles.
    ///   - maxConcurrent: downloads that may run at once.
    public init(verifier: any ArchiveVerifying, maxConcurrent: Int = 4,
                retryBackoff: ItemBackoff = ItemBackoff(base: .seconds(10), cap: .seconds(600)),
                requeue: @escaping @Sendable (ObjectKey) async -> Void) {
        self.verifier = verifier
        self.maxConcurrent = max(1, maxConcurrent)
        self.retryBackoff = retryBackoff
        self.requeue = requeue
    }

    /// Where `file` stands; starts (or retries) its verification when needed. `records` are the
    /// model's `status.verified` entries.
    public func state(of file: InferenceModelFile, for model: ObjectKey, records: [VerifiedDigest]) -> VerificationState {
        if let record = records.record(for: file) { return .verified(record) }
        let key = ArchiveKey(url: file.downloadURL, sha256: file.normalizedSHA256)
        if let digest = verified[key] {
            return .verified(VerifiedDigest(version: file.version, url: digest.url, sha256: digest.sha256,
                                            verifiedAt: digest.verifiedAt))
        }
        waiting[key, default: []].insert(model)
        if let failure = failures[key] {
            if clock.now >= failure.retryAt, !running.contains(key) { start(key, version: file.version) }
            return .failed(reason: failure.reason, message: failure.message)
        }
        if !running.contains(key) { start(key, version: file.version) }
        return .inProgress(version: file.version)
    }

    /// How long until a failed archive is retried, so the reconciler can requeue for it.
    public func retryDelay(of file: InferenceModelFile) -> Duration? {
        let key = ArchiveKey(url: file.downloadURL, sha256: file.normalizedSHA256)
        guard let failure = failures[key], !running.contains(key) else { return nil }
        return max(.zero, failure.retryAt - clock.now)
    }

    /// Forgets archives no model refers to any more (call with every live manifest entry).
    public func retain(onlyModels live: Set<ObjectKey>) {
        for (key, models) in waiting {
            let remaining = models.intersection(live)
            waiting[key] = remaining.isEmpty ? nil : remaining
        }
    }

    private func start(_ key: ArchiveKey, version: String) {
        running.insert(key)
        if running.count - pending.count > maxConcurrent {
            pending.append((key, version))
            return
        }
        launch(key, version: version)
    }

    private func launch(_ key: ArchiveKey, version: String) {
        let verifier = self.verifier
        Task {
            let started = ContinuousClock.now
            let result: Result<VerifiedArchive, ModelFetchError>
            do throws(ModelFetchError) {
                result = .success(try await verifier.verify(url: key.url, sha256: key.sha256, version: version))
            } catch {
                result = .failure(error)
            }
            await self.settle(key, result: result, elapsed: ContinuousClock.now - started)
        }
    }

    private func settle(_ key: ArchiveKey, result: Result<VerifiedArchive, ModelFetchError>, elapsed: Duration) async {
        metrics.duration.recordNanoseconds(elapsed.wholeNanoseconds)
        switch result {
        case .success(let archive):
            metrics.succeeded.increment()
            if !archive.fromCache { metrics.bytes.increment(by: Int(archive.bytes)) }
            verified[key] = VerifiedDigest(version: archive.version ?? "", url: key.url, sha256: key.sha256,
                                           verifiedAt: archive.verifiedAt)
            failures[key] = nil
        case .failure(let error):
            metrics.failed.increment()
            metrics.failure(reason: error.reason.rawValue).increment()
            let count = (failures[key]?.count ?? 0) + 1
            failures[key] = Failure(reason: ModelConditionReason(rawValue: error.reason.conditionReason),
                                    message: error.description, count: count,
                                    retryAt: clock.now + retryBackoff.delay(afterFailures: count))
        }
        running.remove(key)
        if let (next, version) = pending.first {
            pending.removeFirst()
            launch(next, version: version)
        }
        for model in waiting.removeValue(forKey: key) ?? [] { await requeue(model) }
    }
}

extension ModelFetchError.Reason {
    /// The condition reason: the fetch reasons map one to one, except that a URL the policy
    /// refuses is reported as `InvalidURL` with the policy's explanation in the message.
    var conditionReason: String {
        switch self {
        case .urlNotAllowed: return ModelConditionReason.invalidURL.rawValue
        case .tooLarge, .storageFailed: return ModelConditionReason.downloadFailed.rawValue
        default: return rawValue
        }
    }
}
