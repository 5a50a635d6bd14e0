import Foundation

/// Something bytes are pulled from in chunks: a file, a decompressor. `read` returns an empty
/// `Data` at the end.
public protocol ByteSource {
    mutating func read(upTo count: Int) throws -> Data
}
