import Foundation
import KubeModel

/// Evaluates a parsed ``CELExpression`` over JSON values.
enum CELEvaluator {
    static func evaluate(_ node: CELExpression.Node, scope: [String: JSONValue]) throws(CELError) -> JSONValue {
        switch node {
        case .literal(let value):
            return value
        case .identifier(let name):
            guard let value = scope[name] else { throw CELError.runtime("undeclared reference to '\(name)'") }
            return value
        case .list(let elements):
            var values: [JSONValue] = []
            for element in elements { values.append(try evaluate(element, scope: scope)) }
            return .array(values)
        case .select(let target, let field):
            let base = try evaluate(target, scope: scope)
            guard let value = base[field] else { throw CELError.runtime("no such key: \(field)") }
            return value
        case .index(let target, let indexNode):
            let base = try evaluate(target, scope: scope)
            let index = try evaluate(indexNode, scope: scope)
            if let position = index.intValue, let element = base[Int(position)] { return element }
            if let key = index.stringValue, let element = base[key] { return element }
            throw CELError.runtime("index out of range or no such key: \(index.jsonString)")
        case .has(let target, let field):
            let base = try evaluate(target, scope: scope)
            // A null property counts as absent, as in Kubernetes.
            return .bool(base[field].map { !$0.isNull } ?? false)
        case .unary(let op, let operand):
            let value = try evaluate(operand, scope: scope)
            if op == "!", let bool = value.boolValue { return .bool(!bool) }
            if op == "-", case .int(let int) = value { return .int(-int) }
            if op == "-", case .double(let double) = value { return .double(-double) }
            throw CELError.runtime("no such overload: \(op)\(value.jsonString)")
        case .binary(let op, let leftNode, let rightNode):
            return try binary(op, leftNode, rightNode, scope: scope)
        case .conditional(let condition, let whenTrue, let whenFalse):
            guard let test = try evaluate(condition, scope: scope).boolValue else {
                throw CELError.runtime("conditional needs a bool")
            }
            return try evaluate(test ? whenTrue : whenFalse, scope: scope)
        case .call(let name, let target, let argumentNodes):
            var arguments: [JSONValue] = []
            if let target { arguments.append(try evaluate(target, scope: scope)) }
            for argument in argumentNodes { arguments.append(try evaluate(argument, scope: scope)) }
            return try call(name, arguments)
        case .macro(let name, let target, let variable, let body):
            return try macro(name, target: try evaluate(target, scope: scope), variable: variable, body: body, scope: scope)
        }
    }

    private static func binary(_ op: String, _ leftNode: CELExpression.Node, _ rightNode: CELExpression.Node,
                               scope: [String: JSONValue]) throws(CELError) -> JSONValue {
        if op == "&&" || op == "||" {
            // CEL's commutative short-circuit: an error on one side is absorbed by a decisive other side.
            let left = Result { () throws(CELError) in try evaluate(leftNode, scope: scope) }
            if case .success(.bool(let value)) = left, value == (op == "||") { return .bool(value) }
            let right = try evaluate(rightNode, scope: scope)
            if case .bool(let value) = right, value == (op == "||") { return .bool(value) }
            let leftValue = try left.get()
            guard leftValue.boolValue != nil, right.boolValue != nil else {
                throw CELError.runtime("no such overload: \(op) on non-bool values")
            }
            return .bool(op == "||" ? false : true)
        }
        let left = try evaluate(leftNode, scope: scope)
        let right = try evaluate(rightNode, scope: scope)
        switch op {
        case "==": return .bool(equal(left, right))
        case "!=": return .bool(!equal(left, right))
        case "in":
            if let list = right.arrayValue { return .bool(list.contains { equal($0, left) }) }
            if let key = left.stringValue, case .object(let members) = right { return .bool(members[key] != nil) }
            throw CELError.runtime("no such overload: in")
        case "<", "<=", ">", ">=":
            let order: Int
            if let a = left.doubleValue, let b = right.doubleValue {
                order = a < b ? -1 : (a > b ? 1 : 0)
            } else if let a = left.stringValue, let b = right.stringValue {
                order = a < b ? -1 : (a > b ? 1 : 0)
            } else {
                throw CELError.runtime("no such overload: \(op)")
            }
            switch op {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            return try arithmetic(op, left, right)
        }
    }

    private static func arithmetic(_ op: String, _ left: JSONValue, _ right: JSONValue) throws(CELError) -> JSONValue {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            switch op {
            case "+": return .int(a &+ b)
            case "-": return .int(a &- b)
            case "*": return .int(a &* b)
            case "/", "%":
                guard b != 0 else { throw CELError.runtime("division by zero") }
                return .int(op == "/" ? a / b : a % b)
            default: break
            }
        case (.string(let a), .string(let b)) where op == "+":
            return .string(a + b)
        case (.array(let a), .array(let b)) where op == "+":
            return .array(a + b)
        default:
            if case .int = left { break }
            if let a = left.doubleValue, let b = right.doubleValue, case .double = left {
                switch op {
                case "+": return .double(a + b)
                case "-": return .double(a - b)
                case "*": return .double(a * b)
                case "/": return .double(a / b)
                default: break
                }
            }
        }
        throw CELError.runtime("no such overload: \(left.jsonString) \(op) \(right.jsonString)")
    }

