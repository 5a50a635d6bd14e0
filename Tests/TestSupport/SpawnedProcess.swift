import Foundation
import ProcessSpawn

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
    private let child: ReapedChild
    public var pid: pid_t { child.pid }
    /// Where standard output goes.
    public let outputFile: URL
    /// Where standard error goes (the same file as ``outputFile`` when they are combined).
    public let errorFile: URL

    /// Starts `arguments[0]` (a path) with the rest as its arguments and `environment` added to
    /// this process's. Standard output goes to `output`; standard error to `errors`, or into
    /// `output` too when nil.
    public static func start(_ arguments: [String], output: URL, errors: URL? = nil,
                             environment: [String: String] = [:]) throws -> SpawnedProcess {
        let pid = try PodLikeSpawn.spawn(arguments, output: output, errors: errors, environment: environment)
        return SpawnedProcess(arguments: arguments, child: ReapedChild(pid: pid), outputFile: output, errorFile: errors ?? output)
    }

    /// Starts the program with its standard output and error in two new files in `directory`.
    public static func start(_ arguments: [String], logsIn directory: URL,
                             environment: [String: String] = [:]) throws -> SpawnedProcess {
        let name = URL(fileURLWithPath: arguments.first ?? "process").lastPathComponent + "-" + UUID().uuidString
        return try start(arguments, output: directory.appendingPathComponent(name + ".out"),
                         errors: directory.appendingPathComponent(name + ".err"), environment: environment)
    }

    private init(arguments: [String], child: ReapedChild, outputFile: URL, errorFile: URL) {
        self.arguments = arguments
        self.child = child
        self.outputFile = outputFile
        self.errorFile = errorFile
    }

    /// What the program wrote to standard output so far.
    public var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    /// What the program wrote to standard error so far.
    public var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// The exit status once the process ended: its exit code, or 128 + the signal that ended it.
    public var exitStatus: Int32? { child.exitStatus }

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
