import Foundation

/// Starts a program the way a kubelet starts a container: standard input from /dev/null,
/// standard output and error into files, no other descriptor of this process, no blocked signals
/// and default SIGTERM/SIGINT handlers whatever the parent blocked or ignored (test runners block
/// them). The caller reaps the returned pid (``ReapedChild`` does).
public enum PodLikeSpawn {
    /// Starts `arguments[0]` (a path) with the rest as its arguments and `environment` added to
    /// this process's. Standard output goes to `output`; standard error to `errors`, or into
    /// `output` too when nil. Both files are created or truncated.
    public static func spawn(_ arguments: [String], output: URL, errors: URL? = nil,
                             environment: [String: String] = [:]) throws -> pid_t {
        guard let executable = arguments.first else { throw SpawnFailed(description: "no program given") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        InheritedDescriptors.closeFromThree(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw SpawnFailed(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
