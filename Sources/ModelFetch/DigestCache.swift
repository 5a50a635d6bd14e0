import Foundation

/// A node-local directory of verified archives keyed by digest: `<root>/sha256/<hex>`.
///
/// Policy: *trust on write, verify before use*. An archive gets its final name only by an
/// atomic rename after its digest matched, so a name never holds a partial or wrong download.
/// Because a hostPath cache can still rot or be tampered with, `lookup` hashes an entry again
/// before anyone parses it, through the descriptor the caller then unpacks from, and heals the
/// cache: an entry that does not match (truncated, bit-flipped) or is not a regular file (a
/// directory, a link) is removed, so the caller downloads it again instead of failing forever.
///
/// Several init containers on one node may fill the same entry at once: each writes its own
/// temporary file and the renames are atomic; a reader keeps its open descriptor even if the
/// entry is evicted meanwhile. Leftovers of killed fetches (`.incoming-*`) are removed once
/// they are older than `staleAge`, and `trim` keeps the cache under a size bound by evicting
/// the least recently used entries (each use sets the entry's modification time).
public struct DigestCache: Sendable {
    /// The cache's root directory (created on first write).
    public let root: String

    /// Leftovers untouched for this long belong to a fetch that died (a running download
    /// writes continuously, so its file's modification time stays fresh).
    public static let staleAge: Duration = .seconds(15 * 60)
    /// The prefix of a download in progress.
    public static let incomingPrefix = ".incoming-"

    public init(root: String) {
        self.root = root
    }

    /// Where the archive with this digest lives (whether or not it is there).
    public func path(for digest: SHA256Digest) -> String {
        directory + "/" + digest.hex
    }

    /// True when an archive with this digest is cached (as a regular file; not verified).
    public func contains(_ digest: SHA256Digest) -> Bool {
        fileType(path(for: digest)) == S_IFREG
    }

    /// What `lookup` found.
    public enum Lookup {
        /// The entry, open, and hashed just now to the digest it is named after.
        case verified(ArchiveFile)
        /// No entry.
        case missing
        /// There was something unusable under the name; `note` says what and whether it could
        /// be removed (a read-only cache cannot be healed, only bypassed).
        case unusable(note: String, removed: Bool)
    }

    /// Opens and re-hashes the entry for `digest` before anything parses it; removes an entry
    /// that does not match or is not a regular file. A verified entry is marked as just used.
    public func lookup(_ digest: SHA256Digest) -> Lookup {
        let path = path(for: digest)
        guard let type = fileType(path) else { return .missing }
        guard type == S_IFREG else {
            let removed = Self.removeAnything(at: path)
            return .unusable(note: "the cache entry \(path) was not a regular file", removed: removed)
        }
        let file: ArchiveFile
        let actual: SHA256Digest
        do {
            file = try ArchiveFile.open(path)
            actual = try file.digest()
        } catch {
            return .unusable(note: "the cache entry \(path) cannot be read (\(error.detail))", removed: false)
        }
        guard actual == digest else {
            let removed = unlink(path) == 0
            return .unusable(note: "the cache entry \(path) was corrupt (its content hashes to \(actual.hex))", removed: removed)
        }
        file.touch()
        return .verified(file)
    }

    /// Creates the directory and an empty temporary file beside the entries, for a download.
    public func makeTemporaryFile() throws(ModelFetchError) -> TemporaryFile {
        if let failure = Self.makeDirectories(directory) {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create cache directory \(directory): \(failure)")
        }
        return try TemporaryFile.create(inDirectory: directory, prefix: Self.incomingPrefix)
    }

    /// Gives a downloaded, verified temporary file its final name, replacing whatever is not a
    /// regular file there (a directory at the digest path would make the rename fail forever).
    public func commit(_ file: TemporaryFile, as digest: SHA256Digest) throws(ModelFetchError) {
        let path = path(for: digest)
        if let type = fileType(path), type != S_IFREG { _ = Self.removeAnything(at: path) }
        try file.rename(to: path)
    }

    /// Removes a cached archive (for example one that no longer matches its name).
    public func evict(_ digest: SHA256Digest) {
        _ = Self.removeAnything(at: path(for: digest))
    }

    /// Removes `.incoming-*` files untouched for `staleAge`; returns how many.
    @discardableResult
    public func removeStaleLeftovers(now: Date = Date(), staleAge: Duration = DigestCache.staleAge) -> Int {
        StaleLeftovers.remove(in: directory, prefixes: [Self.incomingPrefix], now: now, staleAge: staleAge)
    }

    /// Evicts least recently used entries (oldest modification time first) until the entries
    /// together take at most `maxBytes`; `keeping` is never evicted (the archive in use). Returns
    /// the digests' hex names evicted.
    @discardableResult
    public func trim(toAtMost maxBytes: Int64, keeping: SHA256Digest?) -> [String] {
        var entries: [(name: String, bytes: Int64, used: Date)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard SHA256Digest.isValidHex(name) else { continue }
            var status = stat()
            guard lstat(directory + "/" + name, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let used = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
            entries.append((name, Int64(status.st_size), used))
        }
        var total = entries.reduce(0) { $0 + $1.bytes }
        var evicted: [String] = []
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > maxBytes {
            if entry.name == keeping?.hex { continue }
            if unlink(directory + "/" + entry.name) == 0 {
                total -= entry.bytes
                evicted.append(entry.name)
            }
        }
        return evicted
    }

    private var directory: String { root + "/sha256" }

    /// `mkdir -p` with the system's own reason on failure (Foundation's is a bare error code).
    static func makeDirectories(_ path: String) -> String? {
        var current = ArchivePath.isAbsolute(path) ? "" : "."
        for part in ArchivePath.split(Array(path.utf8)) {
            current += "/" + String(decoding: part, as: UTF8.self)
            if mkdir(current, 0o755) == 0 { continue }
            let failure = Errno.current
            if fileType(current) == S_IFDIR { continue }
            return failure.code == EEXIST ? "\(current) exists and is not a directory" : "\(current): \(failure.message)"
        }
        return nil
    }

    /// Removes a file, link or whole directory tree (links inside are removed, not followed).
    static func removeAnything(at path: String) -> Bool {
        if fileType(path) == S_IFDIR {
            return (try? FileManager.default.removeItem(atPath: path)) != nil
        }
        return unlink(path) == 0
    }
}

/// Removal of what killed fetches leave behind: names with a known prefix, untouched for long.
enum StaleLeftovers {
    static func remove(in directory: String, prefixes: [String], now: Date, staleAge: Duration) -> Int {
        let cutoff = now.addingTimeInterval(-Double(staleAge.components.seconds))
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where prefixes.contains(where: { name.hasPrefix($0) }) {
            let path = directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            let modified = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec))
            if modified < cutoff, DigestCache.removeAnything(at: path) { removed += 1 }
        }
        return removed
    }
}
