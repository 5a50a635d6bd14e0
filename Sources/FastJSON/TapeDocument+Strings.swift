import Foundation

/// Why a scanned value could not be read as asked (the decoder adds the coding path).
struct ValueProblem: Error {
    let message: String
}

extension TapeDocument {
    /// The string at a tape entry (a value or a key), unescaped and checked as Foundation's
    /// JSONDecoder checks it when it reads a string: valid escapes, no raw control characters, and
    /// valid UTF-8 in each run of bytes between escapes.
    func string(at index: Int) throws(ValueProblem) -> String {
        let entry = tape[index]
        let content = span(of: entry)
        if entry.flags.contains(.ascii) { return String(decoding: content, as: UTF8.self) }
        if entry.flags.contains(.unescaped) {
            guard let text = String(validating: content, as: UTF8.self) else {
                throw ValueProblem(message: "a string at byte \(entry.first) is not valid UTF-8")
            }
            return text
        }
        return try unescape(content, at: Int(entry.first))
    }

    /// Whether the key at `index` is exactly `utf8`; only for keys that are unescaped ASCII.
    /// Compared inline, eight bytes at a time: keys are short, and a call to memcmp costs more.
    @inline(__always)
    func plainKey(at index: Int, equals utf8: UnsafeRawBufferPointer) -> Bool {
        let entry = tape[index]
        let count = utf8.count
        guard Int(entry.second) == count else { return false }
        guard let other = utf8.baseAddress else { return true }
        let mine = UnsafeRawPointer(base + Int(entry.first))
        var offset = 0
        while offset + 8 <= count {
            guard mine.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == other.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < count {
            guard mine.load(fromByteOffset: offset, as: UInt8.self) == other.load(fromByteOffset: offset, as: UInt8.self)
            else { return false }
            offset += 1
        }
        return true
    }

    private func unescape(_ content: UnsafeRawBufferPointer, at offset: Int) throws(ValueProblem) -> String {
        var output = ""
        var chunkStart = 0
        var index = 0
        func appendChunk(upTo chunkEnd: Int) throws(ValueProblem) {
            guard let chunk = String(validating: UnsafeRawBufferPointer(rebasing: content[chunkStart..<chunkEnd]),
                                     as: UTF8.self) else {
                throw ValueProblem(message: "a string at byte \(offset + chunkStart) is not valid UTF-8")
            }
            output += chunk
        }
        while index < content.count {
            let byte = content[index]
            if byte == UInt8(ascii: "\\") {
                try appendChunk(upTo: index)
                index = try unescapeSequence(content, from: index + 1, at: offset, into: &output)
                chunkStart = index
            } else if byte < 0x20 {
                throw ValueProblem(message: "unescaped control character \(JSONSyntaxError.describe(byte)) in a string "
                                       + "at byte \(offset + index)")
            } else {
                index += 1
            }
        }
        try appendChunk(upTo: content.count)
        return output
    }

    /// Appends what the escape after a backslash means; returns the index after it.
    private func unescapeSequence(_ content: UnsafeRawBufferPointer, from index: Int, at offset: Int,
                                  into output: inout String) throws(ValueProblem) -> Int {
        switch content[index] {
        case UInt8(ascii: "\""): output.append("\"")
        case UInt8(ascii: "\\"): output.append("\\")
        case UInt8(ascii: "/"): output.append("/")
        case UInt8(ascii: "b"): output.append("\u{08}")
        case UInt8(ascii: "f"): output.append("\u{0C}")
        case UInt8(ascii: "n"): output.append("\n")
        case UInt8(ascii: "r"): output.append("\r")
        case UInt8(ascii: "t"): output.append("\t")
        case UInt8(ascii: "u"): return try unescapeUnicode(content, from: index + 1, at: offset, into: &output)
        case let other:
            throw ValueProblem(message: "invalid escape \\\(JSONSyntaxError.describe(other).filter { $0 != "'" }) "
                                   + "in a string at byte \(offset + index - 1)")
        }
        return index + 1
    }

    /// `\uXXXX`, or a UTF-16 surrogate pair `\uD83D\uDE80`; `index` is at the first hex digit.
    private func unescapeUnicode(_ content: UnsafeRawBufferPointer, from index: Int, at offset: Int,
                                 into output: inout String) throws(ValueProblem) -> Int {
        let unit = try hexUnit(content, at: index, offset: offset)
        let after = index + 4
        if UTF16.isLeadSurrogate(unit) {
            guard after + 6 <= content.count, content[after] == UInt8(ascii: "\\"),
                  content[after + 1] == UInt8(ascii: "u") else {
                throw ValueProblem(message: "a \\u escape at byte \(offset + index - 2) is a high surrogate "
                                       + "without a low surrogate after it")
            }
            let trail = try hexUnit(content, at: after + 2, offset: offset)
            guard UTF16.isTrailSurrogate(trail) else {
                throw ValueProblem(message: "a \\u escape at byte \(offset + index - 2) is a high surrogate "
                                       + "without a low surrogate after it")
            }
            output.unicodeScalars.append(UTF16.decode(UTF16.EncodedScalar([unit, trail])))
            return after + 6
        }
        guard let scalar = Unicode.Scalar(unit) else {
            throw ValueProblem(message: "a \\u escape at byte \(offset + index - 2) is a lone low surrogate")
        }
        output.unicodeScalars.append(scalar)
        return after
    }

    private func hexUnit(_ content: UnsafeRawBufferPointer, at index: Int, offset: Int) throws(ValueProblem) -> UInt16 {
        var value: UInt16 = 0
        // The scanner made sure four bytes follow every `\u`.
        for position in index..<index + 4 {
            let byte = content[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw ValueProblem(message: "invalid \\u escape at byte \(offset + index - 2) (expected four hexadecimal digits)")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
