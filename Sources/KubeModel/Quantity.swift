import Foundation

/// A Kubernetes resource quantity (`500m`, `2Gi`, `1.5`, `100M`, `1e3`): an exact decimal value
/// plus the notation it was written in, so it round-trips as written and compares by value.
///
/// `milliValue` (CPU millicores) and `value` (bytes, counts) round up, as Kubernetes does.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// How a quantity is written.
    public enum Format: Sendable, Hashable {
        /// Powers of two: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
        case binarySI
        /// Powers of ten as SI suffixes: `n`, `u`, `m`, (none), `k`, `M`, `G`, `T`, `P`, `E`.
        case decimalSI
        /// Powers of ten as an exponent: `1e3`, `5E-3`.
        case decimalExponent
    }

    /// The exact value (`0.5` for `500m`, `2147483648` for `2Gi`).
    public let decimal: Decimal
    public let format: Format
    /// The text this quantity was parsed from, kept so that encoding round-trips exactly.
    private let original: String?

    /// Parses a quantity; throws `QuantityError` naming what is wrong.
    public init(parsing text: String) throws {
        let parsed = try QuantityParser.parse(text)
        decimal = parsed.value
        format = parsed.format
        original = text
    }

    /// A quantity from a string literal; an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("invalid Quantity literal \"\(value)\": \(error)")
        }
    }

    /// A quantity of an exact value, formatted canonically in `format`.
    public init(decimal value: Decimal, format: Format = .decimalSI) {
        decimal = value
        self.format = format
        original = nil
    }

    /// CPU millicores, for example: `Quantity(milli: 1500)` is `1500m`.
    public init(milli: Int64) {
        self.init(decimal: Decimal(sign: milli < 0 ? .minus : .plus, exponent: -3, significand: Decimal(milli.magnitude)))
    }

    /// A byte count or plain count, written with binary suffixes when `binary` (`Quantity(1 << 30, binary: true)` is `1Gi`).
    public init(_ value: Int64, binary: Bool = false) {
        self.init(decimal: Decimal(value), format: binary ? .binarySI : .decimalSI)
    }

    /// The value in thousandths, rounded up (`0.1` CPU is 100; `1.0001` is 1001).
    public var milliValue: Int64 { QuantityParser.ceilingInt64(decimal * 1000) }

    /// The value rounded up to an integer (bytes for memory, `1` for `500m`).
    public var value: Int64 { QuantityParser.ceilingInt64(decimal) }

    /// The value as a double, for ratios and display.
    public var doubleValue: Double { NSDecimalNumber(decimal: decimal).doubleValue }

    /// The canonical spelling in this quantity's format (`1500m`, `2Gi`, `1k`), independent of how it was written.
    public var canonical: String { QuantityFormatter.format(decimal, format) }

    /// The text as written, or the canonical spelling for computed quantities.
    public var description: String { original ?? canonical }

    /// The spelling a Kubernetes API server stores and returns for a quantity written as `text`
    /// (`"1000m"` -> `"1"`, `"0.5"` -> `"500m"`, `"1024Mi"` -> `"1Gi"`), or nil when `text` is not a quantity.
    public static func canonicalSpelling(of text: String) -> String? {
        (try? Quantity(parsing: text.trimmingCharacters(in: .whitespaces)))?.canonical
    }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.decimal == rhs.decimal }
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.decimal < rhs.decimal }
    /// Hashes the value: equal quantities (`1000m`, `1`) hash alike however they were written.
    /// The compacted decimal (no trailing zeros in its significand) is the same for equal values;
    /// formatting the canonical text, as before, cost ~30 times more (a quarter of the operator's
    /// owned-spec digest).
    public func hash(into hasher: inout Hasher) {
        if decimal == 0 {
            hasher.combine(0 as Int)
            return
        }
        var compact = decimal
        NSDecimalCompact(&compact)
        let significand = compact.significand
        if significand < Self.exactDoubleLimit {
            hasher.combine(compact.exponent)
            hasher.combine(compact.sign == .minus)
            hasher.combine(NSDecimalNumber(decimal: significand).doubleValue)  // Exact below 2^53.
        } else {
            hasher.combine(QuantityFormatter.format(decimal, .decimalSI))
        }
    }

    /// Integers below this are exact as doubles.
    private static let exactDoubleLimit = Decimal(UInt64(1) << 53)

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(decimal: lhs.decimal + rhs.decimal, format: lhs.format) }
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(decimal: lhs.decimal - rhs.decimal, format: lhs.format) }
    public static func * (lhs: Quantity, rhs: Int) -> Quantity { Quantity(decimal: lhs.decimal * Decimal(rhs), format: lhs.format) }

    public static let zero = Quantity(decimal: 0)
}

extension Quantity: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do {
                try self.init(parsing: text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
            }
        } else if let number = try? container.decode(Int64.self) {
            self.init(number)
        } else {
            let number = try container.decode(Double.self)
            try self.init(parsing: String(number))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a quantity did not parse.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String {
        "invalid quantity \"\(text)\": \(problem); expected a number with an optional suffix, such as 500m, 1.5, 2Gi, 100M or 1e3"
    }
}

