/// What one Pod Security check forbids in a pod: a short reason (`hostPath volumes`) and a detail
/// (`volume "cache"`), worded as the checks of `k8s.io/pod-security-admission/policy` word them.
struct PodSecurityViolation: Sendable, Equatable, CustomStringConvertible {
    var reason: String
    var detail: String

    /// `reason (detail)`, or the reason alone when there is no detail (`ForbiddenDetail` of one check).
    var description: String { detail.isEmpty ? reason : "\(reason) (\(detail))" }
}

/// The wording helpers of the policy package (`helpers.go`), and Go's `%q`.
enum PodSecurityText {
    /// `joinQuote`: `"a", "b"`, with no escaping.
    static func joinQuote<S: Sequence>(_ items: S) -> String where S.Element == String {
        let list = Array(items)
        return list.isEmpty ? "" : "\"" + list.joined(separator: "\", \"") + "\""
    }

    /// `pluralize`: the singular for exactly one.
    static func pluralize(_ singular: String, _ plural: String, _ count: Int) -> String {
        count == 1 ? singular : plural
    }

    /// A `sets.String`'s `List()`: unique and sorted by bytes.
    static func sortedSet<S: Sequence>(_ items: S) -> [String] where S.Element == String {
        Set(items).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Go's `%q` of a string: double-quoted with `\\`, `\"` and control characters escaped.
    static func goQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0B}": result += "\\v"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
