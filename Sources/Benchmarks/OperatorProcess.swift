import Foundation

/// `model-operator run` as a child process against a kubeconfig, so its own memory is measured
/// apart from the in-process LocalCluster: peak RSS from /proc/<pid>/status (VmHWM), CPU time
/// from /proc/<pid>/stat (utime + stime).
final class OperatorProcess: Sendable {
    private let process: Process
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
    }

    init(binary: String, kubeconfig: String, metricsPort: Int, options: Options = Options()) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(metricsPort)",
                         "--health-probe-bind-address", options.healthPort.map { "127.0.0.1:\($0)" } ?? "0",
                         "--log-level", "error", "--max-concurrent-reconciles", String(options.workers),
                         "--kube-api-qps", String(options.qps), "--kube-api-burst", String(options.burst)]
        if let namespace = options.namespace { arguments += ["--namespace", namespace] }
        process.arguments = arguments
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
    }

    var pid: Int32 { process.processIdentifier }

    /// Peak resident memory so far, in bytes.
    var peakMemory: Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

    /// User plus system CPU time so far, in seconds (0 once the process is gone).
    var cpuSeconds: Double {
        // The fields after the command name, which is in parentheses and may hold spaces:
        // state is field 3, utime field 14, stime field 15 (proc(5)).
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits for the exit on a thread of its own (not the cooperative pool).
    func stop() async {
        process.terminate()
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
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
