import Foundation
import KubeClient
import LocalCluster
import Logging
import Synchronization

/// One end-to-end world per test, with the same API on every cluster: the cluster under test
/// (an in-process LocalCluster of its own, or the real cluster of `E2E_KUBECONFIG`), the CRD
/// installed, a namespace of the test's own (`e2e-<random>`), model archives with their
/// digests, and `model-operator run` as child processes watching that namespace. `run` always
/// stops the operators, deletes the namespace and stops what it started, also when the body
/// throws (then it prints the operators' logs first).
final class E2EHarness: Sendable {
    /// How the operator runs in a test.
    enum Operators: Sendable {
        /// One `model-operator run` without leader election.
        case single
        /// `count` replicas electing a leader on a Lease in the test's namespace.
        case electing(count: Int, timings: OperatorProcess.LeaseTimings)
    }

    let environment: E2EEnvironment
    /// The test's own namespace; every model, kubectl call and operator is scoped to it.
    let namespace: String
    let kubeconfig: URL
    /// A client for the cluster, for typed reads and writes kubectl cannot express.
    let client: RESTClient
    let archives: TestArchives
    /// How the test's operators run.
    let launch: Operators
    /// The Lease the replicas elect on, when the test runs `.electing` operators.
    let leaseName: String?
    let workDirectory: URL
    private let cluster: ClusterUnderTest
    private let started = Mutex<[OperatorProcess]>([])
    fileprivate let podSecurityLevel = Mutex("privileged")
    private let stopped = Mutex(false)

    /// The repository root (for deploy/ and examples/).
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The in-process LocalCluster, for its simulator knobs; nil on a real cluster (a test that
    /// needs it is `.localClusterOnly` and says why).
    var localCluster: LocalCluster? { cluster.localCluster }

    /// Every operator process started so far, in order (stopped ones included).
    var operators: [OperatorProcess] { started.withLock { $0 } }

    /// Runs `body` in a fresh world and tears it down afterwards, whatever happens.
    /// `podSecurity` is the PodSecurity level the test namespace enforces.
    static func run<T>(archives: [String] = ["m-1", "m-2", "m-3"], operators: Operators = .single,
                       podSecurity: String = "privileged",
                       _ body: (E2EHarness) async throws -> T) async throws -> T {
        let harness = try await start(archives: archives, operators: operators, podSecurity: podSecurity)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            harness.printOperatorLogs()
            await harness.stop()
            throw error
        }
    }

    private static func start(archives names: [String], operators: Operators, podSecurity: String) async throws
        -> E2EHarness
    {
        let environment = E2EEnvironment.current
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let archives: TestArchives
        let cluster: ClusterUnderTest
        do {
            archives = try await TestArchives.prepare(names, environment: environment, workDirectory: work, logger: logger)
            do {
                cluster = try await ClusterUnderTest.start(environment: environment, workDirectory: work, logger: logger)
            } catch {
                await archives.stop()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
        let leaseName: String? = if case .electing = operators { "model-operator-\(randomSuffix())" } else { nil }
        let harness: E2EHarness
        do {
            harness = E2EHarness(environment: environment, namespace: "e2e-\(randomSuffix())", client: try cluster.makeClient(),
                                 archives: archives, launch: operators, leaseName: leaseName, workDirectory: work,
                                 cluster: cluster)
        } catch {
            await archives.stop()
            await cluster.stop()
            try? FileManager.default.removeItem(at: work)
            throw error
        }
        harness.podSecurityLevel.withLock { $0 = podSecurity }
        do {
            try await harness.setUp()
        } catch {
            harness.printOperatorLogs()
            await harness.stop()
            throw error
        }
        return harness
    }

    private init(environment: E2EEnvironment, namespace: String, client: RESTClient, archives: TestArchives,
                 launch: Operators, leaseName: String?, workDirectory: URL, cluster: ClusterUnderTest) {
        self.environment = environment
        self.namespace = namespace
        self.kubeconfig = cluster.kubeconfig
        self.client = client
        self.archives = archives
        self.launch = launch
        self.leaseName = leaseName
        self.workDirectory = workDirectory
        self.cluster = cluster
    }

    /// The CRD, the namespace, then the operators.
    private func setUp() async throws {
        try await cluster.installCRD(repository: Self.repository, client: client)
        // Labelled so a person can find leftovers; privileged unless the test asks for another
        // PodSecurity level (node-cache tests mount a hostPath, which baseline and restricted forbid).
        _ = try await client.create(.namespaces, body: [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": .string(namespace), "labels": [
                "app.kubernetes.io/created-by": "model-operator-e2e",
                "pod-security.kubernetes.io/enforce": .string(podSecurityLevel.withLock { $0 }),
            ]],
        ])
        switch launch {
        case .single: try startOperator()
        case .electing(let count, _): for _ in 0..<count { try startOperator() }
        }
    }

    /// Starts one more `model-operator run` on the test's namespace, electing on the test's
    /// Lease when the harness runs `.electing` operators; named `replica-<n>`.
    @discardableResult
    func startOperator() throws -> OperatorProcess {
        var election: OperatorProcess.LeaderElection?
        if case .electing(_, let timings) = launch, let leaseName {
            election = OperatorProcess.LeaderElection(leaseName: leaseName, timings: timings)
        }
        let process = try OperatorProcess.start(
            name: "replica-\(operators.count)", kubeconfig: kubeconfig, namespace: namespace, leaderElection: election,
            extraArguments: try operatorArguments(), logDirectory: workDirectory)
        started.withLock { $0.append(process) }
        return process
    }

    /// On a real cluster: the fetch image, and a serving runtime for `tensorflow` that any CPU
    /// architecture may run (`E2E_SERVING_IMAGE` when given), written to the work directory.
    private func operatorArguments() throws -> [String] {
        guard !environment.isLocalCluster else { return [] }
        var arguments: [String] = []
        if let image = environment.fetchImage { arguments += ["--fetch-image", image] }
        let file = workDirectory.appendingPathComponent("serving-runtimes.json")
        try E2EServingRuntime.config(environment).write(to: file)
        arguments += ["--runtime-config", file.path]
        return arguments
    }

    /// Stops everything once (operators first, then the namespace); later calls do nothing.
    func stop() async {
        guard stopped.withLock({ wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }) else { return }
        for process in operators { await process.stop() }
        // A real cluster finishes the deletion in the background.
        _ = try? await client.delete(.namespaces, name: namespace)
        await archives.stop()
        await cluster.stop()
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// The last lines of every operator's log, for a failed test.
    func printOperatorLogs() {
        for process in operators {
            print("---- log of \(process.name) (pid \(process.pid), exit \(process.exitStatus.map(String.init) ?? "running"))")
            print(process.log.split(separator: "\n").suffix(60).joined(separator: "\n"))
        }
    }

    /// Eight characters for names: lower-case hex.
    private static func randomSuffix() -> String {
        String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8))
    }
}
