import Foundation
import KubeModel

/// Timestamps in conditions and records: whole seconds, written as RFC 3339 by `KubeTime`.
enum TimeCoding {
    /// The date truncated to whole seconds, so that it survives a round trip through JSON.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

extension KeyedDecodingContainer {
    /// Decodes an RFC 3339 timestamp string, with or without fractional seconds.
    func decodeRFC3339(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = KubeTime.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\"\(text)\" is not an RFC 3339 timestamp such as 2026-01-02T03:04:05Z")
        }
        return date
    }
}

extension KeyedEncodingContainer {
    /// Encodes a date as an RFC 3339 timestamp with whole seconds (`metav1.Time`).
    mutating func encodeRFC3339(_ date: Date, forKey key: Key) throws {
        try encode(KubeTime.format(date), forKey: key)
    }
}
