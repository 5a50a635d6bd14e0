import Foundation
import KubeModel

/// A record that a version's archive was downloaded and its SHA-256 matched the manifest.
///
/// The record is trusted only while `url` and `sha256` still equal the manifest entry of
/// `version`; changing either in the spec means the archive is fetched and verified again.
/// ModelFetch defines when a record is written; see `matches(_:)`.
public struct VerifiedDigest: Codable, Sendable, Hashable {
    /// The manifest version that was verified.
    public var version: String
    /// The download URL the archive came from.
    public var url: String
    /// The verified SHA-256, 64 lower-case hexadecimal digits.
    public var sha256: String
    /// When the archive was verified.
    public var verifiedAt: Date
    /// The archive's size in bytes; the serving pod's volume and the unpacking limit are sized
    /// from it. Nil in records written before it was kept.
    public var size: Int64?

    public init(version: String, url: String, sha256: String, verifiedAt: Date, size: Int64? = nil) {
        self.version = version
        self.url = url
        self.sha256 = sha256.lowercased()
        self.verifiedAt = TimeCoding.wholeSeconds(verifiedAt)
        self.size = size
    }

    enum CodingKeys: String, CodingKey { case version, url, sha256, verifiedAt, size }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeScalarStringIfPresent(forKey: .version) ?? ""
        url = try container.decode(String.self, forKey: .url)
        sha256 = try container.decode(String.self, forKey: .sha256).lowercased()
        verifiedAt = try container.decodeRFC3339(forKey: .verifiedAt)
        size = try? container.decodeIfPresent(Int64.self, forKey: .size)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(url, forKey: .url)
        try container.encode(sha256, forKey: .sha256)
        try container.encodeRFC3339(verifiedAt, forKey: .verifiedAt)
        try container.encodeIfPresent(size, forKey: .size)
    }

    /// Whether this record vouches for `file`: same version, URL and digest (case-insensitive).
    /// Whether this record vouches for `file`. Records keep the URL with its credentials masked
    /// (`URLRedaction`), as everything the operator shows does.
    public func matches(_ file: InferenceModelFile) -> Bool {
        version == file.version && sha256 == file.normalizedSHA256
            && (url == file.downloadURL || url == URLRedaction.redact(file.downloadURL))
    }
}

extension Array where Element == VerifiedDigest {
    /// The record that vouches for `file`, if any.
    public func record(for file: InferenceModelFile) -> VerifiedDigest? {
        first { $0.matches(file) }
    }
}
