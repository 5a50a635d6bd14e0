import KubeModel
import Foundation

/// Writes archive entries under one root directory and nowhere else, by construction: the root
/// is opened once, and every path component below it is opened relative to its parent's
/// descriptor (`openat` with `O_NOFOLLOW | O_DIRECTORY`, `mkdirat`), files are created with
/// `O_NOFOLLOW | O_CREAT | O_EXCL`, links with `symlinkat`/`linkat`. No path is ever resolved
/// through a symlink, so no entry name, however spelled, can write outside the root.
///
/// Symlinks are kept only when their target resolves inside the tree, following the archive's
/// earlier symlinks the way the kernel would (`SymlinkResolver`); `finish()` checks every link
/// again against the final tree, since a later link can change where an earlier one leads.
/// Modes are sanitized: files get 0644, or 0755 when any execute bit was set; directories 0755;
/// never setuid, setgid or sticky, never group- or world-writable (the serving container may
/// run as another user, so everything is readable by all). Each file must hold exactly the
/// bytes its header declares (a zip entry that inflates to more is refused as soon as it does).
struct SafeTreeWriter {
    let root: String
    let limits: EffectiveExtractionLimits
    private(set) var entryCount = 0
    private(set) var totalBytes: Int64 = 0
    private let rootDirectory: DirectoryDescriptor
    /// The symlinks written so far, by relative path (components joined with `/`), with targets.
    private var links: [String: String] = [:]

    init(root: String, limits: EffectiveExtractionLimits) throws(ModelFetchError) {
        self.root = root
        self.limits = limits
        switch DirectoryDescriptor.open(path: root) {
        case .success(let directory): rootDirectory = directory
        case .failure(let error):
            throw ModelFetchError(reason: .storageFailed, detail: "cannot open the extraction directory \(root): \(error.message)")
        }
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
        switch entry.kind {
        case .special(let flag):
            throw ArchivePath.unsafe(entry.path, "it is a device or FIFO (tar type \(DisplayText.sanitized(String(flag)))); model archives hold only files, directories and links")
        case .sparse:
            throw ArchivePath.unsafe(entry.path, "it is a GNU sparse file, which is not supported; pack the archive without --sparse")
        default:
            break
        }
        let parent = try openParents(parts.dropLast(), create: true, entry: entry.path)
        let name = parts[parts.count - 1]
        switch entry.kind {
        case .directory:
            try makeDirectory(name, in: parent, entry: entry.path)
        case .file:
            try writeFile(entry, name: name, in: parent, relative: parts, feed: feed)
        case .symlink:
            try checkSymlink(entry, at: parts)
            try removeExisting(name, in: parent, relative: parts, entry: entry.path)
            guard symlinkat(entry.linkTarget, parent.fd, name) == 0 else { throw storage("cannot create symlink", entry.path) }
            links[parts.joined(separator: "/")] = entry.linkTarget
        case .hardlink:
            try writeHardLink(entry, name: name, in: parent, relative: parts)
        case .special, .sparse:
            break  // refused above
        }
    }

    /// Checks every symlink against the final tree: a link whose target resolved inside when it
    /// was written may lead outside through a link written after it.
    func finish() throws(ModelFetchError) {
        let resolver = SymlinkResolver { links[$0.joined(separator: "/")] }
        for (path, target) in links.sorted(by: { $0.key < $1.key }) {
            let parts = ArchivePath.split(Array(path.utf8)).map { String(decoding: $0, as: UTF8.self) }
            do { _ = try resolver.resolve(linkAt: parts, target: target) } catch {
                throw SymlinkResolver.error(error, entry: path, target: target)
            }
        }
    }

    // MARK: Entries

