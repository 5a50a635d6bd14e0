import Foundation
import KubeModel

/// Small accessors for the `metadata` of objects held as JSON.
extension JSONValue {
    var metaName: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    var metaNamespace: String? { self[path: ["metadata", "namespace"]]?.stringValue }
    var metaUID: String { self[path: ["metadata", "uid"]]?.stringValue ?? "" }
    var metaResourceVersion: String { self[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    var metaFinalizers: [String] { (self[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue) }
    var metaDeletionTimestamp: String? { self[path: ["metadata", "deletionTimestamp"]]?.stringValue }
    var ownerReferences: [JSONValue] { self[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] }
}

/// Timestamps as the API server writes them (RFC 3339, seconds, UTC).
enum Timestamp {
    static func now() -> String { format(Date()) }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }

    static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(text)
    }
}

/// Where an object lives: its namespace (empty for cluster-scoped) and name; sorts the way
/// lists are ordered.
struct ObjectKey: Hashable, Comparable, Sendable {
    var namespace: String
    var name: String

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }

    var text: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// Name rules the API server enforces on `metadata.name`.
enum NameValidation {
    static func subdomainError(_ name: String, field: String = "metadata.name") -> FieldError? {
        let valid = ASCIIName.matches(name, maxLength: 253, first: ASCIIName.isLowerAlphanumeric,
                                      inner: { ASCIIName.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") },
                                      last: ASCIIName.isLowerAlphanumeric)
        if valid { return nil }
        return .invalid(field, .string(name),
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    }

    static func labelError(_ name: String, field: String = "metadata.name") -> FieldError? {
        let valid = ASCIIName.matches(name, maxLength: 63, first: ASCIIName.isLowerAlphanumeric,
                                      inner: { ASCIIName.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") },
                                      last: ASCIIName.isLowerAlphanumeric)
        if valid { return nil }
        return .invalid(field, .string(name),
                        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                            + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
    }

    static func dns1035LabelError(_ name: String, field: String = "metadata.name") -> FieldError? {
        let valid = ASCIIName.matches(name, maxLength: 63, first: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") },
                                      inner: { ASCIIName.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") },
                                      last: ASCIIName.isLowerAlphanumeric)
        if valid { return nil }
        return .invalid(field, .string(name),
                        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                            + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                            + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
    }

    /// Errors for label keys and values that the real server rejects.
    static func labelErrors(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let labels = object[path: ["metadata", "labels"]]?.objectValue ?? [:]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            let name = key.split(separator: "/", maxSplits: 1).last.map(String.init) ?? key
            let prefix = key.contains("/") ? String(key.split(separator: "/", maxSplits: 1)[0]) : nil
            if !isQualifiedNamePart(name) || prefix.map({ subdomainError($0) != nil }) == true {
                errors.append(.invalid("metadata.labels", .string(key),
                                       "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                                           + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                                           + "or '123-abc', regex used for validation is "
                                           + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
            }
            guard let text = value.stringValue else {
                errors.append(.invalid("metadata.labels", value, "label values must be strings"))
                continue
            }
            if !text.isEmpty && !isQualifiedNamePart(text) {
                errors.append(.invalid("metadata.labels", value,
                                       "a valid label must be an empty string or consist of alphanumeric characters, "
                                           + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                                           + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                                           + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"))
            }
        }
        return errors
    }

    private static func isQualifiedNamePart(_ text: String) -> Bool {
        ASCIIName.matches(text, maxLength: 63, first: ASCIIName.isAlphanumeric,
                          inner: { ASCIIName.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                              || $0 == UInt8(ascii: ".") },
                          last: ASCIIName.isAlphanumeric)
    }

    /// Five random lower-case alphanumerics, as `generateName` appends.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

/// The character tests of the API server's name rules, over UTF-8 bytes: every rule admits
/// ASCII only, so a byte test is exact, and it runs on every write's names and labels.
enum ASCIIName {
    /// `text` is 1...`maxLength` bytes, its first and last pass `first` and `last`, every byte `inner`.
    static func matches(_ text: String, maxLength: Int, first: (UInt8) -> Bool, inner: (UInt8) -> Bool,
                        last: (UInt8) -> Bool) -> Bool {
        let bytes = text.utf8
        guard let head = bytes.first, let tail = bytes.last, bytes.count <= maxLength else { return false }
        return first(head) && last(tail) && bytes.allSatisfy(inner)
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
