import Foundation
import KubeModel
import ModelAPI
@testable import ModelFetch
@testable import Operator
import Synchronization
import Testing

/// A verifier whose archives behave as their URL says: `hang` never finishes (until cancelled),
/// `toolarge` is over the size limit, `mismatch` has another digest, anything else verifies.
final class ScriptedVerifier: ArchiveVerifying {
    private let log = Mutex<(started: [String], cancelled: [String], credentials: [String?])>(([], [], []))

    var started: [String] { log.withLock { $0.started } }
    var cancelled: [String] { log.withLock { $0.cancelled } }
    /// The Authorization header value each verification was given, in start order.
    var credentials: [String?] { log.withLock { $0.credentials } }

    func verify(url: String, sha256: String, version: String?,
                credentials: ArchiveCredentials?) async throws(ModelFetchError) -> VerifiedArchive {
        log.withLock {
            $0.started.append(url)
            $0.credentials.append(credentials?.headerValue)
        }
        if url.contains("hang") {
            try? await Task.sleep(for: .seconds(3600))
            log.withLock { $0.cancelled.append(url) }
            throw ModelFetchError(reason: .downloadFailed, url: url, detail: "cancelled")
        }
        if url.contains("toolarge") {
            throw ModelFetchError(reason: .tooLarge, url: url, detail: "the archive is larger than 20 GiB")
        }
        guard let digest = try? SHA256Digest(hex: sha256) else {
            throw ModelFetchError(reason: .invalidDigest, url: url, detail: "not a digest")
        }
        if url.contains("mismatch") {
            throw ModelFetchError.mismatch(version: version, url: url, want: digest, got: digest)
        }
        return VerifiedArchive(version: version, url: url, sha256: digest, bytes: 1, fromCache: false, verifiedAt: Date())
    }
}

@Suite struct VerificationGateTests {
    static let digest = String(repeating: "a", count: 64)

    static func file(_ url: String, version: String = "1") -> InferenceModelFile {
        InferenceModelFile(version: version, downloadURL: url, sha256sum: digest)
    }

    static func waitFor(_ condition: () async -> Bool) async throws {
        for _ in 0..<3000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 30 s")
    }

    /// One tenant's trickling archives cannot take every slot: another namespace's model starts.
    @Test func oneNamespaceCannotHoldEveryDownloadSlot() async throws {
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, maxConcurrent: 4, requeue: { _ in })
        for index in 1...4 {
            _ = await gate.state(of: Self.file("http://127.0.0.1/hang-\(index)"), for: ObjectKey("tenant/m\(index)"), records: [])
        }
        let other = await gate.state(of: Self.file("http://127.0.0.1/good"), for: ObjectKey("prod/m"), records: [])
        #expect(other == .inProgress(version: "1"))
        try await Self.waitFor { verifier.started.contains("http://127.0.0.1/good") }
        #expect(verifier.started.filter { $0.contains("hang") }.count == 2, "the tenant holds half the slots")
        await gate.stop()
    }

    @Test func aDownloadThatOutlivesTheDeadlineFails() async throws {
        let verifier = ScriptedVerifier()
        let requeued = Mutex<[ObjectKey]>([])
        let gate = VerificationGate(verifier: verifier, deadline: .milliseconds(100),
                                    requeue: { key in requeued.withLock { $0.append(key) } })
        let file = Self.file("http://127.0.0.1/hang")
        _ = await gate.state(of: file, for: ObjectKey("ns/m"), records: [])
        try await Self.waitFor { requeued.withLock { !$0.isEmpty } }
        guard case .failed(let reason, let message) = await gate.state(of: file, for: ObjectKey("ns/m"), records: []) else {
            Issue.record("not failed")
            return
        }
        #expect(reason == .downloadFailed)
        #expect(message.contains("did not finish within") && message.contains("version 1"), "\(message)")
        #expect(verifier.cancelled == ["http://127.0.0.1/hang"], "the download itself was stopped")
    }

    @Test func aDownloadNoModelNeedsIsCancelled() async throws {
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, requeue: { _ in })
        _ = await gate.state(of: Self.file("http://127.0.0.1/hang"), for: ObjectKey("ns/m"), records: [])
        try await Self.waitFor { verifier.started.count == 1 }
        await gate.forget(ObjectKey("ns/m"))
        try await Self.waitFor { verifier.cancelled.count == 1 }
        #expect(await gate.runningCount == 0)
        // A model that moves to another version lets go of the old download the same way.
        _ = await gate.state(of: Self.file("http://127.0.0.1/hang-2"), for: ObjectKey("ns/n"), records: [])
        _ = await gate.state(of: Self.file("http://127.0.0.1/good", version: "2"), for: ObjectKey("ns/n"), records: [])
        try await Self.waitFor { verifier.cancelled.contains("http://127.0.0.1/hang-2") }
    }

    @Test func anArchiveOverTheLimitIsNotDownloadedAgainUntilTheManifestChanges() async throws {
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, retryBackoff: .init(initial: .milliseconds(1), cap: .milliseconds(1)),
                                    requeue: { _ in })
        let file = Self.file("http://127.0.0.1/toolarge")
        _ = await gate.state(of: file, for: ObjectKey("ns/m"), records: [])
        try await Self.waitFor {
            if case .failed = await gate.state(of: file, for: ObjectKey("ns/m"), records: []) { return true }
            return false
        }
        try await Task.sleep(for: .milliseconds(50))
        for _ in 0..<3 { _ = await gate.state(of: file, for: ObjectKey("ns/m"), records: []) }
        #expect(verifier.started.count == 1)
        #expect(await gate.retryDelay(of: file, for: ObjectKey("ns/m")) == nil)
    }

    /// Two models share an archive; each reads the failure in the words of its own manifest.
    @Test func aSharedFailureIsReportedPerModel() async throws {
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, requeue: { _ in })
        let url = "http://127.0.0.1/mismatch"
        _ = await gate.state(of: Self.file(url, version: "4"), for: ObjectKey("a/first"), records: [])
        var message = ""
        try await Self.waitFor {
            if case .failed(_, let text) = await gate.state(of: Self.file(url, version: "4"), for: ObjectKey("a/first"), records: []) {
                message = text
                return true
            }
            return false
        }
        #expect(message.contains("version 4"))
        guard case .failed(_, let other) = await gate.state(of: Self.file(url, version: "1"), for: ObjectKey("b/second"), records: [])
        else {
            Issue.record("the second model does not see the shared failure")
            return
        }
        #expect(other.contains("version 1") && !other.contains("version 4"), "\(other)")
    }
}

