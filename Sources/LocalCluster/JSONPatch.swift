import Foundation
import KubeModel

/// RFC 6902 JSON Patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
enum JSONPatch {
    static func apply(_ patch: JSONValue, to document: JSONValue) throws(APIError) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw APIError.badRequest("json patch must be a JSON array of operations")
        }
        var result = document
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw APIError.badRequest("json patch operation needs \"op\" and \"path\": \(operation.jsonString)")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                result = try add(operation["value"] ?? .null, at: pointer, in: result)
            case "remove":
                result = try remove(at: pointer, in: result).document
            case "replace":
                _ = try value(at: pointer, in: result)
                result = try remove(at: pointer, in: result).document
                result = try add(operation["value"] ?? .null, at: pointer, in: result)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else {
                    throw APIError.badRequest("json patch \(op) needs \"from\"")
                }
                let fromPointer = try parsePointer(from)
                let moved = try value(at: fromPointer, in: result)
                if op == "move" { result = try remove(at: fromPointer, in: result).document }
                result = try add(moved, at: pointer, in: result)
            case "test":
                let actual = try value(at: pointer, in: result)
                if actual != (operation["value"] ?? .null) {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "the server rejected our request due to an error in our request: "
                                       + "testing value \(path) failed")
                }
            default:
                throw APIError.badRequest("json patch: unknown operation \"\(op)\"")
            }
        }
        return result
    }

    static func parsePointer(_ path: String) throws(APIError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw APIError.badRequest("json patch path must start with '/': \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func value(at pointer: [String], in document: JSONValue) throws(APIError) -> JSONValue {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw missing(pointer) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(pointer) }
                current = elements[index]
            default:
                throw missing(pointer)
            }
        }
        return current
    }

    private static func missing(_ pointer: [String]) -> APIError {
        APIError(code: 422, reason: "Invalid",
                 message: "the server rejected our request due to an error in our request: "
                     + "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
    }

    static func add(_ value: JSONValue, at pointer: [String], in document: JSONValue) throws(APIError) -> JSONValue {
        guard let first = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[first] = value
            } else {
                guard let child = members[first] else { throw missing(pointer) }
                members[first] = try add(value, at: rest, in: child)
            }
            return .object(members)
        case .array(var elements):
            if rest.isEmpty {
                if first == "-" {
                    elements.append(value)
                } else {
                    guard let index = Int(first), index >= 0, index <= elements.count else { throw missing(pointer) }
                    elements.insert(value, at: index)
                }
            } else {
                guard let index = Int(first), elements.indices.contains(index) else { throw missing(pointer) }
                elements[index] = try add(value, at: rest, in: elements[index])
            }
            return .array(elements)
        default:
            throw missing(pointer)
        }
    }

    static func remove(at pointer: [String], in document: JSONValue) throws(APIError)
        -> (document: JSONValue, removed: JSONValue)
    {
        guard let first = pointer.first else { throw missing(pointer) }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[first] else { throw missing(pointer) }
            if rest.isEmpty {
                members.removeValue(forKey: first)
                return (.object(members), child)
            }
            let (updated, removed) = try remove(at: rest, in: child)
            members[first] = updated
            return (.object(members), removed)
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { throw missing(pointer) }
            if rest.isEmpty {
                let removed = elements.remove(at: index)
                return (.array(elements), removed)
            }
            let (updated, removed) = try remove(at: rest, in: elements[index])
            elements[index] = updated
            return (.array(elements), removed)
        default:
            throw missing(pointer)
        }
    }
}
