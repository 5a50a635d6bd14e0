import Foundation

/// Something bytes are pulled from in chunks: a file, a decompressor. `read` returns an empty
/// `Data` at the end.
public protocol ByteSource {
    mutating func read(upTo count: Int) throws -> Data
}

/// Reads a file through its descriptor, feeding every byte read to an optional hasher, so an
/// archive can be verified in the same pass that unpacks it.
public struct FileByteSource: ByteSource {
    private let handle: FileHandle
    private let hasher: SHA256Hasher?

    public init(path: String, hasher: SHA256Hasher? = nil) throws(ModelFetchError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot open \(path) for reading")
        }
        self.handle = handle
        self.hasher = hasher
    }

    public mutating func read(upTo count: Int) throws -> Data {
        let chunk = try handle.read(upToCount: count) ?? Data()
        hasher?.update(chunk)
        return chunk
    }

    /// Closes the file; reading afterwards is an error.
    public func close() {
        try? handle.close()
    }
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
