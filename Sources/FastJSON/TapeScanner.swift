/// Reads JSON bytes once into a tape (`TapeEntry`), checking exactly what Foundation's JSONDecoder
/// checks while scanning, so that both accept and refuse the same documents:
///
/// - structure: objects, arrays, string keys, `:` and `,` where they belong, nothing after the
///   top-level value but whitespace (space, tab, CR, LF); a trailing comma before `]` or `}` is
///   accepted, as Foundation accepts it; at most 512 nested containers;
/// - literals `true`, `false`, `null` spelled out;
/// - strings closed, with a backslash followed by a character and `\u` by four bytes none of which
///   is a quote.
///
/// Like Foundation, it leaves the rest to the moment a value is read: number syntax (`01`, `1.`),
/// escapes (`\x`), control characters and UTF-8 inside strings. A document whose unread fields hold
/// such values decodes with both decoders.
struct TapeScanner {
    let bytes: UnsafeRawBufferPointer
    let start: UnsafePointer<UInt8>
    let end: Int
    /// The offset of the next byte to read.
    var position = 0
    private var depth = 0
    var tape: TapeBuffer

    /// Foundation's JSONScanner refuses a 513th nested container.
    static let maximumDepth = 512

    init(bytes: UnsafeRawBufferPointer, start: UnsafePointer<UInt8>) {
        self.bytes = bytes
        self.start = start
        end = bytes.count
        // About one value per 10 bytes in Kubernetes objects: room enough to rarely grow.
        tape = TapeBuffer(capacity: bytes.count / 8)
    }

    /// Scans the whole document. On error the tape is freed; on success the caller owns it.
    static func scan(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> TapeBuffer {
        guard let base = bytes.baseAddress else {
            throw JSONSyntaxError("unexpected end of input (the document is empty)", at: 0, in: bytes)
        }
        var scanner = TapeScanner(bytes: bytes, start: base.assumingMemoryBound(to: UInt8.self))
        do {
            try scanner.scanDocument()
        } catch {
            scanner.tape.deallocate()
            throw error
        }
        return scanner.tape
    }

    private mutating func scanDocument() throws(JSONSyntaxError) {
        try scanValue(try skipWhitespace())
        while position < end {
            guard isWhitespace(start[position]) else {
                throw failure("unexpected character \(JSONSyntaxError.describe(start[position])) after the top-level value")
            }
            position += 1
        }
    }

    // MARK: - Values

    private mutating func scanValue(_ byte: UInt8) throws(JSONSyntaxError) {
        switch byte {
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "{"): try scanObject()
        case UInt8(ascii: "["): try scanArray()
        case UInt8(ascii: "t"): try scanLiteral("true", kind: .true)
        case UInt8(ascii: "f"): try scanLiteral("false", kind: .false)
        case UInt8(ascii: "n"): try scanLiteral("null", kind: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): scanNumber()
        default: throw failure("unexpected character \(JSONSyntaxError.describe(byte))")
        }
    }

