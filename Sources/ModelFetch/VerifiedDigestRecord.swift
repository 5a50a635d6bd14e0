import Foundation
import KubeClient

/// One archive the operator has verified: the manifest version, its URL and digest, and when.
///
/// The operator keeps these in the InferenceModel's status (`status.verified: [{version, url,
/// sha256, verifiedAt}]`) rather than in a file of its own, because status
/// - travels with the object: deleting the InferenceModel forgets its verifications, and a
///   changed URL or sha256 simply no longer matches a record;
/// - survives operator restarts and leader changes: the new leader reads it from the informer
///   cache like any other field, with no shared volume between replicas;
/// - needs no PersistentVolume, which edge clusters often lack;
/// - is visible: `kubectl get inferencemodel -o yaml` shows what was verified and when.
/// A record counts only when version, URL *and* digest all match the manifest entry, so editing
/// any of them makes the operator verify again.
public struct VerifiedDigestRecord: Sendable, Equatable, Codable {
    public var version: String
    public var url: String
    public var sha256: SHA256Digest
    public var verifiedAt: Date

    public init(version: String, url: String, sha256: SHA256Digest, verifiedAt: Date) {
        self.version = version
        self.url = url
        self.sha256 = sha256
        // Status stores whole seconds (RFC 3339), so round-trips compare equal.
        self.verifiedAt = Date(timeIntervalSince1970: verifiedAt.timeIntervalSince1970.rounded(.down))
    }

    /// True when this record vouches for that manifest entry.
    public func matches(version: String, url: String, sha256: SHA256Digest) -> Bool {
        self.version == version && self.url == url && self.sha256 == sha256
    }

    private enum CodingKeys: String, CodingKey { case version, url, sha256, verifiedAt }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stamp = try container.decode(String.self, forKey: .verifiedAt)
        guard let date = RFC3339.parse(stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .verifiedAt, in: container,
                                                   debugDescription: "\(stamp) is not an RFC 3339 time such as 2024-05-01T12:00:00Z")
        }
        self.init(version: try container.decode(String.self, forKey: .version),
                  url: try container.decode(String.self, forKey: .url),
                  sha256: try container.decode(SHA256Digest.self, forKey: .sha256),
                  verifiedAt: date)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(url, forKey: .url)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(RFC3339.format(verifiedAt), forKey: .verifiedAt)
    }

    /// The record as the JSON object that goes into `status.verified`.
    public var json: JSONValue {
        ["version": .string(version), "url": .string(url), "sha256": .string(sha256.hex),
         "verifiedAt": .string(RFC3339.format(verifiedAt))]
    }

    /// Reads a record from a `status.verified` entry; nil when it is malformed (a stale or
    /// hand-edited status must not stop reconciling: the archive is then verified again).
    public init?(json: JSONValue) {
        guard let record = try? json.decode(as: VerifiedDigestRecord.self) else { return nil }
        self = record
    }
}

/// The list in `status.verified`, with the lookups and updates the reconciler needs (pure).
public struct VerifiedDigestLedger: Sendable, Equatable {
    public private(set) var records: [VerifiedDigestRecord]

    public init(records: [VerifiedDigestRecord] = []) {
        self.records = records
    }

    /// Reads `status.verified`, skipping malformed entries.
    public init(json: JSONValue?) {
        self.records = json?.arrayValue?.compactMap(VerifiedDigestRecord.init(json:)) ?? []
    }

    /// True when the exact (version, URL, digest) triple was verified before.
    public func isVerified(version: String, url: String, sha256: SHA256Digest) -> Bool {
        records.contains { $0.matches(version: version, url: url, sha256: sha256) }
    }

    /// Records a verification, replacing any older record of the same version.
    public func recording(_ record: VerifiedDigestRecord) -> VerifiedDigestLedger {
        VerifiedDigestLedger(records: records.filter { $0.version != record.version } + [record])
    }

    /// Drops records of versions no longer in the manifest, so status stays small.
    public func keeping(versions: Set<String>) -> VerifiedDigestLedger {
        VerifiedDigestLedger(records: records.filter { versions.contains($0.version) })
    }

    /// The JSON array for `status.verified`, sorted by version for stable writes.
    public var json: JSONValue {
        .array(records.sorted { $0.version < $1.version }.map(\.json))
    }
}

/// RFC 3339 timestamps in UTC with whole seconds, as Kubernetes writes them.
enum RFC3339 {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
