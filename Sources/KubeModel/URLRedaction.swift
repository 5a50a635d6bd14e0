/// Hides credentials in URLs before they are shown anywhere (stderr, termination messages,
/// error descriptions, status conditions, Events, logs): the user-info part (`user:pass@`)
/// becomes `***@`, every query parameter's value becomes `***` (signed URLs carry their token
/// in any parameter name: `X-Amz-Signature`, `sig`, `token`, …), and a fragment becomes `#***`.
/// Scheme, host, port and path stay, so a person can still tell which archive is meant.
///
/// Works on the text as written (no parsing that could fail), so it also redacts malformed URLs.
/// Credentials do not belong in a manifest's URL (it is stored in the InferenceModel and the pod
/// spec); this only limits the damage when one is there.
public enum URLRedaction {
    /// The marker that replaces a secret.
    public static let mask = "***"

    /// `url` with its user-info, query values and fragment masked.
    public static func redact(_ url: String) -> String {
        var rest = Substring(url)
        var out = ""
        if let schemeEnd = rest.range(of: "://") {
            out += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
        }
        // The authority ends at the first / ? or #; a password holding one of them unencoded
        // (a malformed URL, shown in InvalidURL messages) is caught by the last @ before ? or #.
        let queryStart = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authorityEnd = rest[..<queryStart].firstIndex(of: "/") ?? queryStart
        let head = rest[..<authorityEnd]
        if !head.contains("@"), !head.hasSuffix("]"), let colon = head.lastIndex(of: ":"),
           !head[head.index(after: colon)...].allSatisfy(\.isNumber),
           let at = rest[..<queryStart].lastIndex(of: "@") {
            authorityEnd = rest[at...].firstIndex(of: "/") ?? queryStart
        }
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            out += mask + authority[at...]
        } else {
            out += authority
        }
        rest = rest[authorityEnd...]
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            out += rest[...question]
            let query = rest[rest.index(after: question)...]
            out += query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
                if parameter.isEmpty { return "" }
                guard let equals = parameter.firstIndex(of: "=") else { return mask }
                return parameter[...equals] + mask
            }.joined(separator: "&")
        } else {
            out += rest
        }
        if let fragment { out += fragment.isEmpty ? "#" : "#" + mask }
        return out
    }

    /// `text` with every `scheme://…` URL in it redacted (a URL ends at whitespace, a quote,
    /// `<`, `>` or a closing bracket), for messages that quote URLs, such as a redirect's target.
    public static func redactURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var index = text.startIndex
        while let marker = text.range(of: "://", range: index..<text.endIndex) {
            // The scheme: letters, digits, + - . immediately before "://".
            var schemeStart = marker.lowerBound
            while schemeStart > index {
                let before = text[text.index(before: schemeStart)]
                guard before.isASCII, before.isLetter || before.isNumber || "+-.".contains(before) else { break }
                schemeStart = text.index(before: schemeStart)
            }
            let end = text[marker.upperBound...].firstIndex(where: { $0.isWhitespace || "\"'<>)]}".contains($0) }) ?? text.endIndex
            out += text[index..<schemeStart]
            out += redact(String(text[schemeStart..<end]))
            index = end
        }
        out += text[index...]
        return out
    }
}
