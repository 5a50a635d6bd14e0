import KubeModel

/// Why a model archive could not be fetched, verified or unpacked. `reason` is the
/// CamelCase word the operator puts in a status condition; `description` is the condition's
/// message: it names the version and the URL, and for a mismatch both digests, so a person
/// can act on it without reading logs. The description never shows credentials: URLs in it
/// pass through `URLRedaction` (`url` itself keeps the text as given, for the caller's use).
public struct ModelFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The condition reason.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// The archive's digest is not the manifest's `sha256sum`.
        case checksumMismatch = "ChecksumMismatch"
        /// The server could not be reached, answered with an error, or the transfer broke off.
        case downloadFailed = "DownloadFailed"
        /// The URL cannot be parsed.
        case invalidURL = "InvalidURL"
        /// The URL is well formed but the download policy forbids it (scheme, host, address).
        case urlNotAllowed = "URLNotAllowed"
        /// The archive is larger than the configured limit.
        case tooLarge = "TooLarge"
        /// The archive holds an entry that would land outside the destination, or breaks a limit.
        case unsafeArchive = "UnsafeArchive"
        /// The archive is corrupt or of a kind that cannot be unpacked.
        case extractionFailed = "ExtractionFailed"
        /// The sha256 given is not 64 hex digits.
        case invalidDigest = "InvalidDigest"
        /// A local file system operation failed (cache, destination).
        case storageFailed = "StorageFailed"
        /// The archive credentials (`spec.archiveCredentials`' Secret) are missing or unusable.
        case credentialsUnavailable = "CredentialsUnavailable"
    }

    public var reason: Reason
    /// The manifest version this archive belongs to, when known.
    public var version: String?
    /// The URL as the manifest gave it; empty when the failure is not about a URL.
    public var url: String
    /// What went wrong, in words (without version and URL, which `description` adds).
    public var detail: String
    /// For `checksumMismatch`: the manifest's digest and the archive's.
    public var want: SHA256Digest?
    public var got: SHA256Digest?

    public init(reason: Reason, version: String? = nil, url: String = "", detail: String,
                want: SHA256Digest? = nil, got: SHA256Digest? = nil) {
        self.reason = reason
        self.version = version
        self.url = url
        self.detail = detail
        self.want = want
        self.got = got
    }

    /// A digest mismatch.
    public static func mismatch(version: String?, url: String, want: SHA256Digest, got: SHA256Digest) -> ModelFetchError {
        ModelFetchError(reason: .checksumMismatch, version: version, url: url,
                        detail: "want \(want.hex), got \(got.hex)", want: want, got: got)
    }

    /// The same error, with the version and URL filled in where they were not known yet.
    public func context(version: String?, url: String) -> ModelFetchError {
        var copy = self
        if copy.version == nil { copy.version = version }
        if copy.url.isEmpty { copy.url = url }
        return copy
    }

    public var description: String {
        let subject: String
        switch reason {
        case .checksumMismatch: subject = "sha256 mismatch"
        case .downloadFailed: subject = "download failed"
        case .invalidURL: subject = "invalid download URL"
        case .urlNotAllowed: subject = "download URL not allowed"
        case .tooLarge: subject = "archive too large"
        case .unsafeArchive: subject = "unsafe archive"
        case .extractionFailed: subject = "cannot unpack archive"
        case .invalidDigest: subject = "invalid sha256"
        case .storageFailed: subject = "storage error"
        case .credentialsUnavailable: subject = "archive credentials unavailable"
        }
        var where_ = ""
        if let version { where_ += " for version \(DisplayText.sanitized(version, maxScalars: 100))" }
        if !url.isEmpty { where_ += " (\(DisplayText.sanitized(URLRedaction.redact(url), maxScalars: 1000)))" }
        return "\(subject)\(where_): \(URLRedaction.redactURLs(in: detail))"
    }
}
