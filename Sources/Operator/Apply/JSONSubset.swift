import KubeClient

extension JSONValue {
    /// Whether every field set in `self` has the same value in `other`; fields only `other` has
    /// (server defaults, fields others manage) do not count. Arrays must match element by element.
    /// Numbers compare by value (`1` equals `1.0`).
    public func isSubset(of other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            return mine.allSatisfy { key, value in
                guard let their = theirs[key] else { return value.isEmptyish }
                return value.isSubset(of: their)
            }
        case (.array(let mine), .array(let theirs)):
            return mine.count == theirs.count && zip(mine, theirs).allSatisfy { $0.isSubset(of: $1) }
        case (.int, .double), (.double, .int), (.double, .double):
            return doubleValue == other.doubleValue
        default:
            return self == other
        }
    }

    /// Empty objects and arrays, which servers often drop.
    private var isEmptyish: Bool {
        switch self {
        case .object(let members): return members.isEmpty
        case .array(let elements): return elements.isEmpty
        default: return false
        }
    }
}
