import Foundation

/// Regular expressions compiled once per process: a CRD schema's `pattern` and a CEL rule's
/// `matches()` argument are the same few texts on every write they check, and compiling one
/// (ICU) cost more than matching it.
enum CompiledPatterns {
    /// The compiled expressions by their text, nil for a text that is not one.
    private static let compiled = BoundedMemo<NSRegularExpression?>(capacity: 1024)

    /// The expression `pattern` compiles to, or nil when it is not a valid regular expression.
    static func regex(_ pattern: String) -> NSRegularExpression? {
        compiled.value(for: pattern) { try? NSRegularExpression(pattern: pattern) }
    }

    /// Whether `pattern` matches somewhere in `text`; nil when `pattern` is not a valid regular expression.
    static func matches(_ pattern: String, in text: String) -> Bool? {
        guard let regex = regex(pattern) else { return nil }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
