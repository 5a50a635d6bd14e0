/// The name and label syntax rules of Kubernetes, as plain checks that return what is wrong.
enum KubernetesSyntax {
    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isLowerAlphanumeric(scalar) || ("A"..."Z").contains(scalar)
    }

    /// A DNS-1123 subdomain (node names, label prefixes): at most 253 characters of lower-case
    /// letters, digits, "-" and ".", starting and ending with a letter or digit.
    static func dnsSubdomainProblem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.count > 253 { return "it is longer than 253 characters" }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            if let problem = dnsLabelProblem(String(label), maxLength: 63) { return problem }
        }
        return nil
    }

    /// A DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter
    /// or digit, at most `maxLength` characters.
    static func dnsLabelProblem(_ text: String, maxLength: Int = 63) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return "it has an empty part" }
        if scalars.count > maxLength { return "it is longer than \(maxLength) characters" }
        if let bad = scalars.first(where: { !isLowerAlphanumeric($0) && $0 != "-" }) {
            return "it contains \"\(bad)\"; use lower-case letters, digits and \"-\""
        }
        if !isLowerAlphanumeric(first) || !isLowerAlphanumeric(last) {
            return "it must start and end with a lower-case letter or digit"
        }
        return nil
    }

    /// A DNS-1035 label (Service names): like a DNS-1123 label, but starting with a letter.
    static func dns1035LabelProblem(_ text: String) -> String? {
        if let problem = dnsLabelProblem(text) { return problem }
        if let first = text.unicodeScalars.first, !("a"..."z").contains(first) { return "it must start with a lower-case letter" }
        return nil
    }

    /// A label key: an optional DNS subdomain prefix and "/", then a name of at most 63
    /// letters, digits, "-", "_" and ".", starting and ending with a letter or digit.
    static func labelKeyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 { return "it contains more than one \"/\"" }
        if parts.count == 2, let problem = dnsSubdomainProblem(String(parts[0])) {
            return "its prefix \"\(parts[0])\" is not a DNS subdomain: \(problem)"
        }
        guard let name = parts.last, !name.isEmpty else { return "its name is empty" }
        return labelNameProblem(String(name))
    }

    /// A label value: empty, or at most 63 letters, digits, "-", "_" and ".", starting and
    /// ending with a letter or digit.
    static func labelValueProblem(_ value: String) -> String? {
        value.isEmpty ? nil : labelNameProblem(value)
    }

    private static func labelNameProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        if scalars.count > 63 { return "it is longer than 63 characters" }
        if let bad = scalars.first(where: { !isAlphanumeric($0) && $0 != "-" && $0 != "_" && $0 != "." }) {
            return "it contains \"\(bad)\"; use letters, digits, \"-\", \"_\" and \".\""
        }
        if let first = scalars.first, let last = scalars.last, !isAlphanumeric(first) || !isAlphanumeric(last) {
            return "it must start and end with a letter or digit"
        }
        return nil
    }

    /// Whether the text is exactly `count` hexadecimal digits; otherwise what is wrong.
    static func hexDigestProblem(_ text: String, count: Int) -> String? {
        let scalars = Array(text.unicodeScalars)
        if let index = scalars.firstIndex(where: { !$0.properties.isASCIIHexDigit }) {
            return "but character \(index + 1) is \"\(scalars[index])\""
        }
        if scalars.count != count { return "got \(scalars.count) characters" }
        return nil
    }
}
