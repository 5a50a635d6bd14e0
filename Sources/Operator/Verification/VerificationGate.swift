import Controller
import Foundation
import KubeModel
import ModelAPI
import ModelFetch

/// The verification gate: a manifest version reaches a pod template only after its archive was
/// streamed through SHA-256 and matched `sha256sum`.
///
/// Verifications run in the background (a worker never blocks on a download); models waiting on
/// one are requeued when it settles. No tenant can hold the gate: downloads are shared out
/// across namespaces (at most `maxPerNamespace` of the `maxConcurrent` slots each, the next slot
/// going to the namespace with the fewest running), each has an overall `deadline`, and a
/// download no model waits for any more (the model was deleted or moved to another version) is
/// cancelled. A failure is reported until a retry succeeds; retries back off per archive (10 s
/// doubling to 10 min), except for failures a retry cannot cure (too large, refused by policy),
/// which wait for the manifest to change. Editing the manifest (a new URL or digest) starts a
/// fresh verification at once. Records in `status.verified` are trusted, so a resync or restart
/// downloads nothing again. Failures are kept without a version and reported in the words of each
/// model's own manifest entry.
public actor VerificationGate {
    /// One download: the URL, the digest, and the Secret whose credentials go with it (two
    /// models share a download only when they would send the same credentials).
    struct ArchiveKey: Hashable {
        var url: String
        var sha256: String
        var credentials: ObjectKey?

        init(_ file: InferenceModelFile, credentials: ArchiveCredentialsReference?, namespace: String?) {
            url = file.downloadURL
            sha256 = file.normalizedSHA256
            self.credentials = credentials.map { ObjectKey(namespace: namespace, name: $0.secretName) }
        }
    }

    private struct Failure {
        var error: ModelFetchError
        var count: Int
        /// nil: not retried until the manifest changes.
        var retryAt: ContinuousClock.Instant?
    }

    private struct Download {
        var namespace: String
        var task: Task<Void, Never>?
    }

    /// Archives verified lately, kept at most this many (a model records its own in status).
    static let verifiedMemory = 4096

    private let verifier: any ArchiveVerifying
    private let credentialsSource: (any ArchiveCredentialsSource)?
    private let requeue: @Sendable (ObjectKey) async -> Void
    private let retryBackoff: Backoff
    private let maxConcurrent: Int
    private let maxPerNamespace: Int
    private let deadline: Duration
    private var verified: [ArchiveKey: VerifiedDigest] = [:]
    private var verifiedOrder: [ArchiveKey] = []
    private var failures: [ArchiveKey: Failure] = [:]
    private var running: [ArchiveKey: Download] = [:]
    private var queued: [(key: ArchiveKey, namespace: String)] = []
    /// The models that wait on each archive, and the archive each model waits on.
    private var interested: [ArchiveKey: Set<ObjectKey>] = [:]
    private var wants: [ObjectKey: ArchiveKey] = [:]
    private let metrics = VerificationMetrics()
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - maxConcurrent: downloads that may run at once (`--max-concurrent-downloads`).
    ///   - maxPerNamespace: of those, how many one namespace may hold; default half, at least one.
    ///   - deadline: the longest one download may take, however fast it trickles.
    ///   - requeue: called for each model waiting on an archive once its verification settles.
    ///   - credentialsSource: reads `spec.archiveCredentials` Secrets; nil: such models fail with
    ///     `CredentialsUnavailable`.
    public init(verifier: any ArchiveVerifying, credentialsSource: (any ArchiveCredentialsSource)? = nil,
                maxConcurrent: Int = 4, maxPerNamespace: Int? = nil,
                deadline: Duration = .seconds(1800),
                retryBackoff: Backoff = Backoff(initial: .seconds(10), cap: .seconds(600)),
                requeue: @escaping @Sendable (ObjectKey) async -> Void) {
        self.verifier = verifier
        self.credentialsSource = credentialsSource
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxPerNamespace = max(1, min(maxPerNamespace ?? self.maxConcurrent / 2, self.maxConcurrent))
        self.deadline = deadline
        self.retryBackoff = retryBackoff
        self.requeue = requeue
    }

    /// Where `file` stands; starts (or retries) its verification when needed. `records` are the
    /// model's `status.verified` entries; `credentials` its `spec.archiveCredentials`.
    public func state(of file: InferenceModelFile, for model: ObjectKey, records: [VerifiedDigest],
                      credentials: ArchiveCredentialsReference? = nil) -> VerificationState {
        if let record = records.record(for: file) {
            forget(model)
            return .verified(record)
        }
        let key = ArchiveKey(file, credentials: credentials, namespace: model.namespace)
        if let digest = verified[key] {
            forget(model)
            return .verified(VerifiedDigest(version: file.version, url: URLRedaction.redact(digest.url), sha256: digest.sha256,
                                            verifiedAt: digest.verifiedAt, size: digest.size))
        }
        attach(model, to: key)
        let busy = running[key] != nil || queued.contains { $0.key == key }
        if let failure = failures[key] {
            if let retryAt = failure.retryAt, clock.now >= retryAt, !busy { enqueue(key, namespace: model.namespace) }
            let message = failure.error.context(version: file.version, url: file.downloadURL).description
            return .failed(reason: ModelConditionReason(rawValue: failure.error.reason.conditionReason), message: message)
        }
        if !busy { enqueue(key, namespace: model.namespace) }
        return .inProgress(version: file.version)
    }

    /// How long until a failed archive is retried, so the reconciler can requeue for it; nil
    /// when it is not retried (running, or waiting for the manifest to change).
    public func retryDelay(of file: InferenceModelFile, for model: ObjectKey,
                           credentials: ArchiveCredentialsReference? = nil) -> Duration? {
        let key = ArchiveKey(file, credentials: credentials, namespace: model.namespace)
        guard let failure = failures[key], let retryAt = failure.retryAt, running[key] == nil else { return nil }
        return max(.zero, retryAt - clock.now)
    }

    /// The model no longer waits on any archive (deleted, verified, or image-based now); a
    /// download nobody waits for is cancelled.
    public func forget(_ model: ObjectKey) {
        guard let key = wants.removeValue(forKey: model) else { return }
        interested[key]?.remove(model)
        if interested[key]?.isEmpty == true { abandon(key) }
    }

    /// Cancels every download (the operator is stopping).
    public func stop() {
        for download in running.values { download.task?.cancel() }
        running = [:]
        queued = []
    }

    /// How many downloads run now, for tests and metrics.
    public var runningCount: Int { running.count }

    private func attach(_ model: ObjectKey, to key: ArchiveKey) {
        if let previous = wants[model], previous != key { forget(model) }
        wants[model] = key
        interested[key, default: []].insert(model)
    }

    /// Nobody waits for `key` any more: stop its download and drop what was learnt about it.
    private func abandon(_ key: ArchiveKey) {
        interested[key] = nil
        failures[key] = nil
        queued.removeAll { $0.key == key }
        if let download = running.removeValue(forKey: key) {
            download.task?.cancel()
            metrics.cancelled.increment()
            startQueued()
        }
    }

    private func enqueue(_ key: ArchiveKey, namespace: String?) {
        queued.append((key, namespace ?? ""))
        startQueued()
    }

    /// Starts queued downloads while slots are free, each to the namespace with the fewest
    /// downloads running (first come first served among equals), none past `maxPerNamespace`.
    private func startQueued() {
        while running.count < maxConcurrent {
            var perNamespace: [String: Int] = [:]
            for download in running.values { perNamespace[download.namespace, default: 0] += 1 }
            let candidates = queued.indices.filter { perNamespace[queued[$0].namespace, default: 0] < maxPerNamespace }
            guard let next = candidates.min(by: { perNamespace[queued[$0].namespace, default: 0]
                    < perNamespace[queued[$1].namespace, default: 0] }) else { return }
            let (key, namespace) = queued.remove(at: next)
            launch(key, namespace: namespace)
        }
    }

    private func launch(_ key: ArchiveKey, namespace: String) {
        let verifier = self.verifier
        let deadline = self.deadline
        let source = credentialsSource
        running[key] = Download(namespace: namespace, task: nil)
        running[key]?.task = Task {
            let started = ContinuousClock.now
            let result: Result<VerifiedArchive, ModelFetchError>
            switch await Self.credentials(for: key, from: source) {
            case .success(let credentials):
                result = await Self.verify(key, credentials: credentials, with: verifier, deadline: deadline)
            case .failure(let error):
                result = .failure(error)
            }
            guard !Task.isCancelled else { return }
            await self.settle(key, result: result, elapsed: ContinuousClock.now - started)
        }
    }

    /// The credentials the download of `key` sends, read when it starts.
    private static func credentials(for key: ArchiveKey, from source: (any ArchiveCredentialsSource)?) async
        -> Result<ArchiveCredentials?, ModelFetchError>
    {
        guard let secret = key.credentials else { return .success(nil) }
        guard let source else {
            return .failure(ModelFetchError(reason: .credentialsUnavailable, url: key.url,
                                            detail: "this operator cannot read archive credentials"))
        }
        do throws(ModelFetchError) {
            return .success(try await source.credentials(namespace: secret.namespace ?? "", secretName: secret.name))
        } catch {
            return .failure(error)
        }
    }

    /// One verification, cut off at `deadline`.
    private static func verify(_ key: ArchiveKey, credentials: ArchiveCredentials?, with verifier: any ArchiveVerifying,
                               deadline: Duration) async -> Result<VerifiedArchive, ModelFetchError>
    {
        await withTaskGroup(of: Result<VerifiedArchive, ModelFetchError>?.self) { group in
            group.addTask {
                do throws(ModelFetchError) {
                    return .success(try await verifier.verify(url: key.url, sha256: key.sha256, version: nil,
                                                              credentials: credentials))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(ModelFetchError(
                reason: .downloadFailed, url: key.url,
                detail: "the download did not finish within \(deadline.formattedMinutes) (the operator's "
                    + "--download-deadline); serve the archive faster or from nearer the cluster"))
        }
    }

    private func settle(_ key: ArchiveKey, result: Result<VerifiedArchive, ModelFetchError>, elapsed: Duration) async {
        guard running.removeValue(forKey: key) != nil else { return }
        metrics.duration.recordNanoseconds(elapsed.wholeNanoseconds)
        switch result {
        case .success(let archive):
            metrics.succeeded.increment()
            if !archive.fromCache { metrics.bytes.increment(by: Int(archive.bytes)) }
            remember(key, VerifiedDigest(version: archive.version ?? "", url: key.url, sha256: key.sha256,
                                         verifiedAt: archive.verifiedAt, size: archive.bytes))
            failures[key] = nil
        case .failure(var error):
            error.version = nil
            metrics.failed.increment()
            metrics.failure(reason: error.reason.rawValue).increment()
            let count = (failures[key]?.count ?? 0) + 1
            let retryAt = error.reason.retryCanCure ? clock.now + retryBackoff.delay(afterFailures: count) : nil
            failures[key] = Failure(error: error, count: count, retryAt: retryAt)
        }
        startQueued()
        for model in interested[key] ?? [] { await requeue(model) }
    }

    private func remember(_ key: ArchiveKey, _ digest: VerifiedDigest) {
        if verified.updateValue(digest, forKey: key) == nil { verifiedOrder.append(key) }
        if verifiedOrder.count > Self.verifiedMemory {
            let dropped = verifiedOrder.prefix(verifiedOrder.count - Self.verifiedMemory)
            for old in dropped { verified[old] = nil }
            verifiedOrder.removeFirst(dropped.count)
        }
    }
}

extension ModelFetchError.Reason {
    /// The condition reason: the fetch reasons map one to one, except that a URL the policy
    /// refuses is reported as `InvalidURL` with the policy's explanation in the message.
    var conditionReason: String {
        switch self {
        case .urlNotAllowed: return ModelConditionReason.invalidURL.rawValue
        case .tooLarge, .storageFailed: return ModelConditionReason.downloadFailed.rawValue
        case .credentialsUnavailable: return rawValue
        default: return rawValue
        }
    }

    /// Whether trying the same URL and digest again may succeed; an archive over the size limit,
    /// a URL the policy refuses or a malformed digest stay so until the manifest changes.
    var retryCanCure: Bool {
        switch self {
        case .tooLarge, .urlNotAllowed, .invalidURL, .invalidDigest: return false
        default: return true
        }
    }
}

extension Duration {
    /// "30 min", "90 s": how the gate's deadline reads in a message.
    var formattedMinutes: String {
        let seconds = components.seconds
        return seconds >= 60 && seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}
