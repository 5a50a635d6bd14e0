import Foundation

/// `python3 -m http.server` serving a directory on 127.0.0.1 at an ephemeral port, for
/// benchmarks (the same server for every contender, so ratios are fair). Started with
/// `posix_spawn` and a clean signal mask, stopped with SIGKILL and reaped.
final class LoopbackFileServer {
    private let pid: pid_t
    let port: Int

    init(directory: String) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchmarkFailure("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments = ["/usr/bin/env", "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw BenchmarkFailure("cannot start python3 http.server: \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        // The server prints "Serving HTTP on 127.0.0.1 port N (...)" once it listens.
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        var seen = ""
        while !seen.contains("\n") {
            let data = output.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        guard let range = seen.range(of: "port "), let port = Int(seen[range.upperBound...].prefix { $0.isNumber }) else {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            throw BenchmarkFailure("python3 http.server did not start: \(seen)")
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }
}
