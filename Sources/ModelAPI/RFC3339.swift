import Foundation

/// RFC 3339 timestamps as Kubernetes writes them (`2026-01-02T03:04:05Z`, whole seconds, UTC).
public enum RFC3339 {
    /// Formats a date with whole seconds in UTC, the form of `metav1.Time`.
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// Parses `2026-01-02T03:04:05Z`, with or without fractional seconds or a numeric offset.
    public static func date(from text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// The date truncated to whole seconds, so that it survives a round trip through `string(from:)`.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

extension KeyedDecodingContainer {
    /// Decodes an RFC 3339 timestamp string.
    func decodeRFC3339(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = RFC3339.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\"\(text)\" is not an RFC 3339 timestamp such as 2026-01-02T03:04:05Z")
        }
        return date
    }
}

extension KeyedEncodingContainer {
    /// Encodes a date as an RFC 3339 timestamp string with whole seconds.
    mutating func encodeRFC3339(_ date: Date, forKey key: Key) throws {
        try encode(RFC3339.string(from: date), forKey: key)
    }
}