/// Parses the Kubernetes quantity grammar: `<signedNumber><suffix>`.
enum QuantityParser {
    static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
    /// 2^10 ... 2^60 for the binary suffixes, computed once: `pow` on Decimal is slow, and every
    /// memory quantity of every listed or watched object is parsed here.
    static let binaryMultipliers: [String: Decimal] = binarySuffixes.mapValues { pow(Decimal(2), $0) }
    static let decimalSuffixes: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]

    static func parse(_ text: String) throws -> (value: Decimal, format: Quantity.Format) {
        let fail = { (problem: String) in QuantityError(text: text, problem: problem) }
        let scalars = Array(text.utf8)
        guard !scalars.isEmpty else { throw fail("it is empty") }
        var index = 0
        var negative = false
        if scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-") {
            negative = scalars[index] == UInt8(ascii: "-")
            index += 1
        }
        let numberStart = index
        var sawDigit = false
        var sawDot = false
        while index < scalars.count {
            let byte = scalars[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { throw fail("it does not start with a number") }
        let numberText = String(decoding: scalars[numberStart..<index], as: UTF8.self)
        let suffix = String(decoding: scalars[index...], as: UTF8.self)
        var value = try decimal(ofDigits: numberText, fail: fail)
        let format: Quantity.Format
        if let multiplier = binaryMultipliers[suffix] {
            value *= multiplier
            format = .binarySI
        } else if let exponent = decimalSuffixes[suffix] {
            value = scaled(value, byPowerOfTen: exponent)
            format = .decimalSI
        } else if let first = suffix.first, first == "e" || first == "E",
                  let exponent = Int(suffix.dropFirst()) {
            guard abs(exponent) <= 100 else { throw fail("the exponent \(exponent) is out of range") }
            value = scaled(value, byPowerOfTen: exponent)
            format = .decimalExponent
        } else {
            throw fail("unknown suffix \"\(suffix)\" (use one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<exponent>)")
        }
        guard !value.isNaN else { throw fail("it is out of range") }
        // Kubernetes keeps nano precision and rounds up: 1e-100 is 1n.
        var exact = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 9, .up)
        return (negative ? -rounded : rounded, format)
    }

    private static func decimal(ofDigits text: String, fail: (String) -> QuantityError) throws -> Decimal {
        // Build the value from digits so that no locale or binary floating point is involved.
        var significand = Decimal(0)
        var fractionDigits = 0
        var afterDot = false
        for character in text.utf8 {
            if character == UInt8(ascii: ".") { afterDot = true; continue }
            significand = significand * 10 + Decimal(Int(character - UInt8(ascii: "0")))
            if afterDot { fractionDigits += 1 }
        }
        guard fractionDigits <= 30 else { throw fail("too many digits after the decimal point") }
        return scaled(significand, byPowerOfTen: -fractionDigits)
    }

    /// `value` × 10^`exponent`, exactly: Foundation's division by a large power of ten gives NaN
    /// (1 / 10^100), which then compared as negative.
    static func scaled(_ value: Decimal, byPowerOfTen exponent: Int) -> Decimal {
        Decimal(sign: value < 0 ? .minus : .plus, exponent: exponent, significand: value < 0 ? -value : value)
    }

    /// Rounds up to an integer and clamps to the Int64 range.
    static func ceilingInt64(_ value: Decimal) -> Int64 {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .up)
        if rounded < 0 {
            // `.up` rounds away from zero; a ceiling of a negative value rounds toward zero.
            NSDecimalRound(&rounded, &input, 0, .down)
        }
        if rounded >= Decimal(Int64.max) { return Int64.max }
        if rounded <= Decimal(Int64.min) { return Int64.min }
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}

/// Formats a quantity's value canonically, as Kubernetes does: the largest suffix that keeps an integer.
enum QuantityFormatter {
    static func format(_ value: Decimal, _ format: Quantity.Format) -> String {
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let magnitude = value < 0 ? -value : value
        if format == .binarySI, isInteger(magnitude) {
            for (suffix, power) in [("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] {
                let unit = pow(Decimal(2), power)
                let quotient = magnitude / unit
                if magnitude >= unit, isInteger(quotient) { return sign + integerString(quotient) + suffix }
            }
            // Not a multiple of 1Ki: plain integer.
            return sign + integerString(magnitude)
        }
        // Round up to nano precision, then pick the largest power of 1000 giving an integer.
        var input = QuantityParser.scaled(magnitude, byPowerOfTen: 9)
        var nanos = Decimal()
        NSDecimalRound(&nanos, &input, 0, .up)
        let suffixes: [(String, Int)] = format == .decimalExponent
            ? [("e18", 27), ("e15", 24), ("e12", 21), ("e9", 18), ("e6", 15), ("e3", 12), ("", 9), ("e-3", 6), ("e-6", 3), ("e-9", 0)]
            : [("E", 27), ("P", 24), ("T", 21), ("G", 18), ("M", 15), ("k", 12), ("", 9), ("m", 6), ("u", 3), ("n", 0)]
        for (suffix, exponent) in suffixes {
            let quotient = QuantityParser.scaled(nanos, byPowerOfTen: -exponent)
            if isInteger(quotient) { return sign + integerString(quotient) + suffix }
        }
        return sign + integerString(nanos) + (format == .decimalExponent ? "e-9" : "n")
    }

    private static func isInteger(_ value: Decimal) -> Bool {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        return rounded == value
    }

    private static func integerString(_ value: Decimal) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }
}
