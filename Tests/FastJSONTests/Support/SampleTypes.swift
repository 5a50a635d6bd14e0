import Foundation

/// One field of type `T`, for checking how a single value decodes.
struct Box<T: Codable & Equatable>: Codable, Equatable {
    var v: T
}

/// Every kind of field the operator's models have: scalars, optionals, arrays, maps, nested
/// objects, a raw-value enum, an int-or-string, and a JSON tree.
struct Sample: Codable, Equatable {
    var name: String
    var count: Int
    var big: Int64?
    var small: Int8?
    var unsigned: UInt?
    var ratio: Double?
    var single: Float?
    var flag: Bool?
    var tags: [String]?
    var labels: [String: String]?
    var nested: Nested?
    var items: [Nested]?
    var matrix: [[Int]]?
    var port: IntOrText?
    var tree: Tree?
    var kind: Kind?
}

struct Nested: Codable, Equatable {
    var id: Int
    var note: String?
}

enum Kind: String, Codable, Equatable {
    case edge, cloud
}

/// Like Kubernetes' IntOrString: an integer if it reads as one, else a string.
enum IntOrText: Codable, Equatable {
    case int(Int)
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

/// A JSON tree decoded through containers by trying each kind in turn, as a JSON value type does.
indirect enum Tree: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Tree])
    case object([String: Tree])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([Tree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: Tree].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// The types Foundation's JSONDecoder decodes its own way.
struct Special: Codable, Equatable {
    var data: Data?
    var url: URL?
    var date: Date?
    var decimal: Decimal?
}

/// A rich document for `Sample`, formatted with whitespace and newlines.
let sampleDocument = """
{
  "name": "model-\\u00e9\\n \\"q\\" \\/ \\ud83d\\ude80 ✓",
  "count": 42, "big": -9223372036854775808, "small": -128, "unsigned": 18446744073709551615,
  "ratio": 0.1e-2, "single": 3.25, "flag": true,
  "tags": ["a", "", "é", "\\t"],
  "labels": {"app.kubernetes.io/name": "m1", "tier": "edge", "tier": "ignored duplicate"},
  "nested": {"id": 7, "unknown": [1, {"deep": null}], "note": null},
  "items": [{"id": 1}, {"id": 2, "note": "two"}],
  "matrix": [[], [1, 2], [3]],
  "port": "http",
  "tree": {"i": 3, "d": 2.5, "e": 1e3, "s": "x", "n": null, "b": false, "a": [1, "2", [3.0]], "o": {}},
  "kind": "edge",
  "unread": {"number": 01, "escape": "\\x", "control": "\u{01}", "utf8": "ok"}
}
"""
