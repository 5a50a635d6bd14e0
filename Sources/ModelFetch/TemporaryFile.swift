import Foundation

/// A uniquely named file created with `mkstemp`, written through its descriptor, then either
/// renamed into place atomically or removed.
public final class TemporaryFile {
    public let path: String
    private var descriptor: Int32
    private var renamed = false

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close()
        if !renamed { unlink(path) }
    }

    /// Creates `<directory>/<prefix>XXXXXX`, readable by everyone (0644).
    public static func create(inDirectory directory: String, prefix: String) throws(ModelFetchError) -> TemporaryFile {
        var template = Array((directory + "/" + prefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }  // the buffer is never empty
        guard fd >= 0 else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o644)
        let path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })  // non-empty buffer
        return TemporaryFile(path: path, descriptor: fd)
    }

    /// Appends bytes.
    public func write(_ data: Data) throws(ModelFetchError) {
        let failure = data.withUnsafeBytes { POSIX.writeAll(descriptor, $0) }
        if let failure {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }

    /// A read-only handle on the same file, independent of this one: it stays valid after a
    /// rename, or after the name is removed, so the bytes verified on arrival are the ones read.
    public func reopenForReading() throws(ModelFetchError) -> ArchiveFile {
        try ArchiveFile.reopen(descriptor: descriptor, path: path)
    }

    /// Flushes to disk and renames over `destination` (same file system, so atomic).
    public func rename(to destination: String) throws(ModelFetchError) {
        fsync(descriptor)
        close()
        guard POSIX.renameFile(path, destination) == 0 else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot rename \(path) to \(destination): \(String(cString: strerror(errno)))")
        }
        renamed = true
    }

    private func close() {
        if descriptor >= 0 {
            POSIX.closeFile(descriptor)
            descriptor = -1
        }
    }
}
