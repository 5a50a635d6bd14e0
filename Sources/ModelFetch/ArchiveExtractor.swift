import Foundation

/// The container formats `ArchiveExtractor` recognizes, by their first bytes (not the URL's
/// extension, which a server or a manifest may get wrong).
public enum ArchiveFormat: String, Sendable, Equatable {
    case tar
    case gzippedTar = "tar.gz"
    case zip

    /// Sniffs the format from the file's leading bytes: gzip `1f 8b`, zip `PK 03 04` (or the
    /// `PK 05 06` of an empty zip), else tar
    /// (whose header checksum the reader then verifies).
    public static func detect(leadingBytes: Data) -> ArchiveFormat {
        let bytes = [UInt8](leadingBytes.prefix(4))
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b { return .gzippedTar }
        if bytes == [0x50, 0x4b, 0x03, 0x04] || bytes == [0x50, 0x4b, 0x05, 0x06] { return .zip }
        return .tar
    }
}

/// What an extraction produced.
public struct ExtractionSummary: Sendable, Equatable {
    public var format: ArchiveFormat
    public var entries: Int
    public var bytes: Int64
    /// The SHA-256 of the archive file as it was read (the whole file, trailing bytes included).
    public var archiveDigest: SHA256Digest
}

/// Unpacks `.tar`, `.tar.gz` and `.tgz` archives (and `.zip` through ZIPFoundation) into a
/// directory, safely (see `SafeTreeWriter`), streaming: memory stays constant whatever the
/// archive's size. The archive is read through one open descriptor (`ArchiveFile`). Unless the
/// caller verified that very file already, a tar archive is hashed in the same pass that unpacks
/// it and a zip archive in a pass before.
public struct ArchiveExtractor: Sendable {
    public var limits: ExtractionLimits

    public init(limits: ExtractionLimits = .standard) {
        self.limits = limits
    }

    /// Extracts the archive at `archivePath` into `root`, an existing directory that should be
    /// empty. On an error, whatever was written stays under `root` for the caller to remove.
    public func extract(archiveAt archivePath: String, into root: String) throws(ModelFetchError) -> ExtractionSummary {
        try extract(try ArchiveFile.open(archivePath), into: root)
    }

    /// Extracts an open archive into `root`. `verifiedDigest`, when the caller has hashed this
    /// very file (through this descriptor) already, is reported as the digest and spares the
    /// hashing.
    public func extract(_ file: ArchiveFile, into root: String,
                        verifiedDigest: SHA256Digest? = nil) throws(ModelFetchError) -> ExtractionSummary {
        let hasher = SHA256Hasher()
        let source = ArchiveFileSource(file, hasher: verifiedDigest == nil ? hasher : nil)
        let leading: Data
        do { leading = try source.read(upTo: 4) } catch {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot read \(file.path): \(error)")
        }
        let format = ArchiveFormat.detect(leadingBytes: leading)
        var writer = try SafeTreeWriter(root: root, limits: limits.effective(archiveBytes: file.size))
        switch format {
        case .zip:
            // Zip needs random access, so the file is hashed in a pass of its own first.
            let digest: SHA256Digest
            if let verifiedDigest { digest = verifiedDigest } else { digest = try file.digest() }
            let entries = try ZipUnpacker.unpack(archiveAt: file.reopenablePath, into: &writer)
            try writer.finish()
            return ExtractionSummary(format: format, entries: entries, bytes: writer.totalBytes, archiveDigest: digest)
        case .tar:
            var reader = TarReader(PrefixedByteSource(prefix: leading, rest: source))
            try Self.unpack(&reader, into: &writer)
        case .gzippedTar:
            var reader = TarReader(try GzipByteSource(PrefixedByteSource(prefix: leading, rest: source)))
            try Self.unpack(&reader, into: &writer)
        }
        try writer.finish()
        do {
            while verifiedDigest == nil, !(try source.read(upTo: 1 << 20)).isEmpty {}
        } catch {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot read \(file.path): \(error)")
        }
        return ExtractionSummary(format: format, entries: writer.entryCount, bytes: writer.totalBytes,
                                 archiveDigest: verifiedDigest ?? hasher.finalize())
    }

    private static func unpack<S: ByteSource>(_ reader: inout TarReader<S>, into writer: inout SafeTreeWriter) throws(ModelFetchError) {
        var sawEntry = false
        while let entry = try reader.nextEntry() {
            sawEntry = true
            try writer.write(entry) { (sink) throws(ModelFetchError) in
                while true {
                    let chunk = try reader.readContent()
                    if chunk.isEmpty { return }
                    try sink(chunk)
                }
            }
        }
        if !sawEntry {
            throw ModelFetchError(reason: .extractionFailed, detail: "the archive is empty")
        }
    }
}

/// Replays bytes already read (the format sniff) before the rest of a source.
struct PrefixedByteSource<Rest: ByteSource>: ByteSource {
    private var prefix: Data
    private var rest: Rest

    init(prefix: Data, rest: Rest) {
        self.prefix = prefix
        self.rest = rest
    }

    mutating func read(upTo count: Int) throws -> Data {
        if !prefix.isEmpty {
            let out = prefix.prefix(count)
            prefix = Data(prefix.dropFirst(out.count))
            return Data(out)
        }
        return try rest.read(upTo: count)
    }
}
