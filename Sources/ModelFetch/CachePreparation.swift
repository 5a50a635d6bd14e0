#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives a node cache directory to the user `fetch` runs as (`fetch --prepare-cache`).
///
/// The kubelet creates a `DirectoryOrCreate` hostPath as root with mode 0755, where the
/// non-root fetch user can neither add nor evict archives. Run as root with only CAP_CHOWN (the
/// serving pod's first init container, in node-cache mode), this makes `<root>` and
/// `<root>/sha256` owned by `owner` with mode 0750, and hands over the regular files already in
/// `<root>/sha256` (archives an older, root-run fetch left). Symbolic links are never followed:
/// ownership changes use `AT_SYMLINK_NOFOLLOW`, and a non-directory where a directory belongs is
/// an error rather than something to change.
public enum CachePreparation {
    public static func prepare(root: String, owner: UInt32, group: UInt32) throws(ModelFetchError) {
        let entries = root + "/sha256"
        for directory in [root, entries] {
            if mkdir(directory, 0o750) != 0, errno != EEXIST {
                throw failure("cannot create \(directory)", errno)
            }
            var info = stat()
            guard lstat(directory, &info) == 0 else { throw failure("cannot inspect \(directory)", errno) }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw ModelFetchError(reason: .storageFailed, detail: "\(directory) is not a directory; remove it from the node")
            }
            try handOver(directory, owner: owner, group: group)
            guard chmod(directory, 0o750) == 0 else { throw failure("cannot set the mode of \(directory)", errno) }
        }
        guard let stream = opendir(entries) else { throw failure("cannot list \(entries)", errno) }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var info = stat()
            let path = entries + "/" + name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            try handOver(path, owner: owner, group: group)
        }
    }

    private static func handOver(_ path: String, owner: UInt32, group: UInt32) throws(ModelFetchError) {
        guard fchownat(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw failure("cannot give \(path) to user \(owner) (the container needs CAP_CHOWN)", errno)
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> ModelFetchError {
        ModelFetchError(reason: .storageFailed, detail: "\(what): \(String(cString: strerror(code)))")
    }
}
