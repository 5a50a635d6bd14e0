/// Writes a `JSONValue` as compact JSON text in one pass over the value, byte for byte what
/// Foundation's `JSONEncoder` writes with `.withoutEscapingSlashes` (and `.sortedKeys` when
/// asked): `"` and `\` escaped, `\b \f \n \r \t` for those controls, `\u00xx` for the others,
/// everything else as UTF-8, whole doubles without a fraction. Foundation's encoder goes
/// through its generic `Encoder` boxes for every member, which made serving JSON the largest
/// cost of LocalCluster's watches.
struct JSONValueWriter {
    private(set) var bytes: [UInt8] = []
    let sortedKeys: Bool

    init(sortedKeys: Bool, capacity: Int = 1024) {
        self.sortedKeys = sortedKeys
        bytes.reserveCapacity(capacity)
    }

    /// Writes `value`; false when it holds a number JSON cannot carry (NaN or an infinity).
    mutating func write(_ value: JSONValue) -> Bool {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): write(integer: number)
        case .double(let number):
            guard number.isFinite else { return false }
            if number == 0, number.sign == .minus {
                append("-0")
            } else if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                append(String(Int64(number)))
            } else {
                append(String(number))
            }
        case .string(let text): write(string: text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                guard write(element) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys {
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    guard write(member: member, key: key, first: &first) else { return false }
                }
            } else {
                for (key, member) in members {  // In the dictionary's order, without copying it.
                    guard write(member: member, key: key, first: &first) else { return false }
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
        return true
    }

    /// One `"key":value` of an object, after a comma unless it is the first.
    private mutating func write(member: JSONValue, key: String, first: inout Bool) -> Bool {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        write(string: key)
        bytes.append(UInt8(ascii: ":"))
        return write(member)
    }

    /// An integer's decimal digits, written without making a String of them.
    private mutating func write(integer: Int64) {
        if integer == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        if integer < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = integer.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
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
        if copiedWhole {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A byte JSON text cannot carry as it is inside a string: a control character, `"` or `\\`.
    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
