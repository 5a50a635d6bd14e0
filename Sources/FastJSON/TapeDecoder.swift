import Foundation

/// The `Decoder` (and single-value container) `FastJSONDecoder` hands to `init(from:)`: one value of
/// a scanned document. It is two words (document, tape index), so handing it to a nested type
/// allocates nothing; the coding path is rebuilt from the tape only when someone asks for it (for
/// an error).
///
/// Errors have the kinds and wording of Foundation's JSONDecoder (`typeMismatch`, `valueNotFound`,
/// `keyNotFound`); a malformed number or string is `dataCorrupted` naming the value and the problem.
struct TapeDecoder: Decoder, SingleValueDecodingContainer {
    let document: TapeDocument
    /// The value's tape index.
    let index: Int

    var codingPath: [any CodingKey] { document.codingPath(to: index) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    @inline(__always)
    var entry: TapeEntry { document[index] }

    /// The decoder of a value inside this one (a member or an element).
    @inline(__always)
    func child(_ valueIndex: Int) -> TapeDecoder {
        TapeDecoder(document: document, index: valueIndex)
    }

    // MARK: - Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch entry.kind {
        case .object: return KeyedDecodingContainer(try TapeKeyedContainer<Key>(decoder: self))
        case .null:
            throw DecodingError.valueNotFound([String: Any].self, DecodingError.Context(
                codingPath: codingPath, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default: throw typeMismatch([String: Any].self)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch entry.kind {
        case .array: return TapeUnkeyedContainer(decoder: self)
        case .null:
            throw DecodingError.valueNotFound([Any].self, DecodingError.Context(
                codingPath: codingPath, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default: throw typeMismatch([Any].self)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: - Single value

    func decodeNil() -> Bool { entry.kind == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch entry.kind {
        case .true: return true
        case .false: return false
        default: throw typeMismatch(Bool.self)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        guard entry.kind == .string else { throw mismatch(String.self) }
        do {
            return try document.string(at: index)
        } catch {
            throw corrupted(error)
        }
    }

    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Each `unsafeBitCast` below converts a value to `T` only where the check beside it proved
        // that its type is `T`.
        // The most frequent nested value (map values, array elements), read without `init(from:)`.
        if T.self == String.self { return unsafeBitCast(try decode(String.self), to: T.self) }
        // The types Foundation's JSONDecoder decodes its own way (base64 Data, URL strings, Decimal numbers).
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self { return try decodeByFoundation(T.self) }
        if let collection = T.self as? any TapeCollectionDecodable.Type { return try decodeCollection(collection) }
        return try T(from: self)
    }

    /// An array or string-keyed dictionary of type `C`, which is `T`.
    private func decodeCollection<C: TapeCollectionDecodable, T>(_ collection: C.Type) throws -> T {
        unsafeBitCast(try C.decode(fromTape: self), to: T.self)
    }

    @inline(__always)
    func integer<T: FixedWidthInteger & Decodable>(_ type: T.Type) throws -> T {
        guard entry.kind == .number else { throw mismatch(T.self) }
        do {
            return try document.integer(at: index, as: T.self)
        } catch {
            throw corrupted(error)
        }
    }

    @inline(__always)
    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        guard entry.kind == .number else { throw mismatch(T.self) }
        do {
            return try document.floatingPoint(at: index, as: T.self)
        } catch {
            throw corrupted(error)
        }
    }

    /// Hands a string or number to Foundation's JSONDecoder, for the types it treats specially.
    private func decodeByFoundation<T: Decodable>(_ type: T.Type) throws -> T {
        let value = entry
        guard value.kind == .string || value.kind == .number else { throw mismatch(T.self) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(document.text(of: value)))
        } catch let error as DecodingError {
            throw error.prefixingPath(codingPath)
        }
    }

    // MARK: - Errors

    /// `valueNotFound` for null (as Foundation reports a null where a value is required), else `typeMismatch`.
    func mismatch(_ type: Any.Type) -> DecodingError {
        guard entry.kind == .null else { return typeMismatch(type) }
        return DecodingError.valueNotFound(type, DecodingError.Context(
            codingPath: codingPath, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
    }

    func typeMismatch(_ type: Any.Type) -> DecodingError {
        DecodingError.typeMismatch(type, DecodingError.Context(
            codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(entry.kindDescription) instead."))
    }

    func corrupted(_ problem: ValueProblem) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: problem.message))
    }
}

extension DecodingError {
    /// The same error with `prefix` before its coding path (for an error from a nested decode).
    func prefixingPath(_ prefix: [any CodingKey]) -> DecodingError {
        func moved(_ context: Context) -> Context {
            Context(codingPath: prefix + context.codingPath, debugDescription: context.debugDescription,
                    underlyingError: context.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, moved(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, moved(context))
        case .dataCorrupted(let context): return .dataCorrupted(moved(context))
        @unknown default: return self
        }
    }
}
