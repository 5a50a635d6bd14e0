import Foundation

/// Something bytes are pulled from in chunks: a file, a decompressor. `read` returns an empty
/// `Data` at the end.
public protocol ByteSource {
    mutating func read(upTo count: Int) throws -> Data
}

/// Reads from an in-memory buffer (tests, small archives).
public struct DataByteSource: ByteSource {
    private var data: Data
    private var offset: Int

    public init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    public mutating func read(upTo count: Int) throws -> Data {
        let end = min(data.endIndex, offset + count)
        defer { offset = end }
        return data.subdata(in: offset..<end)
    }
}
