import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The tests' one way to run a program (the built binaries, kubectl, curl): started the way a
/// kubelet starts a container (standard input from /dev/null, output into files so no pipe can
/// fill up, no blocked signals and default SIGTERM/SIGINT handlers whatever the test runner
/// blocked or ignored), reaped by a thread of its own so waiting never blocks Swift's cooperative
/// pool, and stopped by its own pid.
public final class SpawnedProcess: Sendable {
    public let arguments: [String]
    public let pid: pid_t
    /// Where standard output goes.
    public let outputFile: URL
    /// Where standard error goes (the same file as ``outputFile`` when they are combined).
    public let errorFile: URL
    private let exitCode = Mutex<Int32?>(nil)

    /// Starts `arguments[0]` (a path) with the rest as its arguments and `environment` added to
    /// this process's. Standard output goes to `output`; standard error to `errors`, or into
    /// `output` too when nil.
    public static func start(_ arguments: [String], output: URL, errors: URL? = nil,
                             environment: [String: String] = [:]) throws -> SpawnedProcess {
        let pid = try spawn(arguments, output: output, errors: errors, environment: environment)
        let process = SpawnedProcess(arguments: arguments, pid: pid, outputFile: output, errorFile: errors ?? output)
        process.reapInBackground()
        return process
    }

    /// Starts the program with its standard output and error in two new files in `directory`.
    public static func start(_ arguments: [String], logsIn directory: URL,
                             environment: [String: String] = [:]) throws -> SpawnedProcess {
        let name = URL(fileURLWithPath: arguments.first ?? "process").lastPathComponent + "-" + UUID().uuidString
        return try start(arguments, output: directory.appendingPathComponent(name + ".out"),
                         errors: directory.appendingPathComponent(name + ".err"), environment: environment)
    }

    private init(arguments: [String], pid: pid_t, outputFile: URL, errorFile: URL) {
        self.arguments = arguments
        self.pid = pid
        self.outputFile = outputFile
        self.errorFile = errorFile
    }

    /// What the program wrote to standard output so far.
    public var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    /// What the program wrote to standard error so far.
    public var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// The exit status once the process ended: its exit code, or 128 + the signal that ended it.
    public var exitStatus: Int32? { exitCode.withLock { $0 } }

    /// Sends a signal (SIGTERM, SIGKILL, ...) unless the process has ended.
    public func signal(_ signal: Int32) {
        if exitStatus == nil { _ = kill(pid, signal) }
    }

    /// Waits (polling) until the process ended; nil when it still runs after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        try? await eventuallyValue("\(arguments.first ?? "") exited", timeout: timeout) { exitStatus }
    }

    /// Waits until the process ended and returns its exit status; after `timeout` it is killed
    /// and the wait fails.
    public func wait(timeout: Duration = .seconds(120)) async throws -> Int32 {
        if let status = await waitForExit(timeout: timeout) { return status }
        await terminate()
        throw WaitTimedOut(what: "\(arguments) finished", timeout: timeout, lastError: nil)
    }

    /// Polls standard output until `condition` holds and returns it; fails after `timeout` with
    /// what the process wrote.
    public func waitForOutput(timeout: Duration = .seconds(60), _ condition: (String) -> Bool) async throws -> String {
        do {
            return try await eventuallyValue("the expected output", timeout: timeout) {
                let output = stdout
                return condition(output) ? output : nil
            }
        } catch let timedOut as WaitTimedOut {
            throw WaitTimedOut(what: "\(timedOut.what) of \(arguments)", timeout: timeout,
                               lastError: OutputSoFar(stdout: stdout, stderr: errorFile == outputFile ? "" : stderr,
                                                      exitStatus: exitStatus))
        }
    }

    /// SIGKILL if it still runs, without waiting (for a `defer`).
    public func killNow() {
        signal(SIGKILL)
    }

    /// SIGKILL if it still runs, and waits until it is gone (cleanup).
    public func terminate() async {
        guard exitStatus == nil else { return }
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// SIGTERM, as the kubelet stops a pod: the exit status once it ended, or nil after it was
    /// killed because it outlived `grace`.
    @discardableResult
    public func stop(grace: Duration = .seconds(30)) async -> Int32? {
        guard exitStatus == nil else { return exitStatus }
        signal(SIGTERM)
        if let status = await waitForExit(timeout: grace) { return status }
        await terminate()
        return nil
    }

    // MARK: - Process plumbing

    private static func spawn(_ arguments: [String], output: URL, errors: URL?,
                              environment: [String: String]) throws -> pid_t {
        guard let executable = arguments.first else { throw SpawnFailed(description: "no program given") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        closeInheritedDescriptors(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
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

    /// Makes the child close every descriptor from 3 up before the program starts: without it the
    /// child inherits every socket of the test process (SwiftNIO opens them without CLOEXEC), and a
    /// listener it holds still accepts connections after its server stopped.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np; Swift's Glibc module does not declare it.
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            return
        }
        // Older C libraries: close what is open now (glibc ignores a close of a descriptor that is not open).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    private func reapInBackground() {
        let pid = self.pid
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { return }
            }
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            exitCode.withLock { $0 = code }
        }
    }
}

/// A program that could not be started, and why.
public struct SpawnFailed: Error, CustomStringConvertible {
    public let description: String
}

/// What a process wrote before a wait for its output gave up.
struct OutputSoFar: Error, CustomStringConvertible {
    let stdout: String
    let stderr: String
    let exitStatus: Int32?

    var description: String {
        "exit status \(exitStatus.map(String.init) ?? "none (still running)"); stdout:\n\(stdout)"
            + (stderr.isEmpty ? "" : "\nstderr:\n\(stderr)")
    }
}