/// Secrets as a test table: name → keys, or missing.
struct TableCredentialsSource: ArchiveCredentialsSource {
    let secrets: [String: [String: String]]

    func credentials(namespace: String, secretName: String) async throws(ModelFetchError) -> ArchiveCredentials {
        guard let keys = secrets["\(namespace)/\(secretName)"] else {
            throw ModelFetchError(reason: .credentialsUnavailable,
                                  detail: "Secret \(secretName) in namespace \(namespace) does not exist")
        }
        do throws(ArchiveCredentialsError) {
            guard let credentials = try ArchiveCredentials(keys: keys) else {
                throw ArchiveCredentialsError("has no keys")
            }
            return credentials
        } catch {
            throw ModelFetchError(reason: .credentialsUnavailable, detail: error.problem)
        }
    }
}

@Suite struct VerificationGateCredentialsTests {
    @Test("each model's download carries its own namespace's Secret; models with different Secrets do not share a result")
    func perModelCredentials() async throws {
        let verifier = ScriptedVerifier()
        let source = TableCredentialsSource(secrets: ["a/store": ["token": "token-a"], "b/store": ["token": "token-b"]])
        let gate = VerificationGate(verifier: verifier, credentialsSource: source, maxConcurrent: 4, requeue: { _ in })
        let file = VerificationGateTests.file("http://127.0.0.1:1/m.tgz")
        let store = ArchiveCredentialsReference(secretName: "store")
        _ = await gate.state(of: file, for: ObjectKey("a/m"), records: [], credentials: store)
        _ = await gate.state(of: file, for: ObjectKey("b/m"), records: [], credentials: store)
        _ = await gate.state(of: file, for: ObjectKey("c/m"), records: [])
        try await VerificationGateTests.waitFor { verifier.started.count == 3 }
        #expect(Set(verifier.credentials) == ["Bearer token-a", "Bearer token-b", nil])
    }

    @Test("a missing Secret is CredentialsUnavailable, naming the Secret and what to put in it; no download starts")
    func missingSecret() async throws {
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, credentialsSource: TableCredentialsSource(secrets: [:]),
                                    requeue: { _ in })
        let file = VerificationGateTests.file("http://127.0.0.1:1/m.tgz")
        let key = ObjectKey("a/m")
        let reference = ArchiveCredentialsReference(secretName: "store")
        _ = await gate.state(of: file, for: key, records: [], credentials: reference)
        var state = await gate.state(of: file, for: key, records: [], credentials: reference)
        let deadline = ContinuousClock.now + .seconds(30)
        while case .inProgress = state, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            state = await gate.state(of: file, for: key, records: [], credentials: reference)
        }
        guard case .failed(let reason, let message) = state else {
            Issue.record("expected a failure, got \(state)")
            return
        }
        #expect(reason.rawValue == "CredentialsUnavailable")
        #expect(message.contains("Secret store in namespace a does not exist"), "\(message)")
        #expect(verifier.started.isEmpty)
    }
}
