import Foundation

/// Writes archive entries under one root directory and nowhere else. Every parent directory is
/// checked with `lstat` on the way down (an entry under a symlink is refused), files are opened
/// with `O_NOFOLLOW`, links are checked before they are made, and modes are sanitized: files
/// get 0644, or 0755 when any execute bit was set; directories 0755; never setuid, setgid or
/// sticky, never group- or world-writable (the serving container may run as another user, so
/// everything is readable by all).
struct SafeTreeWriter {
    let root: String
    let limits: ExtractionLimits
    private(set) var entryCount = 0
    private(set) var totalBytes: Int64 = 0

    init(root: String, limits: ExtractionLimits) {
        self.root = root
        self.limits = limits
    }

    /// Extracts one entry. For a file, `feed` is called once and hands every chunk of the
    /// content, in order, to the sink it gets.
    mutating func write(_ entry: TarEntry,
                        feed: (_ sink: (Data) throws(ModelFetchError) -> Void) throws(ModelFetchError) -> Void = { _ in })
        throws(ModelFetchError) {
        entryCount += 1
        guard entryCount <= limits.maxEntries else {
            throw ModelFetchError(reason: .unsafeArchive, detail: "the archive has more than \(limits.maxEntries) entries, the limit; raise --max-entries if it is genuine")
        }
        let parts = try ArchivePath.components(of: entry.path)
        if parts.isEmpty {
            guard entry.kind == .directory else { throw ArchivePath.unsafe(entry.path, "it names the destination itself") }
            return
        }
        try makeParents(of: parts, entry: entry.path)
        let path = fullPath(parts)
        switch entry.kind {
        case .directory:
            switch fileType(path) {
            case nil:
                guard mkdir(path, 0o755) == 0 else { throw storage("cannot create directory \(path)") }
                chmod(path, 0o755)  // whatever the umask: the serving user must be able to enter it
            case S_IFDIR:
                break
            default:
                throw ArchivePath.unsafe(entry.path, "a directory would replace a file or link of the same name")
            }
        case .file:
            guard totalBytes + entry.size <= limits.maxTotalBytes else { throw tooBig() }
            try removeExisting(path, entry: entry.path)
            let mode: mode_t = entry.mode & 0o111 != 0 ? 0o755 : 0o644
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard fd >= 0 else { throw storage("cannot create \(path)") }
            defer { close(fd) }
            fchmod(fd, mode)
            try feed { (chunk) throws(ModelFetchError) in
                totalBytes += Int64(chunk.count)
                guard totalBytes <= limits.maxTotalBytes else { throw tooBig() }
                try writeAll(fd, chunk, path: path)
            }
        case .symlink:
            _ = try ArchivePath.symlinkTarget(entry.linkTarget, of: parts, entry: entry.path)
            try removeExisting(path, entry: entry.path)
            guard symlink(entry.linkTarget, path) == 0 else { throw storage("cannot create symlink \(path)") }
        case .hardlink:
            let targetParts = try ArchivePath.components(of: entry.linkTarget)
            let target = fullPath(targetParts)
            guard !targetParts.isEmpty, try noSymlinkAbove(targetParts), fileType(target) == S_IFREG else {
                throw ArchivePath.unsafe(entry.path, "it is a hard link to \(entry.linkTarget), which is not a file extracted earlier from this archive")
            }
            try removeExisting(path, entry: entry.path)
            guard link(target, path) == 0 else { throw storage("cannot create hard link \(path)") }
        case .special(let flag):
            throw ArchivePath.unsafe(entry.path, "it is a device or FIFO (tar type \(flag)); model archives hold only files, directories and links")
        }
    }

    /// Creates missing parent directories; refuses a parent that is a symlink or a file.
    private func makeParents(of parts: [String], entry: String) throws(ModelFetchError) {
        var path = root
        for part in parts.dropLast() {
            path += "/" + part
            switch fileType(path) {
            case nil:
                guard mkdir(path, 0o755) == 0 else { throw storage("cannot create directory \(path)") }
                chmod(path, 0o755)  // whatever the umask: the serving user must be able to enter it
            case S_IFDIR:
                continue
            case S_IFLNK:
                throw ArchivePath.unsafe(entry, "it lies under \(part), a symlink; writing through links could leave the destination")
            default:
                throw ArchivePath.unsafe(entry, "its parent \(part) is a file, not a directory")
            }
        }
    }

    private func noSymlinkAbove(_ parts: [String]) throws(ModelFetchError) -> Bool {
        var path = root
        for part in parts.dropLast() {
            path += "/" + part
            if fileType(path) != S_IFDIR { return false }
        }
        return true
    }

    /// Unlinks a file or link that a later entry of the same name replaces (tar allows that).
    private func removeExisting(_ path: String, entry: String) throws(ModelFetchError) {
        switch fileType(path) {
        case nil: return
        case S_IFDIR: throw ArchivePath.unsafe(entry, "a file or link would replace a directory of the same name")
        default:
            guard unlink(path) == 0 else { throw storage("cannot replace \(path)") }
        }
    }

    private func fullPath(_ parts: [String]) -> String {
        root + "/" + parts.joined(separator: "/")
    }

    private func writeAll(_ fd: Int32, _ data: Data, path: String) throws(ModelFetchError) {
        if let failure = data.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
            errno = failure
            throw storage("cannot write \(path)")
        }
    }

    private func tooBig() -> ModelFetchError {
        ModelFetchError(reason: .unsafeArchive, detail: "the archive unpacks to more than \(limits.maxTotalBytes) bytes, the limit; raise --max-extracted-size if it is genuine")
    }

    private func storage(_ what: String) -> ModelFetchError {
        ModelFetchError(reason: .storageFailed, detail: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// The `S_IFMT` bits of `path` without following a final symlink; nil when it does not exist.
func fileType(_ path: String) -> mode_t? {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    return status.st_mode & S_IFMT
}
