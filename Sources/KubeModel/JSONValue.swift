import FastJSON
import Foundation

/// A JSON document as a value: the common currency between YAML input, the REST client,
/// LocalCluster's storage and the typed object models.
///
/// Integers and floating-point numbers are kept apart so that `replicas: 3` round-trips as
/// `3`, never `3.0`. Objects are unordered; encoders that need stable output sort keys.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

// MARK: - Accessors

extension JSONValue {
    /// The member `key` of an object, or nil for anything else or a missing key.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let members) = self { return members[key] }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array, or nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The value at a path of object keys, such as `["metadata", "name"]`.
    public subscript(path path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else {
                if let newValue { self = newValue }
                return
            }
            var child = self[first] ?? .object([:])
            if case .object = child {} else if newValue != nil { child = .object([:]) }
            if path.count == 1 {
                self[first] = newValue
            } else {
                child[path: Array(path.dropFirst())] = newValue
                self[first] = child
            }
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as an integer: ints, and doubles that hold a whole number.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Codable

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        // FastJSONDecoder (the list and watch paths) hands over the whole value: built in one pass,
        // with the outcome the container path below has.
        if let fast = decoder as? any FastJSONValueDecoder {
            self = try JSONValue(fastJSON: fast.fastJSONValue)
            return
        }
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
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
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

// MARK: - Bytes and typed values

extension JSONValue {
    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> JSONValue {
        try FastJSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Data(text.utf8))
    }

    /// The value as JSON bytes; `sorted` gives a stable key order (for hashing and diffs).
    public func jsonData(sorted: Bool = false, pretty: Bool = false) throws -> Data {
        if !pretty {
            var writer = JSONValueWriter(sortedKeys: sorted)
            if writer.write(self) { return Data(writer.bytes) }
        }
        // Pretty output, and the error for a number JSON cannot carry, as Foundation words it.
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = [.withoutEscapingSlashes]
        if sorted { formatting.insert(.sortedKeys) }
        if pretty { formatting.insert(.prettyPrinted) }
        encoder.outputFormatting = formatting
        return try encoder.encode(self)
    }

    /// The value as a JSON string (sorted keys, compact).
    public var jsonString: String {
        String(decoding: jsonBytes, as: UTF8.self)
    }

    /// The value as compact JSON text with sorted keys, in UTF-8 (`jsonString`'s bytes, without
    /// making a `String` of them); `null` for a number JSON cannot carry.
    public var jsonBytes: [UInt8] { jsonBytes(sortedKeys: true) }

    /// The value as compact JSON text in UTF-8; with `sortedKeys: false` an object's members come
    /// in the dictionary's order (no sorting: what a server streaming many objects wants).
    public func jsonBytes(sortedKeys: Bool) -> [UInt8] {
        var writer = JSONValueWriter(sortedKeys: sortedKeys)
        guard writer.write(self) else { return Array("null".utf8) }
        return writer.bytes
    }

    /// Converts any Encodable (a typed object model) into a JSON value.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONValue.parse(data)
    }

    /// Decodes this value into a Decodable type (a typed object model).
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try FastJSONDecoder().decode(T.self, from: try jsonData())
    }
}

// MARK: - Merge patch (RFC 7386)

extension JSONValue {
    /// Applies a JSON merge patch (RFC 7386): objects merge recursively, `null` deletes a
    /// member, anything else replaces.
    public func applyingMergePatch(_ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue] = objectValue ?? [:]
        for (key, value) in patchMembers {
            if case .null = value {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).applyingMergePatch(value)
            }
        }
        return .object(result)
    }
}
