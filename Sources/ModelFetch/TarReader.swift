import Foundation

/// A streaming reader of tar archives: ustar, GNU long names (`L`/`K`) and PAX extended headers
/// (`x`: `path`, `linkpath`, `size`; global `g` headers are read and ignored). It holds one
/// 512-byte block at a time, so memory stays constant whatever the archive's size.
///
/// Use: `while let entry = try reader.nextEntry() { while let chunk = try reader.readContent() ... }`.
/// Unread content is skipped by the next `nextEntry()`.
public struct TarReader<Source: ByteSource> {
    private var input: BufferedReader<Source>
    /// Content bytes of the current entry not read yet, and the padding after them.
    private var contentLeft: Int64 = 0
    private var paddingLeft: Int64 = 0
    private var ended = false
    /// Limit on GNU long-name and PAX header sizes, which are read into memory.
    private let maxMetadataSize = 1 << 20

    public init(_ source: Source) {
        self.input = BufferedReader(source)
    }

    /// The next entry, or nil at the end of the archive.
    public mutating func nextEntry() throws(ModelFetchError) -> TarEntry? {
        guard !ended else { return nil }
        do {
            return try readNextEntry()
        } catch let error as ModelFetchError {
            throw error
        } catch {
            throw ModelFetchError(reason: .extractionFailed, detail: "cannot read the archive: \(error)")
        }
    }

    /// Up to `count` bytes of the current entry's content; empty when it is all read.
    public mutating func readContent(upTo count: Int = 1 << 20) throws(ModelFetchError) -> Data {
        guard contentLeft > 0 else { return Data() }
        let chunk: Data
        do {
            chunk = try input.read(upTo: Int(min(Int64(count), contentLeft)))
        } catch let error as ModelFetchError {
            throw error
        } catch {
            throw ModelFetchError(reason: .extractionFailed, detail: "cannot read the archive: \(error)")
        }
        guard !chunk.isEmpty else { throw truncated() }
        contentLeft -= Int64(chunk.count)
        return chunk
    }

    private mutating func readNextEntry() throws -> TarEntry? {
        guard try input.skip(contentLeft + paddingLeft) else { throw truncated() }
        contentLeft = 0
        paddingLeft = 0
        var longName: String?
        var longLink: String?
        var pax: [String: String] = [:]
        while true {
            let block = try input.read(exactly: 512)
            if block.isEmpty {
                // No end-of-archive blocks; accepted like GNU tar does, since the digest
                // already vouched for the archive.
                ended = true
                return nil
            }
            guard block.count == 512 else { throw truncated() }
            if block.allSatisfy({ $0 == 0 }) {
                ended = true
                return nil
            }
            let header = try TarHeader(block)
            switch header.typeflag {
            case UInt8(ascii: "L"):
                longName = Self.cString(try readMetadata(size: header.size))
            case UInt8(ascii: "K"):
                longLink = Self.cString(try readMetadata(size: header.size))
            case UInt8(ascii: "x"):
                pax.merge(try Self.parsePAX(try readMetadata(size: header.size)), uniquingKeysWith: { $1 })
            case UInt8(ascii: "g"):
                _ = try readMetadata(size: header.size)
            default:
                var entry = header.entry
                if let longName { entry.path = longName }
                if let longLink { entry.linkTarget = longLink }
                if let path = pax["path"] { entry.path = path }
                if let link = pax["linkpath"] { entry.linkTarget = link }
                var size = header.size
                if let text = pax["size"] {
                    guard let parsed = Int64(text), parsed >= 0 else {
                        throw ModelFetchError(reason: .extractionFailed, detail: "PAX header has an invalid size \"\(text)\"")
                    }
                    size = parsed
                }
                // Only regular files carry content in practice; honour the header's size anyway.
                let stored = (header.typeflag == UInt8(ascii: "1") || header.typeflag == UInt8(ascii: "2")
                              || header.typeflag == UInt8(ascii: "5")) ? 0 : size
                if pax.keys.contains(where: { $0.hasPrefix("GNU.sparse.") }) { entry.kind = .sparse }
                entry.size = entry.kind == .file ? size : 0
                contentLeft = stored
                paddingLeft = (512 - stored % 512) % 512
                return entry
            }
        }
    }

    private mutating func readMetadata(size: Int64) throws -> Data {
        guard size <= maxMetadataSize else {
            throw ModelFetchError(reason: .extractionFailed, detail: "a tar metadata header of \(size) bytes exceeds the \(maxMetadataSize)-byte limit")
        }
        let data = try input.read(exactly: Int(size))
        guard data.count == Int(size), try input.skip((512 - size % 512) % 512) else { throw truncated() }
        return data
    }

    private func truncated() -> ModelFetchError {
        ModelFetchError(reason: .extractionFailed, detail: "the tar archive ends in the middle of an entry: it is truncated")
    }

    static func cString(_ data: Data) -> String {
        String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Parses PAX records: `"<length> <key>=<value>\n"` repeated.
    static func parsePAX(_ data: Data) throws -> [String: String] {
        var records: [String: String] = [:]
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)),
                  length > 0, index + length <= bytes.count, bytes[index + length - 1] == UInt8(ascii: "\n") else {
                throw ModelFetchError(reason: .extractionFailed, detail: "malformed PAX extended header")
            }
            let record = bytes[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
                let value = String(decoding: record[(equals + 1)...], as: UTF8.self)
                records[key] = value
            }
            index += length
        }
        return records
    }
}
