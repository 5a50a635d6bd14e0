import Foundation

/// `model-operator run` as a child process against a kubeconfig, so its own memory is measured
/// apart from the in-process LocalCluster: peak RSS from /proc/<pid>/status (VmHWM).
final class OperatorProcess: Sendable {
    private let process: Process
    let metricsPort: Int

    /// The client-side API rate the benchmarks give the operator: high enough that the operator
    /// itself, not the production default of 20 requests/s, is what is measured.
    static let apiQPS = 2000

    init(binary: String, kubeconfig: String, metricsPort: Int, workers: Int = 4) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(metricsPort)",
                             "--health-probe-bind-address", "0", "--log-level", "error",
                             "--max-concurrent-reconciles", String(workers),
                             "--kube-api-qps", String(Self.apiQPS), "--kube-api-burst", String(Self.apiQPS)]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.metricsPort = metricsPort
    }

    /// Peak resident memory so far, in bytes.
    var peakMemory: Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

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
