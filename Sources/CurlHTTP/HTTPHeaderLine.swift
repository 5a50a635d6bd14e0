/// One line of an HTTP/1.x response head as curl hands it over (`Name: value\r\n`), read as
/// bytes: optional whitespace (space, tab) around the name and value and the line ending are
/// trimmed, the name is lowercased (ASCII, as header names are). Foundation's Unicode trimming
/// of each line was a visible part of every request's cost.
enum HTTPHeaderLine: Equatable {
    /// The blank line that ends a head.
    case end
    /// A status line (`HTTP/1.1 200 OK`): a new head begins.
    case status
    /// A field, its name lowercased.
    case field(name: String, value: String)
    /// Anything else (no colon): ignored.
    case other

    init(_ bytes: UnsafeRawBufferPointer) {
        var start = bytes.startIndex
        var end = bytes.endIndex
        Self.trim(bytes, &start, &end, alsoLineEnds: true)
        if start == end {
            self = .end
            return
        }
        let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if line.starts(with: "HTTP/".utf8) {
            self = .status
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            self = .other
            return
        }
        var nameStart = line.startIndex, nameEnd = colon
        Self.trim(line, &nameStart, &nameEnd, alsoLineEnds: false)
        var valueStart = colon + 1, valueEnd = line.endIndex
        Self.trim(line, &valueStart, &valueEnd, alsoLineEnds: false)
        let name = String(unsafeUninitializedCapacity: nameEnd - nameStart) { buffer in
            for (offset, byte) in line[nameStart..<nameEnd].enumerated() {
                buffer[offset] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            }
            return nameEnd - nameStart
        }
        self = .field(name: name, value: String(decoding: line[valueStart..<valueEnd], as: UTF8.self))
    }

    /// Narrows `start..<end` past spaces and tabs (and CR, LF when `alsoLineEnds`) at both ends.
    private static func trim(_ bytes: UnsafeRawBufferPointer, _ start: inout Int, _ end: inout Int, alsoLineEnds: Bool) {
        func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
                || (alsoLineEnds && (byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")))
        }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
    }
}
