import Foundation
import ProcessSpawn

/// A `model-operator run --leader-elect` child process for the benchmarks: output to a log file,
/// reaped by a thread of its own (waiting never blocks Swift's cooperative pool), signalled by pid.
final class OperatorReplica: Sendable {
    let name: String
    let logFile: URL
    private let child: ReapedChild
    var pid: pid_t { child.pid }

    /// Lease timings in seconds.
    struct Timings: Sendable, CustomStringConvertible {
        var duration: Int
        var renewDeadline: Int
        var retryPeriod: Int

        /// The operator's defaults: 15 s lease, 10 s renew deadline, 2 s retry period.
        static let standard = Timings(duration: 15, renewDeadline: 10, retryPeriod: 2)

        var description: String { "lease \(duration) s, renew deadline \(renewDeadline) s, retry \(retryPeriod) s" }
    }

    init(name: String, kubeconfig: URL, namespace: String, leaseName: String, timings: Timings, logDirectory: URL) throws {
        self.name = name
        logFile = logDirectory.appendingPathComponent("\(name).log")
        let arguments = [
            try Self.binary().path, "run", "--kubeconfig", kubeconfig.path, "--namespace", namespace,
            "--leader-elect", "--leader-election-namespace", namespace, "--leader-election-id", leaseName,
            "--lease-duration", "\(timings.duration)", "--renew-deadline", "\(timings.renewDeadline)",
            "--retry-period", "\(timings.retryPeriod)",
            // Metrics and probes are not measured here; off, so replicas need no free ports.
            "--metrics-bind-address", "0", "--health-probe-bind-address", "0", "--log-format", "logfmt",
        ]
        child = ReapedChild(pid: try PodLikeSpawn.spawn(arguments, output: logFile))
    }

    /// `$MODEL_OPERATOR_BINARY`, else `model-operator` built beside this benchmark binary.
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["MODEL_OPERATOR_BINARY"] { return URL(fileURLWithPath: path) }
        let sibling = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("model-operator")
        guard FileManager.default.isExecutableFile(atPath: sibling.path) else {
            throw BenchmarkFailure("\(sibling.path) not found: build it with the benchmarks "
                + "(swift build -c release --product model-operator) or set MODEL_OPERATOR_BINARY")
        }
        return sibling
    }

    func signal(_ signal: Int32) { _ = kill(pid, signal) }

    /// The exit status once ended (128 + signal when a signal ended it).
    var exitStatus: Int32? { child.exitStatus }

    /// Whether the replica's log says it became the leader.
    var becameLeader: Bool { log.contains("became leader") }

    /// Whether the replica's log says it is waiting for leadership (it polls the lease).
    var isWaitingForLeadership: Bool { log.contains("waiting for leadership") }

    /// Seconds from the log's last "became leader" to the first "caches synced" after it; 0 when
    /// the caches were synced before leadership (a warm standby).
    var cacheSyncAfterElection: Double {
        let lines = log.split(separator: "\n")
        guard let elected = lines.last(where: { $0.contains("became leader") }).flatMap(Self.timestamp) else { return 0 }
        let syncs = lines.filter { $0.contains("caches synced") }.compactMap(Self.timestamp)
        if syncs.contains(where: { $0 <= elected }) { return 0 }
        guard let synced = syncs.first(where: { $0 > elected }) else { return 0 }
        return synced.timeIntervalSince(elected)
    }

    /// The `ts=` of a logfmt line.
    private static func timestamp(_ line: Substring) -> Date? {
        guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("ts=") }) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(field.dropFirst(3)))
    }

    private var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the process ended; nil if it still runs after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while exitStatus == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return exitStatus
    }

    /// SIGKILL if still running, and wait.
    func terminate() async {
        guard exitStatus == nil else { return }
        signal(SIGKILL)
        _ = try? await waitForExit(timeout: .seconds(10))
    }
}
