import Foundation
import KubeClient
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// One `model-operator run` child process for the end-to-end tests: its output in a log file,
/// its metrics and probe ports on 127.0.0.1, signals to it, and what its `/metrics` says (such as
/// how many writes it sent).
///
/// The binary is the built `model-operator` next to the test bundle (`swift build --build-tests`
/// builds it, as does `swift build --product model-operator`), or `$MODEL_OPERATOR_BINARY`;
/// it runs as a ``SpawnedProcess`` (started as a kubelet starts a container).
final class OperatorProcess: Sendable {
    let name: String
    let logFile: URL
    let metricsPort: Int
    let probePort: Int
    private let process: SpawnedProcess
    var pid: pid_t { process.pid }

    /// Lease timings in seconds (`--lease-duration`, `--renew-deadline`, `--retry-period`).
    struct LeaseTimings: Sendable {
        var duration: Int
        var renewDeadline: Int
        var retryPeriod: Int

        /// Short timings for tests: a failover within about five seconds.
        static let short = LeaseTimings(duration: 5, renewDeadline: 4, retryPeriod: 1)
    }

    /// `--leader-elect` on a Lease in the watched namespace.
    struct LeaderElection: Sendable {
        var leaseName: String
        var timings: LeaseTimings
    }

    /// Starts `model-operator run` watching `namespace`, with metrics and probes on free
    /// loopback ports, electing a leader when `leaderElection` is given; `extraArguments` are
    /// appended (such as `--fetch-image`).
    static func start(name: String, kubeconfig: URL, namespace: String, leaderElection: LeaderElection?,
                      extraArguments: [String] = [], logDirectory: URL) throws -> OperatorProcess {
        let metricsPort = try FreePort.pick()
        let probePort = try FreePort.pick()
        let logFile = logDirectory.appendingPathComponent("\(name).log")
        var arguments = [
            try BuiltExecutable.modelOperator().path, "run",
            "--kubeconfig", kubeconfig.path, "--namespace", namespace,
            "--metrics-bind-address", "127.0.0.1:\(metricsPort)",
            "--health-probe-bind-address", "127.0.0.1:\(probePort)",
            "--graceful-shutdown-timeout", "20", "--log-format", "logfmt", "--log-level", "info",
        ]
        if let election = leaderElection {
            arguments += [
                "--leader-elect", "--leader-election-namespace", namespace, "--leader-election-id", election.leaseName,
                "--lease-duration", "\(election.timings.duration)", "--renew-deadline", "\(election.timings.renewDeadline)",
                "--retry-period", "\(election.timings.retryPeriod)",
            ]
        }
        let process = try SpawnedProcess.start(arguments + extraArguments, output: logFile)
        return OperatorProcess(name: name, process: process, logFile: logFile, metricsPort: metricsPort,
                               probePort: probePort)
    }

    private init(name: String, process: SpawnedProcess, logFile: URL, metricsPort: Int, probePort: Int) {
        self.name = name
        self.process = process
        self.logFile = logFile
        self.metricsPort = metricsPort
        self.probePort = probePort
    }

    // MARK: - Signals and exit

    /// Sends a signal (SIGTERM, SIGKILL, ...).
    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// The exit status once the process ended: its exit code, or 128 + the signal that ended it.
    var exitStatus: Int32? { process.exitStatus }

    /// Waits (polling) until the process ended; nil when it still runs after `timeout`
    /// (scaled by `E2E_TIMEOUT_SCALE`).
    func waitForExit(timeout: Duration) async throws -> Int32? {
        await process.waitForExit(timeout: E2EEnvironment.current.scaled(timeout))
    }

    /// Kills the process if it still runs and waits for it (cleanup).
    func terminate() async {
        await process.terminate()
    }

    /// SIGTERM, as the kubelet stops a pod: the exit status once it ended, or nil after it was
    /// killed because it outlived its grace period (30 s, scaled by `E2E_TIMEOUT_SCALE`).
    @discardableResult
    func stop() async -> Int32? {
        await process.stop(grace: E2EEnvironment.current.scaled(.seconds(30)))
    }

    /// What the process wrote so far (stdout and stderr).
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    // MARK: - Endpoints

    /// GET of a path on the metrics port: status and body.
    func getMetricsEndpoint(_ path: String) async throws -> (status: Int, body: String) {
        try await Self.get(port: metricsPort, path: path)
    }

    /// GET of a path on the probe port: status and body.
    func getProbe(_ path: String) async throws -> (status: Int, body: String) {
        try await Self.get(port: probePort, path: path)
    }

    /// The parsed `/metrics` text.
    func scrape() async throws -> PrometheusText {
        let response = try await getMetricsEndpoint("/metrics")
        guard response.status == 200 else { throw E2EFailure("\(name): /metrics answered \(response.status)") }
        return try PrometheusText(parsing: response.body)
    }

    /// The HTTP methods that write.
    static let writeMethods = ["POST", "PUT", "PATCH", "DELETE"]

    /// Requests that wrote to the API server so far, answered or not, by method and code:
    /// `rest_client_requests_total` of POST, PUT, PATCH and DELETE.
    func writes() async throws -> [String: Double] {
        let metrics = try await scrape()
        var counts: [String: Double] = [:]
        for method in Self.writeMethods {
            for sample in metrics.samples("rest_client_requests_total", ["method": method]) where sample.value > 0 {
                counts["\(method) \(sample.labels["code"] ?? "?")", default: 0] += sample.value
            }
        }
        return counts
    }

    private static func get(port: Int, path: String) async throws -> (status: Int, body: String) {
        let transport = KubeHTTPTransport(config: ClusterConfig(server: "http://127.0.0.1:\(port)"))
        let response = try await transport.send(HTTPRequest(method: "GET", path: path, timeout: .seconds(10)))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}

/// Free loopback TCP ports for child processes: bind port 0, read the port the kernel chose,
/// close. (The child binds it a moment later; a collision in between is very unlikely.)
enum FreePort {
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw E2EFailure("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                guard bind(descriptor, socketAddress, length) == 0 else { return false }
                return getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw E2EFailure("could not bind a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
