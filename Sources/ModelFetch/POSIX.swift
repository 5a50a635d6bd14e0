#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library calls whose names clash with Swift methods (`write`, `rename`, `close`), under
/// names that resolve the same on Glibc, Musl and Darwin.
enum POSIX {
    /// Writes all of `buffer` to `fd`, retrying on EINTR; returns errno on failure, nil on success.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    static func renameFile(_ source: String, _ destination: String) -> Int32 {
        rename(source, destination)
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    static func openFile(_ path: String, _ flags: Int32) -> Int32 {
        open(path, flags)
    }

    /// Reads up to `count` bytes into `buffer`, retrying on EINTR; -1 with errno set on failure.
    static func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let got = read(fd, buffer, count)
            if got < 0 && errno == EINTR { continue }
            return got
        }
    }
}
