import Foundation
import ZIPFoundation

/// Feeds the entries of a zip archive (read with ZIPFoundation, which checks each entry's CRC-32)
/// to a `SafeTreeWriter`, so zip gets the same path, link, mode and size rules as tar.
enum ZipUnpacker {
    /// The longest symlink target accepted (targets are read into memory).
    static let maxLinkTarget = 4096

    /// Unpacks every entry; returns how many there were.
    static func unpack(archiveAt path: String, into writer: inout SafeTreeWriter) throws(ModelFetchError) -> Int {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ModelFetchError(reason: .extractionFailed, detail: "the zip archive cannot be read (\(error)); it is corrupt or truncated")
        }
        var count = 0
        for entry in archive {
            count += 1
            let mode = UInt32((entry.fileAttributes[.posixPermissions] as? Int) ?? 0o644)
            switch entry.type {
            case .directory:
                try writer.write(TarEntry(path: entry.path, kind: .directory, mode: mode, size: 0))
            case .symlink:
                // ZIPFoundation hands over a link's stored bytes as they are; deflate them here.
                var raw = try contents(of: entry, in: archive, limit: maxLinkTarget)
                if entry.isCompressed { raw = try InflateState.inflateRaw(raw, limit: maxLinkTarget) }
                guard raw.count <= maxLinkTarget else {
                    throw ArchivePath.unsafe(entry.path, "its symlink target is longer than \(maxLinkTarget) bytes")
                }
                let target = String(decoding: raw, as: UTF8.self)
                try writer.write(TarEntry(path: entry.path, kind: .symlink, mode: mode, size: 0, linkTarget: target))
            case .file:
                let size = Int64(clamping: entry.uncompressedSize)
                try writer.write(TarEntry(path: entry.path, kind: .file, mode: mode, size: size)) { (sink) throws(ModelFetchError) in
                    try extract(entry, from: archive) { data throws(ModelFetchError) in try sink(data) }
                }
            }
        }
        if count == 0 {
            throw ModelFetchError(reason: .extractionFailed, detail: "the archive is empty")
        }
        return count
    }

    private static func contents(of entry: Entry, in archive: Archive, limit: Int) throws(ModelFetchError) -> Data {
        var data = Data()
        try extract(entry, from: archive) { (chunk) throws(ModelFetchError) in
            data.append(chunk)
            guard data.count <= limit else {
                throw ArchivePath.unsafe(entry.path, "its symlink target is longer than \(limit) bytes")
            }
        }
        return data
    }

    /// Streams one entry's content, turning ZIPFoundation's errors into `ModelFetchError`s.
    private static func extract(_ entry: Entry, from archive: Archive,
                                _ consume: (Data) throws(ModelFetchError) -> Void) throws(ModelFetchError) {
        var failure: ModelFetchError?
        do {
            _ = try archive.extract(entry, consumer: { data in
                do { try consume(data) } catch {
                    failure = error as? ModelFetchError
                    throw error
                }
            })
        } catch {
            if let failure { throw failure }
            throw ModelFetchError(reason: .extractionFailed, detail: "cannot unpack \(entry.path) from the zip archive (\(error)); it is corrupt")
        }
    }
}
