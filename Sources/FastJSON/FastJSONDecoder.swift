import Foundation

/// Decodes `Decodable` values from JSON like Foundation's `JSONDecoder` with its default options
/// (same values, same documents accepted and refused, errors of the same kinds), two to two and a
/// half times as fast on Kubernetes objects (`make bench FILTER=watch-decoding`): the bytes are
/// scanned once into a flat tape, and keyed lookups compare key bytes in place instead of building
/// a dictionary of strings for every object.
///
/// Input is UTF-8 (a UTF-8 byte-order mark is skipped); JSON in UTF-16 or UTF-32, which Foundation
/// also accepts, and documents of 4 GiB or more (the tape counts in 32 bits) are handed to
/// Foundation's decoder.
public struct FastJSONDecoder: Sendable {
    public init() {}

    /// Decodes a value of `type` from a JSON document.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let document: TapeDocument?
        do {
            document = try data.withUnsafeBytes { bytes throws(JSONSyntaxError) -> TapeDocument? in
                guard bytes.count < Int(UInt32.max), case .utf8(let skip) = Self.encoding(of: bytes) else { return nil }
                return try TapeDocument(copying: UnsafeRawBufferPointer(rebasing: bytes[skip...]))
            }
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: [], debugDescription: "The given data was not valid JSON: \(error)", underlyingError: error))
        }
        guard let document else { return try JSONDecoder().decode(T.self, from: data) }
        return try TapeDecoder(document: document, index: 0).decode(T.self)
    }

    private enum Encoding {
        /// UTF-8, after `skip` bytes of byte-order mark.
        case utf8(skip: Int)
        /// UTF-16 or UTF-32, recognised by Foundation's rules (RFC 4627 section 3).
        case other
    }

    private static func encoding(of bytes: UnsafeRawBufferPointer) -> Encoding {
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        switch (byte(0), byte(1), byte(2), byte(3)) {
        case (0xEF, 0xBB, 0xBF, _): return .utf8(skip: 3)
        case (0xFE, 0xFF, _, _), (0xFF, 0xFE, _, _), (0, 0, 0xFE, 0xFF): return .other
        case let (0, 0, 0, .some(last)) where last != 0: return .other
        case let (0, .some(second), 0, .some(last)) where second != 0 && last != 0: return .other
        case let (.some(first), 0, 0, 0) where first != 0: return .other
        case let (.some(first), 0, .some(third), 0) where first != 0 && third != 0: return .other
        case let (0, .some(second), nil, nil) where second != 0: return .other
        case let (.some(first), 0, nil, nil) where first != 0: return .other
        default: return .utf8(skip: 0)
        }
    }
}
