import Foundation

/// Exact-size reads on top of a chunked `ByteSource`.
struct BufferedReader<Source: ByteSource> {
    private var source: Source
    private var buffer = Data()
    private var offset = 0
    private var atEnd = false

    init(_ source: Source) {
        self.source = source
    }

    /// Up to `count` bytes (fewer only at the end of the stream; empty at the end).
    mutating func read(upTo count: Int) throws -> Data {
        if offset == buffer.count {
            guard !atEnd else { return Data() }
            buffer = try source.read(upTo: max(count, 64 * 1024))
            offset = 0
            if buffer.isEmpty {
                atEnd = true
                return Data()
            }
        }
        let end = min(buffer.count, offset + count)
        defer { offset = end }
        return buffer.subdata(in: (buffer.startIndex + offset)..<(buffer.startIndex + end))
    }

    /// Exactly `count` bytes, or fewer if the stream ends first.
    mutating func read(exactly count: Int) throws -> Data {
        var out = Data()
        while out.count < count {
            let chunk = try read(upTo: count - out.count)
            if chunk.isEmpty { break }
            out.append(chunk)
        }
        return out
    }

    /// Skips `count` bytes; false if the stream ended first.
    mutating func skip(_ count: Int64) throws -> Bool {
        var left = count
        while left > 0 {
            let chunk = try read(upTo: Int(min(left, 1 << 20)))
            if chunk.isEmpty { return false }
            left -= Int64(chunk.count)
        }
        return true
    }
}
