/// Strings: the scanner finds where each ends and notes whether it has escapes, control
/// characters or non-ASCII bytes; the content is read (and checked) only when decoded.
extension TapeScanner {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is below `limit` (at most 128), quote and backslash compared by xor.
    @inline(__always)
    private static func hasByte(below limit: UInt64, in word: UInt64) -> Bool {
        (word &- ones &* limit) & ~word & highBits != 0
    }

    @inline(__always)
    private static func hasQuoteOrBackslash(_ word: UInt64) -> Bool {
        hasByte(below: 1, in: word ^ (ones &* 0x22)) || hasByte(below: 1, in: word ^ (ones &* 0x5C))
    }

    /// Scans a string starting at its opening quote and records it (content without quotes).
    mutating func scanString() throws(JSONSyntaxError) {
        let contentStart = position + 1
        var index = contentStart
        var high: UInt64 = 0
        // Unescaped strings, eight bytes at a time while no quote, backslash or control character shows.
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self))
            if Self.hasQuoteOrBackslash(word) || Self.hasByte(below: 0x20, in: word) { break }
            high |= word
            index += 8
        }
        while index < end {
            let byte = start[index]
            if byte == UInt8(ascii: "\"") {
                var flags: TapeEntry.Flags = .unescaped
                if high & Self.highBits == 0 { flags.insert(.ascii) }
                record(string: contentStart, end: index, flags: flags)
                return
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            high |= UInt64(byte)
            index += 1
        }
        try scanEscapedString(from: contentStart, resumingAt: index)
    }

    /// The rest of a string that has an escape or a control character.
    private mutating func scanEscapedString(from contentStart: Int, resumingAt resume: Int) throws(JSONSyntaxError) {
        var index = resume
        while index < end {
            if index + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self))
                if !Self.hasQuoteOrBackslash(word) {
                    index += 8
                    continue
                }
            }
            let byte = start[index]
            if byte == UInt8(ascii: "\"") {
                record(string: contentStart, end: index, flags: [])
                return
            }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            guard index + 1 < end else { break }
            let escaped = start[index + 1]
            index += 2
            if escaped == UInt8(ascii: "u") {
                guard index + 4 <= end else { break }
                for offset in 0..<4 where start[index + offset] == UInt8(ascii: "\"") {
                    position = index
                    throw failure("invalid \\u escape (expected four hexadecimal digits)")
                }
                index += 4
            }
        }
        position = end
        throw failure("unexpected end of input in a string")
    }

    @inline(__always)
    private mutating func record(string contentStart: Int, end contentEnd: Int, flags: TapeEntry.Flags) {
        tape.append(TapeEntry(kind: .string, flags: flags, first: UInt32(truncatingIfNeeded: contentStart),
                              second: UInt32(truncatingIfNeeded: contentEnd - contentStart)))
        position = contentEnd + 1
    }
}
