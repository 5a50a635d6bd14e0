import Foundation

/// A node-local directory of verified archives keyed by digest: `<root>/sha256/<hex>`.
///
/// Policy: *trust on write, verify on read*. An archive gets its final name only by an atomic
/// rename after its digest matched, so a name never holds a partial or wrong download. Because
/// a hostPath cache can still rot or be tampered with, whoever reads an entry hashes it again
/// while reading (the extractor does this in the same pass that unpacks, so it costs no extra
/// read) and evicts it on a mismatch. Several init containers on one node may fill the same
/// entry at once: each writes its own temporary file and the renames are atomic.
public struct DigestCache: Sendable {
    /// The cache's root directory (created on first write).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// Where the archive with this digest lives (whether or not it is there).
    public func path(for digest: SHA256Digest) -> String {
        directory + "/" + digest.hex
    }

    /// True when an archive with this digest is cached (as a regular file).
    public func contains(_ digest: SHA256Digest) -> Bool {
        var status = stat()
        return lstat(path(for: digest), &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Creates the directory and an empty temporary file beside the entries, for a download.
    public func makeTemporaryFile() throws(ModelFetchError) -> TemporaryFile {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create cache directory \(directory): \(error.localizedDescription)")
        }
        return try TemporaryFile.create(inDirectory: directory, prefix: ".incoming-")
    }

    /// Gives a downloaded, verified temporary file its final name.
    public func commit(_ file: TemporaryFile, as digest: SHA256Digest) throws(ModelFetchError) {
        try file.rename(to: path(for: digest))
    }

    /// Removes a cached archive (for example one that no longer matches its name).
    public func evict(_ digest: SHA256Digest) {
        unlink(path(for: digest))
    }

    private var directory: String { root + "/sha256" }
}
