/// One value of a document `FastJSONDecoder` is decoding, for a type that builds itself straight
/// from the JSON instead of through `Decoder` containers (a JSON tree type does, in one pass).
///
/// Reading a value checks it as Foundation's JSONDecoder would when decoding it; failures are
/// `DecodingError`s with the value's coding path.
public struct FastJSONValue {
    let decoder: TapeDecoder

    /// What a value is.
    public enum Kind: Sendable, Hashable {
        case null, bool, number, string, array, object
    }

    public var kind: Kind {
        switch decoder.entry.kind {
        case .null: return .null
        case .true, .false: return .bool
        case .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// The value for a `bool`, else nil.
    public var boolValue: Bool? {
        switch decoder.entry.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// Where the value is, for errors.
    public var codingPath: [any CodingKey] { decoder.codingPath }

    /// A string, as `decode(String.self)` reads it.
    public func string() throws -> String { try decoder.decode(String.self) }

    /// A number as `decode(Int64.self)` reads it (`2.0` and `1e3` included).
    public func int64() throws -> Int64 { try decoder.decode(Int64.self) }

    /// A number as `decode(Double.self)` reads it.
    public func double() throws -> Double { try decoder.decode(Double.self) }

    /// The elements of an array, in order (empty for anything else).
    public var elements: [FastJSONValue] {
        let entry = decoder.entry
        guard entry.kind == .array else { return [] }
        var result: [FastJSONValue] = []
        result.reserveCapacity(Int(entry.second))
        var child = decoder.index + 1
        for _ in 0..<Int(entry.second) {
            result.append(FastJSONValue(decoder: decoder.child(child)))
            child = decoder.document.next(after: child)
        }
        return result
    }

    /// The members of an object in document order, duplicates included (empty for anything else).
    /// Throws when a key is not a valid string.
    public func members() throws -> [(key: String, value: FastJSONValue)] {
        let entry = decoder.entry
        guard entry.kind == .object else { return [] }
        var result: [(key: String, value: FastJSONValue)] = []
        result.reserveCapacity(Int(entry.second))
        var child = decoder.index + 1
        for _ in 0..<Int(entry.second) {
            let key: String
            do {
                key = try decoder.document.string(at: child)
            } catch {
                throw decoder.corrupted(error)
            }
            result.append((key, FastJSONValue(decoder: decoder.child(child + 1))))
            child = decoder.document.next(after: child + 1)
        }
        return result
    }
}

/// A decoder that can hand over its value directly: `FastJSONDecoder`'s decoders are.
/// `init(from:)` of a JSON tree type checks for it and reads the whole value in one pass.
public protocol FastJSONValueDecoder: Decoder {
    var fastJSONValue: FastJSONValue { get }
}

extension TapeDecoder: FastJSONValueDecoder {
    var fastJSONValue: FastJSONValue { FastJSONValue(decoder: self) }
}
