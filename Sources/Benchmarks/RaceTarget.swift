import DemoSupport
import Foundation
import KubeClient
import LocalCluster
import Logging

/// The API server the race runs against, and the namespace it owns there.
///
/// Without a kubeconfig: LocalCluster in this process, simulating Deployments on a
/// ``BenchmarkFleet`` with room for every model's pod, its write counters giving writes by verb
/// and resource. With one (`BENCH_KUBECONFIG`): that cluster; the race gets a namespace of its
/// own, and the InferenceModel CRD is installed when missing. ``cleanUp()`` deletes the namespace
/// (and the CRD when the race installed it).
final class RaceTarget: Sendable {
    let kubeconfig: URL
    let client: RESTClient
    let namespace: String
    /// The in-process LocalCluster, nil on a cluster from a kubeconfig.
    let localCluster: LocalCluster?
    let summary: String
    private let installedCRD: Bool

    static let crdName = "inferencemodels.ai.kubeedge.io"

    private init(kubeconfig: URL, client: RESTClient, namespace: String, localCluster: LocalCluster?, summary: String,
                 installedCRD: Bool) {
        self.kubeconfig = kubeconfig
        self.client = client
        self.namespace = namespace
        self.localCluster = localCluster
        self.summary = summary
        self.installedCRD = installedCRD
    }

    /// In-process LocalCluster for `models` single-replica cloud models, written to `work`.
    static func localCluster(models: Int, work: URL, logger: Logger) async throws -> RaceTarget {
        let cluster = try await LocalCluster.start(LocalClusterOptions(
            historyWindow: max(10_000, models * 40),
            deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(100)), logger: logger))
        do {
            try await BenchmarkFleet.add(to: cluster, cloudPods: models, edgePods: 0)
            let kubeconfig = work.appendingPathComponent("kubeconfig")
            try await cluster.writeKubeconfig(to: kubeconfig)
            let client = try clientFor(kubeconfig: kubeconfig)
            let installed = try await installCRDIfMissing(client: client)
            try await createNamespace("race", client: client)
            let nodes = BenchmarkFleet.nodeCount(for: models)
            return RaceTarget(kubeconfig: kubeconfig, client: client, namespace: "race", localCluster: cluster,
                              summary: "LocalCluster in the benchmark's process (\(nodes) simulated nodes, "
                                  + "\(BenchmarkFleet.podsPerNode) pods each; pods Ready 100 ms after binding)",
                              installedCRD: installed)
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// The cluster in `kubeconfig`, in a new namespace `model-operator-race-<random>`.
    static func external(kubeconfig path: String) async throws -> RaceTarget {
        let kubeconfig = URL(fileURLWithPath: path)
        let client = try clientFor(kubeconfig: kubeconfig)
        let installed = try await installCRDIfMissing(client: client)
        let namespace = "model-operator-race-" + UUID().uuidString.prefix(8).lowercased()
        try await createNamespace(namespace, client: client)
        let server = (try? ClusterConfigLoader.load(kubeconfigPath: path, context: nil).server) ?? path
        return RaceTarget(kubeconfig: kubeconfig, client: client, namespace: namespace, localCluster: nil,
                          summary: "the cluster in BENCH_KUBECONFIG (\(server)), namespace \(namespace)"
                              + (installed ? ", CRD installed for the race" : ""),
                          installedCRD: installed)
    }

    /// LocalCluster's write counters (`"<verb>[/<subresource>] <resource>" → count`); nil elsewhere.
    func writeCounters() async -> [String: Int]? {
        await localCluster?.store.allWriteCounts()
    }

    /// Whether every model's pods are known to become Ready (LocalCluster simulates them).
    var podsBecomeReady: Bool { localCluster != nil }

    /// Deletes the namespace (waiting up to a minute until it is gone) and the CRD if the race
    /// installed it; stops an in-process LocalCluster.
    func cleanUp() async {
        if let localCluster {
            await localCluster.stop()
            return
        }
        do {
            _ = try await client.delete(.namespaces, name: namespace)
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, (try? await client.get(.namespaces, name: namespace)) != nil {
                try await Task.sleep(for: .milliseconds(500))
            }
            if installedCRD { _ = try await client.delete(.customResourceDefinitions, name: Self.crdName) }
        } catch {
            print("  cleanup of namespace \(namespace) failed: \(error); delete it by hand")
        }
    }

    private static func clientFor(kubeconfig: URL) throws -> RESTClient {
        let config = try ClusterConfigLoader.load(kubeconfigPath: kubeconfig.path, context: nil)
        return RESTClient(transport: try RateLimitedTransport(wrapping: KubeHTTPTransport(config: config), limits: .generous))
    }

    private static func createNamespace(_ name: String, client: RESTClient) async throws {
        _ = try await client.create(.namespaces, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }

    /// Applies deploy/crds' InferenceModel CRD unless the server has it; waits until Established.
    /// Returns whether it was installed here.
    private static func installCRDIfMissing(client: RESTClient) async throws -> Bool {
        do {
            _ = try await client.get(.customResourceDefinitions, name: crdName)
            return false
        } catch let error as KubeAPIError where error.isNotFound {}
        let crd = try YAML.parse(String(contentsOf: LeaderFailoverBenchmark.repository.appendingPathComponent(
            "deploy/crds/ai.kubeedge.io_inferencemodels.yaml"), encoding: .utf8))
        _ = try await ObjectApplier(client: client).apply(crd)
        for _ in 0..<200 {
            let stored = try await client.get(.customResourceDefinitions, name: crdName)
            if stored[path: ["status", "conditions"]]?.arrayValue?.contains(where: {
                $0["type"] == "Established" && $0["status"] == "True"
            }) == true { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkFailure("the InferenceModel CRD did not become Established")
    }
}
