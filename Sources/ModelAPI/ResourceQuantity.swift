import Foundation

/// A Kubernetes resource quantity (`500m`, `2`, `6Gi`, `1.5G`, `1e3`), parsed exactly.
///
/// The grammar is Kubernetes' own: an optionally signed decimal number followed by a binary SI
/// suffix (`Ki Mi Gi Ti Pi Ei`), a decimal SI suffix (`n u m k M G T P E` or none) or a decimal
/// exponent (`e3`, `E-2`).
public struct ResourceQuantity: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// The amount in base units (bytes for memory, cores for CPU).
    public let value: Decimal

    /// Why a string is not a quantity.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String {
            "\"\(text)\" is not a quantity: \(reason); write a number with an optional suffix such as 500m, 2, 512Mi or 6Gi"
        }
    }

    private static let binarySuffixes: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]
    private static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]

    public init(parsing text: String) throws(ParseError) {
        self.text = text
        let characters = Array(text.unicodeScalars)
        var index = 0
        if index < characters.count, characters[index] == "+" || characters[index] == "-" { index += 1 }
        var digits = 0
        var dots = 0
        while index < characters.count {
            let character = characters[index]
            if ("0"..."9").contains(character) {
                digits += 1
            } else if character == "." {
                dots += 1
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else {
            throw ParseError(text: text, reason: text.isEmpty ? "it is empty" : "it does not start with a number")
        }
        guard dots <= 1 else { throw ParseError(text: text, reason: "the number has more than one decimal point") }
        let numberText = String(String.UnicodeScalarView(characters[0..<index]))
        let suffix = String(String.UnicodeScalarView(characters[index...]))
        guard let number = Decimal(string: numberText.hasSuffix(".") ? numberText + "0" : numberText,
                                   locale: Locale(identifier: "en_US_POSIX")) else {
            throw ParseError(text: text, reason: "\"\(numberText)\" is not a decimal number")
        }
        if let power = ResourceQuantity.binarySuffixes[suffix] {
            var scale = Decimal(1)
            for _ in 0..<power { scale *= 1024 }
            value = number * scale
        } else if let exponent = ResourceQuantity.decimalSuffixes[suffix] {
            value = ResourceQuantity.scaled(number, byPowerOfTen: exponent)
        } else if let first = suffix.first, first == "e" || first == "E",
                  let exponent = Int(suffix.dropFirst()), abs(exponent) <= 30 {
            value = ResourceQuantity.scaled(number, byPowerOfTen: exponent)
        } else {
            throw ParseError(text: text, reason: "unknown suffix \"\(suffix)\" (use Ki, Mi, Gi, Ti, m, k, M, G, T or none)")
        }
    }

    private static func scaled(_ number: Decimal, byPowerOfTen exponent: Int) -> Decimal {
        var result = number
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
        } else {
            for _ in 0..<(-exponent) { result /= 10 }
        }
        return result
    }

    public var description: String { text }

    /// Whether the amount is below zero.
    public var isNegative: Bool { value < 0 }

    /// The amount divided by `unit`, rounded up to a whole number (nil if it does not fit Int64).
    public func roundedUp(inUnitsOf unit: Decimal) -> Int64? {
        var quotient = value / unit
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 0, .up)
        guard rounded <= Decimal(Int64.max), rounded >= Decimal(Int64.min) else { return nil }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// The amount in MiB (2^20 bytes), rounded up: how GPU memory is compared with node labels.
    public var mebibytesRoundedUp: Int64? { roundedUp(inUnitsOf: 1_048_576) }

    /// The amount in thousandths, rounded up: how CPU is compared (`500m` is 500).
    public var milliValueRoundedUp: Int64? { roundedUp(inUnitsOf: Decimal(string: "0.001") ?? 0.001) }
}
