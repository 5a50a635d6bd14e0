import Foundation

/// An archive whose digest matched its manifest entry.
public struct VerifiedArchive: Sendable, Equatable {
    public var version: String?
    public var url: String
    public var sha256: SHA256Digest
    public var bytes: Int64
    /// Where the archive is kept, when the verifier has a cache; nil when it was only hashed.
    public var cachedPath: String?
    /// True when the archive came from the cache without any network request.
    public var fromCache: Bool
    public var verifiedAt: Date
}

/// The operator's verification gate: downloads a manifest entry's archive and streams it
/// through SHA-256 without keeping it (or keeps it in `cache` when one is configured, which a
/// later verification of the same digest then re-hashes from disk instead of downloading).
/// Errors are `ModelFetchError`s whose `reason` and `description` are the status condition's
/// reason and message.
public struct ModelVerifier: Sendable {
    public var downloader: ArchiveDownloader
    public var cache: DigestCache?

    public init(downloader: ArchiveDownloader, cache: DigestCache? = nil) {
        self.downloader = downloader
        self.cache = cache
    }

    /// Verifies that `url` serves an archive whose SHA-256 is `sha256` (64 hex digits).
    /// `credentials` (from the model's Secret) go with the download, within `CredentialScope`.
    public func verify(url: String, sha256: String, version: String? = nil,
                       credentials: ArchiveCredentials? = nil) async throws(ModelFetchError) -> VerifiedArchive {
        let want: SHA256Digest
        do { want = try SHA256Digest(hex: sha256) } catch {
            throw ModelFetchError(reason: .invalidDigest, version: version, url: url, detail: error.description)
        }
        do {
            return try await verify(url: url, want: want, version: version, credentials: credentials)
        } catch {
            throw error.context(version: version, url: url)
        }
    }

    private func verify(url: String, want: SHA256Digest, version: String?,
                        credentials: ArchiveCredentials?) async throws(ModelFetchError) -> VerifiedArchive {
        if let cache, case .verified(let file) = cache.lookup(want) {
            return VerifiedArchive(version: version, url: url, sha256: want, bytes: file.size,
                                   cachedPath: cache.path(for: want), fromCache: true, verifiedAt: Date())
        }
        let result: DownloadResult
        if let cache {
            result = try await downloader.download(url, expected: want, credentials: credentials,
                                                   makeFile: { () throws(ModelFetchError) in try cache.makeTemporaryFile() },
                                                   keep: { (file) throws(ModelFetchError) in try cache.commit(file, as: want) })
        } else {
            result = try await downloader.download(url, expected: want, credentials: credentials)
        }
        return VerifiedArchive(version: version, url: url, sha256: want, bytes: result.bytes,
                               cachedPath: cache?.path(for: want), fromCache: false, verifiedAt: Date())
    }
}
