import Foundation

/// `model-operator run` as a child process against a kubeconfig, so its own memory is measured
/// apart from the in-process LocalCluster: peak RSS from /proc/<pid>/status (VmHWM), CPU time
/// from /proc/<pid>/stat (utime + stime). With a profile file it runs under `perf record -g`
/// (attaching perf to a running process records no samples on this machine's kernel).
final class OperatorProcess: Sendable {
    /// The operator, or perf running it.
    private let process: Process
    /// The operator's pid.
    let pid: Int32
    let metricsPort: Int

    /// The client-side API rate the benchmarks give the operator: high enough that the operator
    /// itself, not the production default of 20 requests/s, is what is measured.
    static let apiQPS = 2000

    /// What to start besides the kubeconfig and the metrics port.
    struct Options {
        var workers = 4
        /// Watch only this namespace (nil: all).
        var namespace: String?
        var qps = OperatorProcess.apiQPS
        var burst = OperatorProcess.apiQPS
        /// Where /healthz and /readyz are served on 127.0.0.1 (nil: off).
        var healthPort: Int?
        /// Where standard error goes (nil: this process's standard error).
        var logFile: URL?
        /// Record a CPU profile with `perf record -g` into this file until the operator stops.
        var profile: String?
    }

    init(binary: String, kubeconfig: String, metricsPort: Int, options: Options = Options()) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(metricsPort)",
                         "--health-probe-bind-address", options.healthPort.map { "127.0.0.1:\($0)" } ?? "0",
                         "--log-level", "error", "--max-concurrent-reconciles", String(options.workers),
                         "--kube-api-qps", String(options.qps), "--kube-api-burst", String(options.burst)]
        if let namespace = options.namespace { arguments += ["--namespace", namespace] }
        if let profile = options.profile {
            process.executableURL = URL(fileURLWithPath: try Self.perfPath())
            process.arguments = ["record", "-g", "--quiet", "-o", profile, "--", binary] + arguments
        } else {
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        if let logFile = options.logFile {
            guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: logFile.path) else {
                throw BenchmarkFailure("cannot create \(logFile.path)")
            }
            process.standardError = handle
        }
        try process.run()
        self.process = process
        self.metricsPort = metricsPort
        pid = options.profile == nil ? process.processIdentifier : try Self.child(of: process.processIdentifier)
    }

    /// Peak resident memory so far, in bytes.
    var peakMemory: Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

    /// User plus system CPU time so far, in seconds (0 once the process is gone).
    var cpuSeconds: Double { ProcessCPU.seconds(pid: String(pid)) }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM to the operator and waits for the exit (perf's too) on a thread of its own
    /// (not the cooperative pool).
    func stop() async {
        kill(pid, SIGTERM)
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    private static func perfPath() throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/perf" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw BenchmarkFailure("perf is not on PATH (Debian: apt-get install linux-perf)") }
        return path
    }

    /// The first child of `parent` (perf's workload), waiting up to 10 s for it to appear.
    private static func child(of parent: Int32) throws -> Int32 {
        for _ in 0..<1000 {
            let children = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
            if let first = children.split(separator: " ").first, let pid = Int32(first) { return pid }
            usleep(10_000)
        }
        throw BenchmarkFailure("perf did not start the operator within 10 s")
    }

    /// The binary next to the running benchmark executable.
    static func locateBinary() throws -> String {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("model-operator").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkFailure("\(binary) is missing: build the model-operator product first (make bench does)")
        }
        return binary
    }
}