    private mutating func writeFile(_ entry: TarEntry, name: String, in parent: DirectoryDescriptor, relative: [String],
                                    feed: (_ sink: (Data) throws(ModelFetchError) -> Void) throws(ModelFetchError) -> Void)
        throws(ModelFetchError) {
        guard entry.size >= 0, totalBytes + entry.size <= limits.maxTotalBytes else { throw tooBig() }
        try removeExisting(name, in: parent, relative: relative, entry: entry.path)
        let mode: mode_t = entry.mode & 0o111 != 0 ? 0o755 : 0o644
        let fd = openat(parent.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw storage("cannot create the file", entry.path) }
        defer { POSIX.closeFile(fd) }
        fchmod(fd, mode)
        var written: Int64 = 0
        let limit = limits.maxTotalBytes
        var total = totalBytes
        defer { totalBytes = total }
        try feed { (chunk) throws(ModelFetchError) in
            written += Int64(chunk.count)
            total += Int64(chunk.count)
            guard written <= entry.size else {
                throw ArchivePath.unsafe(entry.path, "it unpacks to more than the \(entry.size) bytes its header declares")
            }
            guard total <= limit else { throw tooBig() }
            if let failure = chunk.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
                errno = failure
                throw storage("cannot write", entry.path)
            }
        }
        guard written == entry.size else {
            throw ArchivePath.unsafe(entry.path, "it unpacks to \(written) bytes, not the \(entry.size) bytes its header declares")
        }
    }

    private func makeDirectory(_ name: String, in parent: DirectoryDescriptor, entry: String) throws(ModelFetchError) {
        switch parent.type(of: name) {
        case nil:
            guard mkdirat(parent.fd, name, 0o755) == 0 else { throw storage("cannot create the directory", entry) }
            // Whatever the umask: the serving user must be able to enter it.
            if case .success(let made) = parent.child(name) { fchmod(made.fd, 0o755) }
        case S_IFDIR:
            break
        default:
            throw ArchivePath.unsafe(entry, "a directory would replace a file or link of the same name")
        }
    }

    private func checkSymlink(_ entry: TarEntry, at parts: [String]) throws(ModelFetchError) {
        guard !entry.linkTarget.isEmpty else { throw ArchivePath.unsafe(entry.path, "it is a symlink with an empty target") }
        guard !entry.linkTarget.utf8.contains(0) else { throw ArchivePath.unsafe(entry.path, "its symlink target contains a NUL byte") }
        let resolver = SymlinkResolver { links[$0.joined(separator: "/")] }
        do { _ = try resolver.resolve(linkAt: parts, target: entry.linkTarget) } catch {
            throw SymlinkResolver.error(error, entry: entry.path, target: entry.linkTarget)
        }
    }

    private mutating func writeHardLink(_ entry: TarEntry, name: String, in parent: DirectoryDescriptor,
                                        relative: [String]) throws(ModelFetchError) {
        let targetParts = try ArchivePath.components(of: entry.linkTarget)
        let refuse = ArchivePath.unsafe(entry.path, "it is a hard link to \(DisplayText.sanitized(entry.linkTarget)), which is not a file extracted earlier from this archive")
        guard let targetName = targetParts.last,
              let targetParent = try? openParents(targetParts.dropLast(), create: false, entry: entry.path),
              targetParent.type(of: targetName) == S_IFREG else {
            throw refuse
        }
        if targetParts == relative { return }  // a link to itself: the file is already there
        try removeExisting(name, in: parent, relative: relative, entry: entry.path)
        // linkat without AT_SYMLINK_FOLLOW links the name itself, never what a symlink points to.
        guard linkat(targetParent.fd, targetName, parent.fd, name, 0) == 0 else { throw storage("cannot create the hard link", entry.path) }
    }

    // MARK: Directories

    /// Opens each parent directory relative to the one above it, creating missing ones when
    /// `create` is set; refuses a parent that is a symlink or a file.
    private func openParents(_ parts: ArraySlice<String>, create: Bool, entry: String) throws(ModelFetchError) -> DirectoryDescriptor {
        var current = rootDirectory
        for part in parts {
            switch current.child(part) {
            case .success(let next):
                current = next
                continue
            case .failure(let error) where error.code == ENOENT && create:
                guard mkdirat(current.fd, part, 0o755) == 0 else { throw storage("cannot create the directory \(DisplayText.sanitized(part)) for", entry) }
                guard case .success(let made) = current.child(part) else { throw storage("cannot open the new directory \(DisplayText.sanitized(part)) for", entry) }
                fchmod(made.fd, 0o755)  // whatever the umask: the serving user must be able to enter it
                current = made
            case .failure(let error):
                switch current.type(of: part) {
                case S_IFLNK:
                    throw ArchivePath.unsafe(entry, "it lies under \(DisplayText.sanitized(part)), a symlink; writing through links could leave the destination")
                case nil:
                    throw ArchivePath.unsafe(entry, "its parent \(DisplayText.sanitized(part)) does not exist (\(error.message))")
                default:
                    throw ArchivePath.unsafe(entry, "its parent \(DisplayText.sanitized(part)) is a file, not a directory")
                }
            }
        }
        return current
    }

    /// Unlinks a file or link that a later entry of the same name replaces (tar allows that).
    private mutating func removeExisting(_ name: String, in parent: DirectoryDescriptor, relative: [String],
                                         entry: String) throws(ModelFetchError) {
        switch parent.type(of: name) {
        case nil: return
        case S_IFDIR: throw ArchivePath.unsafe(entry, "a file or link would replace a directory of the same name")
        default:
            guard unlinkat(parent.fd, name, 0) == 0 else { throw storage("cannot replace", entry) }
            links[relative.joined(separator: "/")] = nil
        }
    }

    // MARK: Errors

    private func tooBig() -> ModelFetchError {
        ModelFetchError(reason: .unsafeArchive, detail: "the archive unpacks to more than \(limits.maxTotalBytes) bytes, the limit\(limits.origin.map { " (\($0))" } ?? ""); raise --max-extracted-size if it is genuine")
    }

    private func storage(_ what: String, _ entry: String) -> ModelFetchError {
        let reason = String(cString: strerror(errno))
        return ModelFetchError(reason: .storageFailed, detail: "\(what) \"\(DisplayText.sanitized(entry))\" under \(root): \(reason)")
    }
}

/// The `S_IFMT` bits of `path` without following a final symlink; nil when it does not exist.
func fileType(_ path: String) -> mode_t? {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    return status.st_mode & S_IFMT
}
