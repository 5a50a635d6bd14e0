/// Selects objects by labels: all `matchLabels` must match and every expression must hold.
public struct LabelSelector: Codable, Sendable, Hashable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether a set of labels satisfies this selector.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for requirement in matchExpressions ?? [] where !requirement.matches(labels) { return false }
        return true
    }

    /// The selector in the `labelSelector` query syntax (`app=x,tier in (a,b)`).
    public var queryString: String {
        var parts = (matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in matchExpressions ?? [] {
            let values = (requirement.values ?? []).joined(separator: ",")
            switch requirement.operator {
            case "In": parts.append("\(requirement.key) in (\(values))")
            case "NotIn": parts.append("\(requirement.key) notin (\(values))")
            case "Exists": parts.append(requirement.key)
            case "DoesNotExist": parts.append("!\(requirement.key)")
            default: continue
            }
        }
        return parts.joined(separator: ",")
    }
}

/// One expression of a label selector: `key` `operator` (`In`, `NotIn`, `Exists`, `DoesNotExist`) `values`.
public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]?

    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case "In": return labels[key].map { (values ?? []).contains($0) } ?? false
        case "NotIn": return labels[key].map { !(values ?? []).contains($0) } ?? true
        case "Exists": return labels[key] != nil
        case "DoesNotExist": return labels[key] == nil
        default: return false
        }
    }
}
