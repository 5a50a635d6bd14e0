import Controller
import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Logging
import Operator

/// A whole demo world on one machine: LocalCluster with simulated nodes and Deployment
/// availability, sample archives served on 127.0.0.1, a client, and the operator running
/// in-process. `make demo`, the end-to-end tests and the benchmarks build on it.
public final class DemoEnvironment: Sendable {
    public let cluster: LocalCluster
    public let client: RESTClient
    public let archives: [String: SampleArchives.Archive]
    public let archiveServer: ArchiveServer
    public let kubeconfig: URL
    public let workDirectory: URL
    private let logger: Logger

    /// Starts LocalCluster and the archive server; nothing is applied yet.
    /// - Parameters:
    ///   - archivePort: where archives are served (the examples name 18080; 0 picks a free port).
    ///   - demoNodes: add the demo fleet (T4 cloud servers, P4 edge servers, Arm edge boxes).
    public static func start(workDirectory: URL, archivePort: Int = 0, archiveNames: [String] = ExampleManifests.archiveNames,
                             demoNodes: Bool = true, simulation: DeploymentSimulationOptions? = DeploymentSimulationOptions(),
                             clusterPort: Int = 0, historyWindow: Int = 10_000, logger: Logger) async throws -> DemoEnvironment {
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let archives = try SampleArchives.generate(archiveNames, into: workDirectory.appendingPathComponent("archives"))
        let server = try await ArchiveServer(files: archives.values.map(\.path).sorted(), port: archivePort, logger: logger)
        let cluster: LocalCluster
        do {
            cluster = try await LocalCluster.start(LocalClusterOptions(
                port: clusterPort, historyWindow: historyWindow, deploymentSimulation: simulation, logger: logger))
        } catch {
            await server.stop()
            throw error
        }
        if demoNodes { try await cluster.addDemoNodes() }
        let kubeconfig = workDirectory.appendingPathComponent("kubeconfig")
        try await cluster.writeKubeconfig(to: kubeconfig)
        let transport = KubeHTTPTransport(config: ClusterConfig(server: cluster.baseURL.absoluteString))
        let client = RESTClient(transport: try RateLimitedTransport(wrapping: transport, limits: .generous))
        return DemoEnvironment(cluster: cluster, client: client, archives: archives, archiveServer: server,
                               kubeconfig: kubeconfig, workDirectory: workDirectory, logger: logger)
    }

    private init(cluster: LocalCluster, client: RESTClient, archives: [String: SampleArchives.Archive],
                 archiveServer: ArchiveServer, kubeconfig: URL, workDirectory: URL, logger: Logger) {
        self.cluster = cluster
        self.client = client
        self.archives = archives
        self.archiveServer = archiveServer
        self.kubeconfig = kubeconfig
        self.workDirectory = workDirectory
        self.logger = logger
    }

    /// The URL an archive is served at.
    public func archiveURL(_ name: String) -> String { "http://127.0.0.1:\(archiveServer.port)/\(name).tar.gz" }

    /// The digest of a generated archive ("" when unknown).
    public func digest(_ name: String) -> String { archives[name]?.sha256 ?? "" }

    /// Applies the InferenceModel CRD and waits until it is Established.
    public func installCRD(repository: URL) async throws {
        let crd = try YAML.parse(String(contentsOf: repository.appendingPathComponent(
            "deploy/crds/ai.kubeedge.io_inferencemodels.yaml"), encoding: .utf8))
        try await ObjectApplier(client: client).apply(crd)
        for _ in 0..<100 {
            let stored = try await client.get(.customResourceDefinitions, name: "inferencemodels.ai.kubeedge.io")
            let established = stored[path: ["status", "conditions"]]?.arrayValue?.contains {
                $0["type"] == "Established" && $0["status"] == "True"
            } ?? false
            if established { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DemoError("the InferenceModel CRD did not become Established")
    }

    /// Applies the runnable examples with the generated archives' digests.
    @discardableResult
    public func applyExamples(repository: URL) async throws -> [JSONValue] {
        let digests = archives.mapValues(\.sha256)
        let documents = try ExampleManifests.load(from: repository.appendingPathComponent("examples"), digests: digests)
        let applier = ObjectApplier(client: client)
        for document in documents { try await applier.apply(document) }
        return documents
    }

    /// Starts the operator in-process against this cluster; stop it with `OperatorRuntime.stop()`.
    public func startOperator(options: OperatorOptions = OperatorOptions()) -> (OperatorRuntime, Task<Void, Error>) {
        let runtime = OperatorRuntime(client: client, options: options, logger: logger)
        let task = Task { try await runtime.run() }
        return (runtime, task)
    }

    /// Stops the archive server and the cluster.
    public func stop() async {
        await archiveServer.stop()
        await cluster.stop()
    }
}
