/// JSON text that could not be read: what was wrong and where (byte offset, line and column).
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, such as `unexpected character '}' in object`.
    public let problem: String
    /// The offset of the byte where the problem was found.
    public let offset: Int
    /// The line (from 1) of that byte.
    public let line: Int
    /// The column (from 1, in bytes) of that byte.
    public let column: Int

    init(_ problem: String, at offset: Int, in bytes: UnsafeRawBufferPointer) {
        self.problem = problem
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        self.offset = offset
        self.line = line
        self.column = end - lineStart + 1
    }

    public var description: String { "\(problem) at line \(line), column \(column) (byte \(offset))" }

    /// `'x'` for a printable ASCII byte, else its hexadecimal value (`0x0A`).
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count < 2 ? "0" : "") + hex
    }
}
