import Foundation
@testable import KubeModel

extension JSONValue {
    /// The value with every `null` member removed, recursively (what an encoder that omits absent optionals yields).
    var removingNulls: JSONValue {
        switch self {
        case .object(let members):
            // Filter first: a `nil` literal in a closure returning JSONValue? would become `.null`.
            return .object(members.filter { !$0.value.isNull }.mapValues(\.removingNulls))
        case .array(let elements):
            return .array(elements.map(\.removingNulls))
        default:
            return self
        }
    }

    /// Whether any `null` appears anywhere inside.
    var containsNull: Bool {
        switch self {
        case .null: return true
        case .object(let members): return members.values.contains { $0.containsNull }
        case .array(let elements): return elements.contains { $0.containsNull }
        default: return false
        }
    }

    /// The value with the member at `path` removed.
    func removing(_ path: [String]) -> JSONValue {
        var copy = self
        copy[path: path] = nil
        return copy
    }
}

/// Encodes a value and parses the bytes back, so tests see exactly what goes on the wire.
func wireJSON<T: Encodable>(_ value: T) throws -> JSONValue {
    try JSONValue.parse(JSONEncoder().encode(value))
}

/// The paths at which two JSON values differ (empty when equal), for readable test failures.
func jsonDifferences(_ actual: JSONValue, _ expected: JSONValue, path: String = "") -> [String] {
    switch (actual, expected) {
    case (.object(let left), .object(let right)):
        var differences: [String] = []
        for key in Set(left.keys).union(right.keys).sorted() {
            switch (left[key], right[key]) {
            case (let a?, let b?): differences += jsonDifferences(a, b, path: path + "/" + key)
            case (nil, let b?): differences.append("\(path)/\(key): missing, expected \(b.jsonString)")
            case (let a?, nil): differences.append("\(path)/\(key): unexpected \(a.jsonString)")
            case (nil, nil): break
            }
        }
        return differences
    case (.array(let left), .array(let right)) where left.count == right.count:
        return zip(left, right).enumerated().flatMap { jsonDifferences($1.0, $1.1, path: "\(path)/\($0)") }
    default:
        return actual == expected ? [] : ["\(path): \(actual.jsonString), expected \(expected.jsonString)"]
    }
}
