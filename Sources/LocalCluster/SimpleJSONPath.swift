import Foundation
import KubeModel

/// The JSONPath subset printer columns use: `.a.b`, `.a[0].b`, `.a[*].b`, `.a[?(@.type=="Ready")].status`,
/// optionally wrapped in `{...}`. Results are the matched values, in order.
enum SimpleJSONPath {
    static func evaluate(_ path: String, in object: JSONValue) -> [JSONValue] {
        var expression = path.trimmingCharacters(in: .whitespaces)
        if expression.hasPrefix("{"), expression.hasSuffix("}") { expression = String(expression.dropFirst().dropLast()) }
        if expression.hasPrefix("$") { expression.removeFirst() }
        var current: [JSONValue] = [object]
        for step in steps(expression) {
            current = current.flatMap { apply(step, to: $0) }
        }
        return current
    }

    /// The cell text for a column: matches joined by commas; nil when nothing matched.
    static func text(_ path: String, in object: JSONValue) -> JSONValue? {
        let values = evaluate(path, in: object)
        if values.isEmpty { return nil }
        if values.count == 1 { return values[0] }
        return .string(values.map(render).joined(separator: ","))
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return ""
        default: return value.jsonString
        }
    }

    private enum Step {
        case field(String)
        case index(Int)
        case all
        case filter(path: [String], value: String)
    }

    private static func steps(_ expression: String) -> [Step] {
        var steps: [Step] = []
        var index = expression.startIndex
        while index < expression.endIndex {
            let character = expression[index]
            if character == "." {
                index = expression.index(after: index)
                var name = ""
                while index < expression.endIndex, expression[index] != ".", expression[index] != "[" {
                    name.append(expression[index])
                    index = expression.index(after: index)
                }
                if !name.isEmpty { steps.append(.field(name)) }
            } else if character == "[" {
                guard let close = expression[index...].firstIndex(of: "]") else { break }
                var inner = String(expression[expression.index(after: index)..<close])
                index = expression.index(after: close)
                if inner == "*" {
                    steps.append(.all)
                } else if let number = Int(inner) {
                    steps.append(.index(number))
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")") {
                    inner = String(inner.dropFirst(4).dropLast())
                    let parts = inner.components(separatedBy: "==")
                    if parts.count == 2 {
                        let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                        steps.append(.filter(path: parts[0].trimmingCharacters(in: .whitespaces)
                            .split(separator: ".").map(String.init), value: value))
                    }
                } else {
                    steps.append(.field(inner.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))))
                }
            } else {
                var name = ""
                while index < expression.endIndex, expression[index] != ".", expression[index] != "[" {
                    name.append(expression[index])
                    index = expression.index(after: index)
                }
                if !name.isEmpty { steps.append(.field(name)) }
            }
        }
        return steps
    }

    private static func apply(_ step: Step, to value: JSONValue) -> [JSONValue] {
        switch step {
        case .field(let name): return value[name].map { [$0] } ?? []
        case .index(let position):
            guard let elements = value.arrayValue else { return [] }
            let resolved = position < 0 ? elements.count + position : position
            return elements.indices.contains(resolved) ? [elements[resolved]] : []
        case .all:
            if let elements = value.arrayValue { return elements }
            if let members = value.objectValue { return members.keys.sorted().compactMap { members[$0] } }
            return []
        case .filter(let path, let expected):
            return (value.arrayValue ?? []).filter { element in
                element[path: path].map(render) == expected
            }
        }
    }
}

/// Ages as kubectl prints them (`45s`, `3m12s`, `5h`, `2d3h`), like k8s.io/apimachinery's HumanDuration.
enum HumanDuration {
    static func text(since timestamp: String, now: Date = Date()) -> String {
        guard let date = Timestamp.parse(timestamp) else { return "<unknown>" }
        return text(now.timeIntervalSince(date))
    }

    static func text(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        let days = hours / 24
        if hours < 24 * 365 * 8 { return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d" }
        return "\(days / 365)y"
    }
}
