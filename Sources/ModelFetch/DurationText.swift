import Foundation

/// Durations on the command line, as Go and kubectl write them: `90s`, `30m`, `1h30m`,
/// `500ms`; a bare number is seconds.
public enum DurationText {
    /// The duration `text` means, or an error saying how to write it.
    public static func parse(_ text: String) throws(DurationTextError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds > 0 { return .seconds(seconds) }
        var total: Duration = .zero
        var rest = Substring(trimmed)
        guard !rest.isEmpty else { throw DurationTextError(text: text) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let value = Int(digits) else { throw DurationTextError(text: text) }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            default: throw DurationTextError(text: text)
            }
        }
        guard total > .zero else { throw DurationTextError(text: text) }
        return total
    }
}

/// A duration that cannot be parsed.
public struct DurationTextError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "\"\(text)\" is not a duration; write e.g. 30m, 90s, 1h30m or 500ms (a bare number is seconds)"
    }
}
