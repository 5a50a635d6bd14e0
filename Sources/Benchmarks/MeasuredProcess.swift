import Foundation
import ProcessSpawn

/// A child process run to completion with its wall time and peak resident memory (`ru_maxrss`
/// from `wait4`, so no external `time` tool is needed).
struct MeasuredRun {
    var status: Int32
    var seconds: Double
    /// Peak resident set size of the child in bytes.
    var peakMemory: Int64

    /// Runs `arguments[0]` (a path) with the rest as arguments; stdout goes to `stdoutPath`.
    static func run(_ arguments: [String], stdoutPath: String = "/dev/null") throws -> MeasuredRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw BenchmarkFailure("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchmarkFailure("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let elapsed = ContinuousClock.now - started
        return MeasuredRun(status: WaitStatus.exitCode(status), seconds: elapsed.inSeconds, peakMemory: Int64(usage.ru_maxrss) * 1024)
    }
}

extension Duration {
    var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
