import ModelFetch

/// Downloads an archive and checks its SHA-256; `ModelVerifier` is the real one.
public protocol ArchiveVerifying: Sendable {
    func verify(url: String, sha256: String, version: String?, credentials: ArchiveCredentials?) async throws(ModelFetchError)
        -> VerifiedArchive
}

extension ModelVerifier: ArchiveVerifying {}
