import Foundation

/// Decoding helpers that accept what users actually write in YAML.
///
/// kubectl sends JSON and the CRD types these fields as strings, but a hand-written file
/// decoded without the API server (`model-operator render -f`) may carry `targetVersion: 4`
/// or `cpu: 2` as numbers, and an empty `image:` as null.
extension KeyedDecodingContainer {
    /// A string that may have been written as a number or a boolean; nil when absent or null.
    func decodeScalarStringIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        if let number = try? decode(Double.self, forKey: key) { return String(number) }
        if let flag = try? decode(Bool.self, forKey: key) { return String(flag) }
        throw DecodingError.typeMismatch(String.self, DecodingError.Context(
            codingPath: codingPath + [key],
            debugDescription: "expected a string (or a number to be read as one)"))
    }

    /// A string where null and the empty string both mean "unset".
    func decodeNonEmptyStringIfPresent(forKey key: Key) throws -> String? {
        guard let text = try decodeScalarStringIfPresent(forKey: key), !text.isEmpty else { return nil }
        return text
    }

    /// A string-to-string map whose values may have been written as numbers (`cpu: 2`).
    func decodeScalarStringMapIfPresent(forKey key: Key) throws -> [String: String]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let raw = try decode([String: ScalarString].self, forKey: key)
        return raw.mapValues(\.text)
    }

    /// Decodes an optional value, treating an explicit null the same as an absent key.
    func decodeIfPresentNonNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decode(type, forKey: key)
    }
}

/// A scalar read as text: strings as written, numbers and booleans in their shortest form.
struct ScalarString: Decodable {
    var text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            text = value
        } else if let value = try? container.decode(Int64.self) {
            text = String(value)
        } else if let value = try? container.decode(Double.self) {
            text = String(value)
        } else if let value = try? container.decode(Bool.self) {
            text = String(value)
        } else {
            throw DecodingError.typeMismatch(String.self, DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "expected a string or a number"))
        }
    }
}