    private mutating func scanObject() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else { throw failure("too many nested arrays or objects (more than 512)") }
        depth += 1
        defer { depth -= 1 }
        position += 1
        let index = tape.append(TapeEntry(kind: .object, flags: [], first: 0, second: 0))
        var members = 0
        var flags: TapeEntry.Flags = []
        var keyBits: UInt32 = 0
        if try skipWhitespace() == UInt8(ascii: "}") {
            position += 1
            tape.closeContainer(at: index, count: 0)
            return
        }
        while true {
            guard start[position] == UInt8(ascii: "\"") else {
                throw failure("unexpected character \(JSONSyntaxError.describe(start[position])) in object (expected a key)")
            }
            let key = tape.count
            try scanString()
            let keyEntry = tape.base[key]
            if keyEntry.flags.contains([.unescaped, .ascii]) {
                keyBits |= TapeEntry.keyBit(UnsafeRawBufferPointer(start: start + Int(keyEntry.first),
                                                                   count: Int(keyEntry.second)))
            } else {
                flags.insert(.hasComplexKey)
            }
            guard try skipWhitespace() == UInt8(ascii: ":") else {
                throw failure("unexpected character \(JSONSyntaxError.describe(start[position])) in object (expected ':')")
            }
            position += 1
            try scanValue(try skipWhitespace())
            members += 1
            let separator = try skipWhitespace()
            if separator == UInt8(ascii: ",") {
                position += 1
                // Foundation accepts a trailing comma.
                if try skipWhitespace() == UInt8(ascii: "}") {
                    position += 1
                    break
                }
            } else if separator == UInt8(ascii: "}") {
                position += 1
                break
            } else {
                throw failure("unexpected character \(JSONSyntaxError.describe(separator)) in object (expected ',' or '}')")
            }
        }
        tape.closeContainer(at: index, count: members)
        tape.base[index].flags = flags
        tape.base[index].keyBits = keyBits
    }

    private mutating func scanArray() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else { throw failure("too many nested arrays or objects (more than 512)") }
        depth += 1
        defer { depth -= 1 }
        position += 1
        let index = tape.append(TapeEntry(kind: .array, flags: [], first: 0, second: 0))
        var elements = 0
        if try skipWhitespace() == UInt8(ascii: "]") {
            position += 1
            tape.closeContainer(at: index, count: 0)
            return
        }
        while true {
            try scanValue(try skipWhitespace())
            elements += 1
            let separator = try skipWhitespace()
            if separator == UInt8(ascii: ",") {
                position += 1
                // Foundation accepts a trailing comma.
                if try skipWhitespace() == UInt8(ascii: "]") {
                    position += 1
                    break
                }
            } else if separator == UInt8(ascii: "]") {
                position += 1
                break
            } else {
                throw failure("unexpected character \(JSONSyntaxError.describe(separator)) in array (expected ',' or ']')")
            }
        }
        tape.closeContainer(at: index, count: elements)
    }

    private mutating func scanLiteral(_ literal: StaticString, kind: TapeEntry.Kind) throws(JSONSyntaxError) {
        let length = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for offset in 0..<length {
            guard position + offset < end else { throw failure("unexpected end of input in \(literal)") }
            let byte = start[position + offset]
            guard byte == expected[offset] else {
                position += offset
                throw failure("unexpected character \(JSONSyntaxError.describe(byte)) in \(literal)")
            }
        }
        position += length
        tape.append(TapeEntry(kind: kind, flags: [], first: 0, second: 0))
    }

    /// Takes the characters a number may contain (digits, `.`, `+`, `-`, `e`, `E`); their order is
    /// checked when the number is read, as Foundation does.
    private mutating func scanNumber() {
        let first = position
        var plain = true
        let negative = start[position] == UInt8(ascii: "-")
        position += negative ? 1 : 0
        let digitsStart = position
        while position < end {
            let byte = start[position]
            if byte &- UInt8(ascii: "0") < 10 {
                position += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                plain = false
                position += 1
            } else {
                break
            }
        }
        let digits = position - digitsStart
        if digits == 0 || (digits > 1 && start[digitsStart] == UInt8(ascii: "0")) { plain = false }
        tape.append(TapeEntry(kind: .number, flags: plain ? .plainInteger : [], first: UInt32(truncatingIfNeeded: first),
                              second: UInt32(truncatingIfNeeded: position - first)))
    }

    // MARK: - Whitespace and errors

    @inline(__always)
    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Skips whitespace; returns the next byte, which must exist.
    @inline(__always)
    private mutating func skipWhitespace() throws(JSONSyntaxError) -> UInt8 {
        while position < end {
            let byte = start[position]
            if !isWhitespace(byte) { return byte }
            position += 1
        }
        throw failure("unexpected end of input")
    }

    func failure(_ problem: String) -> JSONSyntaxError {
        JSONSyntaxError(problem, at: position, in: bytes)
    }
}
