import Foundation

/// Reading numbers as Foundation's JSONDecoder reads them.
extension TapeDocument {
    /// An integer, by Foundation's rules: `-?(0|[1-9][0-9]*)` that fits is read directly; other
    /// numbers (`2.0`, `1e3`) through Double when the Double is a whole number below 2^53; beyond
    /// that Foundation's own decoder decides (it goes through Decimal), since both must agree.
    func integer<T: FixedWidthInteger & Decodable>(at index: Int, as type: T.Type) throws(ValueProblem) -> T {
        let entry = tape[index]
        let digits = span(of: entry)
        if entry.flags.contains(.plainInteger) {
            let negative = digits[0] == UInt8(ascii: "-")
            if !negative || T.isSigned, let value = Self.plainInteger(digits, negative: negative, as: T.self) {
                return value
            }
        }
        let text = String(decoding: digits, as: UTF8.self)
        guard Self.isValidNumber(digits) else { throw ValueProblem(message: "\(text) is not a valid JSON number") }
        let notRepresentable = ValueProblem(message: "Number \(text) is not representable as \(T.self)")
        guard let double = Double(text), let value = T(exactly: double) else { throw notRepresentable }
        if double.magnitude < 0x1p53 { return value }
        do {
            return try JSONDecoder().decode(T.self, from: Data(digits))
        } catch {
            throw notRepresentable
        }
    }

    /// A floating-point number: valid JSON number syntax, finite, and not a non-zero value that
    /// rounds to zero (Foundation refuses both).
    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(at index: Int, as type: T.Type)
        throws(ValueProblem) -> T
    {
        let digits = span(of: tape[index])
        let text = String(decoding: digits, as: UTF8.self)
        guard Self.isValidNumber(digits) else { throw ValueProblem(message: "\(text) is not a valid JSON number") }
        guard let value = T(text), value.isFinite, value != 0 || Self.isTrueZero(digits) else {
            throw ValueProblem(message: "Number \(text) is not representable as \(T.self)")
        }
        return value
    }

    /// Digits with an optional minus, accumulated towards the sign so that `T.min` fits.
    @inline(__always)
    private static func plainInteger<T: FixedWidthInteger>(_ digits: UnsafeRawBufferPointer, negative: Bool,
                                                           as type: T.Type) -> T? {
        var value: T = 0
        for index in (negative ? 1 : 0)..<digits.count {
            let digit = T(digits[index] &- UInt8(ascii: "0"))
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit)
                                             : shifted.addingReportingOverflow(digit)
            if overflow || overflow2 { return nil }
            value = next
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, the JSON number grammar.
    static func isValidNumber(_ digits: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = digits.count
        func isDigit(_ position: Int) -> Bool { position < count && digits[position] &- UInt8(ascii: "0") < 10 }
        func skipDigits() -> Bool {
            let start = index
            while isDigit(index) { index += 1 }
            return index > start
        }
        if index < count, digits[index] == UInt8(ascii: "-") { index += 1 }
        if index < count, digits[index] == UInt8(ascii: "0") {
            index += 1
        } else if !skipDigits() {
            return false
        }
        if index < count, digits[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() else { return false }
        }
        if index < count, digits[index] == UInt8(ascii: "e") || digits[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, digits[index] == UInt8(ascii: "+") || digits[index] == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() else { return false }
        }
        return index == count
    }

    /// Whether a number that parsed as zero is written as zero, decided as Foundation decides it:
    /// bytes in groups of four from the start, a digit 1-9 meaning no and an `e` meaning yes; the
    /// last one to three bytes are checked from the end, so `-0.0e-5` counts as not zero (its `5`
    /// is seen before its `e`) and Foundation refuses it; this decoder must refuse it too.
    private static func isTrueZero(_ digits: UnsafeRawBufferPointer) -> Bool {
        func check(_ byte: UInt8) -> Bool? {
            if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return false }
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return true }
            return nil
        }
        var start = 0
        while digits.count - start >= 4 {
            for offset in start..<start + 4 {
                if let answer = check(digits[offset]) { return answer }
            }
            start += 4
        }
        for offset in (start..<digits.count).reversed() {
            if let answer = check(digits[offset]) { return answer }
        }
        return true
    }
}