    private static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = left.doubleValue, let b = right.doubleValue { return a == b }
        return left == right
    }

    private static func call(_ name: String, _ arguments: [JSONValue]) throws(CELError) -> JSONValue {
        switch (name, arguments.count) {
        case ("size", 1):
            switch arguments[0] {
            case .string(let s): return .int(Int64(s.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            default: throw CELError.runtime("no such overload: size")
            }
        case ("int", 1):
            if let i = arguments[0].intValue { return .int(i) }
            if let d = arguments[0].doubleValue { return .int(Int64(d)) }
            if let s = arguments[0].stringValue, let i = Int64(s) { return .int(i) }
        case ("double", 1):
            if let d = arguments[0].doubleValue { return .double(d) }
            if let s = arguments[0].stringValue, let d = Double(s) { return .double(d) }
        case ("string", 1):
            switch arguments[0] {
            case .string(let s): return .string(s)
            case .int(let i): return .string(String(i))
            case .double(let d): return .string(String(d))
            case .bool(let b): return .string(String(b))
            default: break
            }
        case ("startsWith", 2), ("endsWith", 2), ("contains", 2), ("matches", 2):
            guard let text = arguments[0].stringValue, let other = arguments[1].stringValue else { break }
            switch name {
            case "startsWith": return .bool(text.hasPrefix(other))
            case "endsWith": return .bool(text.hasSuffix(other))
            case "contains": return .bool(text.contains(other))
            default:
                guard let matched = CompiledPatterns.matches(other, in: text) else {
                    throw CELError.runtime("invalid regular expression \(other)")
                }
                return .bool(matched)
            }
        default:
            break
        }
        throw CELError.runtime("no such overload: \(name)(\(arguments.map(\.jsonString).joined(separator: ", ")))")
    }

    private static func macro(_ name: String, target: JSONValue, variable: String, body: CELExpression.Node,
                              scope: [String: JSONValue]) throws(CELError) -> JSONValue {
        let elements: [JSONValue]
        switch target {
        case .array(let values): elements = values
        case .object(let members): elements = members.keys.sorted().map { .string($0) }
        default: throw CELError.runtime("\(name) needs a list or map")
        }
        var results: [JSONValue] = []
        var count = 0
        for element in elements {
            var inner = scope
            inner[variable] = element
            let value = try evaluate(body, scope: inner)
            switch name {
            case "exists": if value == .bool(true) { return .bool(true) }
            case "all": if value != .bool(true) { return .bool(false) }
            case "exists_one": if value == .bool(true) { count += 1 }
            case "map": results.append(value)
            default: if value == .bool(true) { results.append(element) }
            }
        }
        switch name {
        case "exists": return .bool(false)
        case "all": return .bool(true)
        case "exists_one": return .bool(count == 1)
        default: return .array(results)
        }
    }
}
