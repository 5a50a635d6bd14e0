import Foundation

/// An archive opened read-only as a regular file (a symlink or directory at its name is
/// refused) and read through its descriptor from then on: what was verified is what gets
/// unpacked, even if the name is renamed over or removed meanwhile (another pod evicting a
/// shared cache entry, say). Closed on deinit.
public final class ArchiveFile {
    /// The name it was opened by (for messages, and for zip readers that need a path).
    public let path: String
    let fd: Int32
    /// The size when it was opened.
    public let size: Int64

    private init(fd: Int32, path: String, size: Int64) {
        self.fd = fd
        self.path = path
        self.size = size
    }

    deinit {
        POSIX.closeFile(fd)
    }

    /// Opens `path` with `O_NOFOLLOW`; it must be a regular file.
    public static func open(_ path: String) throws(ModelFetchError) -> ArchiveFile {
        let fd = POSIX.openFile(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot open \(path) for reading: \(Errno.current.message)")
        }
        return try adopt(fd, path: path)
    }

    /// A second, independent descriptor for the file `descriptor` refers to (a download still
    /// open for writing), so the bytes hashed on arrival are the bytes unpacked.
    static func reopen(descriptor: Int32, path: String) throws(ModelFetchError) -> ArchiveFile {
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot reopen \(path): \(Errno.current.message)")
        }
        return try adopt(fd, path: path)
    }

    private static func adopt(_ fd: Int32, path: String) throws(ModelFetchError) -> ArchiveFile {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            POSIX.closeFile(fd)
            throw ModelFetchError(reason: .storageFailed, detail: "\(path) is not a regular file")
        }
        return ArchiveFile(fd: fd, path: path, size: Int64(status.st_size))
    }

    /// Reads up to `count` bytes at `offset`; empty at the end of the file.
    func read(at offset: Int64, upTo count: Int, into buffer: inout [UInt8]) throws(ModelFetchError) -> Int {
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw ModelFetchError(reason: .storageFailed, detail: "cannot read \(path): \(Errno.current.message)")
        }
    }

    /// The SHA-256 of the whole file, read from the start in 1 MiB chunks.
    public func digest() throws(ModelFetchError) -> SHA256Digest {
        let hasher = SHA256Hasher()
        var buffer: [UInt8] = []
        var offset: Int64 = 0
        while true {
            let got = try read(at: offset, upTo: 1 << 20, into: &buffer)
            if got == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            offset += Int64(got)
        }
        return hasher.finalize()
    }

    /// Marks the file as just used (its modification time becomes now), for least-recently-used
    /// eviction; fails silently on a read-only cache.
    func touch() {
        _ = futimens(fd, nil)
    }

    /// A path that opens this very file, for readers that take a path (zip): the descriptor's
    /// `/proc/self/fd` entry where there is one, else the name.
    var reopenablePath: String {
        let procPath = "/proc/self/fd/\(fd)"
        return FileManager.default.fileExists(atPath: procPath) ? procPath : path
    }
}

/// Reads an `ArchiveFile` from the start, feeding every byte read to a hasher, so an archive is
/// hashed in the same pass that unpacks it. One reused buffer: memory stays constant. A class, so
/// whoever holds it reads on where a decoder that shares it stopped.
final class ArchiveFileSource: ByteSource {
    private let file: ArchiveFile
    private let hasher: SHA256Hasher?
    private var offset: Int64 = 0
    private var buffer: [UInt8] = []

    /// `hasher` nil: the file was verified already and is only read.
    init(_ file: ArchiveFile, hasher: SHA256Hasher?) {
        self.file = file
        self.hasher = hasher
    }

    func read(upTo count: Int) throws -> Data {
        let got = try file.read(at: offset, upTo: min(count, 1 << 20), into: &buffer)
        offset += Int64(got)
        let chunk = Data(buffer[0..<got])
        hasher?.update(chunk)
        return chunk
    }
}
