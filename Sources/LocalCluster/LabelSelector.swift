import Foundation
import KubeModel

/// A parsed label selector (`app=web,tier!=db,env in (a,b),!legacy,gpu`), matched against
/// an object's labels.
public struct LabelSelector: Sendable, Equatable {
    enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement]

    public static let everything = LabelSelector(requirements: [])

    init(requirements: [Requirement]) { self.requirements = requirements }

    /// Parses the query-string form; throws a 400 BadRequest error describing the bad part.
    public init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            requirements.append(try Self.parseTerm(term))
        }
        self.requirements = requirements
    }

    /// A selector from the structured form (`matchLabels` / `matchExpressions`).
    public init(structured selector: JSONValue) {
        var requirements: [Requirement] = []
        for (key, value) in (selector["matchLabels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append(.equals(key, value.stringValue ?? ""))
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch expression["operator"]?.stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: break
            }
        }
        self.requirements = requirements
    }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .isIn(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return !(labels[key].map(values.contains) ?? false)
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            }
        }
    }

    public func matches(object: JSONValue) -> Bool {
        matches(Self.labels(of: object))
    }

    static func labels(of object: JSONValue) -> [String: String] {
        (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// The query-string form (`a=b,c in (d,e)`), as the scale subresource reports it.
    public var text: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): return "\(key)=\(value)"
            case .notEquals(let key, let value): return "\(key)!=\(value)"
            case .isIn(let key, let values): return "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): return "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .exists(let key): return key
            case .doesNotExist(let key): return "!\(key)"
            }
        }.joined(separator: ",")
    }

    /// Splits on commas that are not inside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func parseTerm(_ term: String) throws(APIError) -> Requirement {
        if term.hasPrefix("!") {
            let key = String(term.dropFirst()).trimmingCharacters(in: .whitespaces)
            try validateKey(key, in: term)
            return .doesNotExist(key)
        }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: op) {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                try validateKey(key, in: term)
                return make(key, value)
            }
        }
        let words = term.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        if words.count >= 2, words[1] == "in" || words[1] == "notin" {
            let rest = words.count > 2 ? words[2].trimmingCharacters(in: .whitespaces) : ""
            guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                throw APIError.badRequest("unable to parse requirement: found '\(rest)', expected: '(' in label selector \"\(term)\"")
            }
            let values = Set(rest.dropFirst().dropLast().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            })
            try validateKey(words[0], in: term)
            return words[1] == "in" ? .isIn(words[0], values) : .notIn(words[0], values)
        }
        try validateKey(term, in: term)
        return .exists(term)
    }

    private static func validateKey(_ key: String, in term: String) throws(APIError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
        if key.isEmpty || !key.allSatisfy({ allowed.contains($0) }) {
            throw APIError.badRequest("unable to parse requirement: invalid label key \"\(key)\" in selector \"\(term)\"")
        }
    }
}
