import Foundation
import KubeModel

/// Checks a JSON value against a CRD's structural OpenAPI v3 schema, as the API server does
/// before CEL rules: type, nullable, enum, pattern, lengths, bounds, required, unknown fields,
/// int-or-string, and the uniqueness of `x-kubernetes-list-type` map and set lists.
///
/// CEL rules are not evaluated; the tests check those through the validator, which mirrors them.
struct SchemaChecker {
    /// Every violation, each as `path: what is wrong`.
    static func violations(of value: JSONValue, against schema: JSONValue, path: String = "") -> [String] {
        var checker = SchemaChecker()
        checker.check(value, schema, path)
        return checker.found
    }

    private var found: [String] = []

    private mutating func fail(_ path: String, _ message: String) {
        found.append("\(path.isEmpty ? "<root>" : path): \(message)")
    }

    private mutating func check(_ value: JSONValue, _ schema: JSONValue, _ path: String) {
        if value.isNull {
            if schema["nullable"]?.boolValue != true { fail(path, "null is not allowed") }
            return
        }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            switch value {
            case .int, .string: break
            default: fail(path, "must be an integer or a string")
            }
        } else if let type = schema["type"]?.stringValue, !matches(value, type: type) {
            fail(path, "must be of type \(type), got \(value.jsonString)")
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            fail(path, "\(value.jsonString) is not one of \(JSONValue.array(allowed).jsonString)")
        }
        switch value {
        case .string(let text): checkString(text, schema, path)
        case .int, .double: checkNumber(value.doubleValue ?? 0, schema, path)
        case .array(let items): checkArray(items, schema, path)
        case .object(let members): checkObject(members, schema, path)
        default: break
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int):
            return true
        case ("number", .int), ("number", .double):
            return true
        default:
            return false
        }
    }

    private mutating func checkString(_ text: String, _ schema: JSONValue, _ path: String) {
        let length = text.count
        if let minimum = schema["minLength"]?.intValue, length < minimum {
            fail(path, "must be at least \(minimum) characters, got \(length)")
        }
        if let maximum = schema["maxLength"]?.intValue, length > maximum {
            fail(path, "must be at most \(maximum) characters, got \(length)")
        }
        if let pattern = schema["pattern"]?.stringValue {
            if let regex = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(text.startIndex..., in: text)
                if regex.firstMatch(in: text, range: range) == nil {
                    fail(path, "\"\(text)\" does not match \(pattern)")
                }
            } else {
                fail(path, "the schema's pattern \(pattern) does not compile")
            }
        }
        if schema["format"]?.stringValue == "date-time", RFC3339Check.isDateTime(text) == false {
            fail(path, "\"\(text)\" is not an RFC 3339 date-time")
        }
    }

    private mutating func checkNumber(_ number: Double, _ schema: JSONValue, _ path: String) {
        if let minimum = schema["minimum"]?.doubleValue, number < minimum {
            fail(path, "must be at least \(minimum), got \(number)")
        }
        if let maximum = schema["maximum"]?.doubleValue, number > maximum {
            fail(path, "must be at most \(maximum), got \(number)")
        }
    }

    private mutating func checkArray(_ items: [JSONValue], _ schema: JSONValue, _ path: String) {
        if let minimum = schema["minItems"]?.intValue, items.count < minimum {
            fail(path, "must have at least \(minimum) items, got \(items.count)")
        }
        if let maximum = schema["maxItems"]?.intValue, items.count > maximum {
            fail(path, "must have at most \(maximum) items, got \(items.count)")
        }
        if let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { check(item, itemSchema, "\(path)[\(index)]") }
        }
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "set":
            var seen = Set<JSONValue>()
            for (index, item) in items.enumerated() where !seen.insert(item).inserted {
                fail("\(path)[\(index)]", "duplicate value \(item.jsonString) in a set")
            }
        case "map":
            let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
            var seen = Set<[JSONValue]>()
            for (index, item) in items.enumerated() {
                let key = keys.map { item[$0] ?? .null }
                if !seen.insert(key).inserted {
                    fail("\(path)[\(index)]", "duplicate entry with \(keys.joined(separator: ",")) \(JSONValue.array(key).jsonString)")
                }
            }
        default:
            break
        }
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ schema: JSONValue, _ path: String) {
        if let maximum = schema["maxProperties"]?.intValue, members.count > maximum {
            fail(path, "must have at most \(maximum) properties, got \(members.count)")
        }
        for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
            fail(path, "\(name) is required")
        }
        let properties = schema["properties"]?.objectValue
        let additional = schema["additionalProperties"]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            let memberPath = path.isEmpty ? name : "\(path).\(name)"
            if let propertySchema = properties?[name] {
                check(member, propertySchema, memberPath)
            } else if let additional, additional.objectValue != nil {
                check(member, additional, memberPath)
            } else if properties != nil, schema["x-kubernetes-preserve-unknown-fields"]?.boolValue != true {
                fail(memberPath, "unknown field (the API server would drop it)")
            }
        }
    }
}

/// RFC 3339 date-time syntax, as the `date-time` format requires.
enum RFC3339Check {
    static func isDateTime(_ text: String) -> Bool {
        let pattern = #"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }
}
