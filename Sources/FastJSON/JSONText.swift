/// Compact JSON text being written, in UTF-8: the scalars as Foundation's `JSONEncoder` writes
/// them with `.withoutEscapingSlashes` — `"` and `\` escaped, `\b \f \n \r \t` for those
/// controls, `\u00xx` for the others, everything else as UTF-8; integers as digits; whole
/// doubles without a fraction. Shared by ``FastJSONEncoder`` and the `JSONValue` writer.
public struct JSONText: Sendable {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends one byte of JSON structure (`{`, `,`, `:`...).
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends ASCII text as it is (`null`, `true`).
    public mutating func append(literal text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a JSON string: `text` quoted and escaped.
    public mutating func append(string text: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        // Nothing to escape, the common case: the bytes are copied whole. A native string's bytes are
        // scanned in place (iterating the UTF-8 view byte by byte was a visible part of every watch).
        let copiedWhole = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: Self.needsEscaping) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        } ?? {
            guard !utf8.contains(where: Self.needsEscaping) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }()
        if !copiedWhole {
            for byte in utf8 { appendEscaping(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer's decimal digits, without making a `String` of them.
    public mutating func append(integer: Int64) {
        if integer < 0 { bytes.append(UInt8(ascii: "-")) }
        append(unsigned: integer.magnitude)
    }

    /// Appends an unsigned integer's decimal digits.
    public mutating func append(unsigned: UInt64) {
        if unsigned == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = unsigned
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits.
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Appends a double as Foundation writes it (`3`, `0.5`, `-0`, `1e+300`); false, writing
    /// nothing, for NaN and the infinities, which JSON cannot carry.
    public mutating func append(double number: Double) -> Bool {
        guard number.isFinite else { return false }
        if number == 0, number.sign == .minus {
            append(literal: "-0")
        } else if number == number.rounded(), abs(number) <= 9_007_199_254_740_992 {  // Swift writes these "N.0".
            append(integer: Int64(number))
        } else {
            bytes.append(contentsOf: String(number).utf8)
        }
        return true
    }

    /// Appends already-written JSON text (a number's digits as given).
    public mutating func append<Bytes: Sequence>(contentsOf text: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: text)
    }

    /// Removes everything after the first `count` bytes (undoing a value that could not be written).
    public mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    private mutating func appendEscaping(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }

    /// A byte JSON text cannot carry as it is inside a string: a control character, `"` or `\`.
    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
