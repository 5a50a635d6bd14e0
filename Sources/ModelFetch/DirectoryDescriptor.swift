#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open directory that `*at` system calls work relative to, so a name inside it is looked up
/// in exactly this directory and never resolved through a symlink elsewhere. Closed on deinit.
final class DirectoryDescriptor {
    let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        POSIX.closeFile(fd)
    }

    /// Opens `path` itself (the extraction root, which the caller made), or returns errno.
    static func open(path: String) -> Result<DirectoryDescriptor, Errno> {
        let fd = POSIX.openFile(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        return fd >= 0 ? .success(DirectoryDescriptor(fd: fd)) : .failure(Errno.current)
    }

    /// The child directory `name`, opened with `O_NOFOLLOW`: a symlink there fails (`ELOOP`)
    /// instead of being followed; a missing one fails with `ENOENT`.
    func child(_ name: String) -> Result<DirectoryDescriptor, Errno> {
        let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        return fd >= 0 ? .success(DirectoryDescriptor(fd: fd)) : .failure(Errno.current)
    }

    /// The `S_IFMT` bits of `name` in this directory, without following a symlink; nil when absent.
    func type(of name: String) -> mode_t? {
        var status = stat()
        guard fstatat(fd, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }
}

/// An `errno` value with its text.
struct Errno: Error, Equatable {
    let code: Int32

    static var current: Errno { Errno(code: errno) }

    var message: String { String(cString: strerror(code)) }
}
