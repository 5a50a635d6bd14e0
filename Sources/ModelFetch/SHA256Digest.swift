import Foundation

/// A SHA-256 digest: 32 bytes, written as 64 lower-case hex digits.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    /// Wraps 32 raw bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits (either case, surrounding white space ignored, as `sha256sum` output
    /// often carries a trailing newline). Throws `InvalidDigestError` saying what is wrong.
    public init(hex text: String) throws(InvalidDigestError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let scalars = Array(trimmed.utf8)
        guard scalars.count == 64 else {
            throw InvalidDigestError(text: text, problem: "it has \(scalars.count) characters, a sha256 has 64 hex digits")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.hexValue(scalars[index]), let low = Self.hexValue(scalars[index + 1]) else {
                let bad = Self.hexValue(scalars[index]) == nil ? index : index + 1
                throw InvalidDigestError(text: text, problem: "character \(bad + 1) is not a hex digit (0-9, a-f)")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// True when `text` is exactly 64 hex digits.
    public static func isValidHex(_ text: String) -> Bool {
        (try? SHA256Digest(hex: text)) != nil && text.utf8.count == 64
    }

    /// The 64 lower-case hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try SHA256Digest(hex: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A string that is not a SHA-256 digest in hex, and why.
public struct InvalidDigestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String {
        "invalid sha256 \"\(text.prefix(80))\": \(problem); give the 64 hex digits `sha256sum FILE` prints"
    }
}
