import DemoSupport
import Foundation
import KubeClient
import LocalCluster
import Logging

/// The cluster a test runs against: an in-process LocalCluster of its own (the demo nodes,
/// simulated Deployment availability), or the real cluster of `E2E_KUBECONFIG`, which the
/// harness only ever touches inside the test's namespace (and the CRD it installs).
struct ClusterUnderTest: Sendable {
    let kubeconfig: URL
    /// The in-process LocalCluster, for its simulator knobs; nil on a real cluster.
    let localCluster: LocalCluster?

    static func start(environment: E2EEnvironment, workDirectory: URL, logger: Logger) async throws -> ClusterUnderTest {
        if let kubeconfig = environment.kubeconfig {
            guard FileManager.default.fileExists(atPath: kubeconfig.path) else {
                throw E2EFailure("E2E_KUBECONFIG names \(kubeconfig.path), which does not exist")
            }
            return ClusterUnderTest(kubeconfig: kubeconfig, localCluster: nil)
        }
        let cluster = try await LocalCluster.start(LocalClusterOptions(
            deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(100)), logger: logger))
        do {
            try await cluster.addDemoNodes()
            let kubeconfig = workDirectory.appendingPathComponent("kubeconfig")
            try await cluster.writeKubeconfig(to: kubeconfig)
            return ClusterUnderTest(kubeconfig: kubeconfig, localCluster: cluster)
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// A client for the cluster, configured from the kubeconfig as the operator is.
    func makeClient() throws -> RESTClient {
        let config = try ClusterConfigLoader.load(kubeconfigPath: kubeconfig.path)
        return RESTClient(transport: try RateLimitedTransport(wrapping: KubeHTTPTransport(config: config), limits: .generous))
    }

    /// Installs the InferenceModel CRD from deploy/crds with `kubectl apply --server-side` (no
    /// last-applied annotation; `--force-conflicts` takes over fields an earlier client-side
    /// apply owns) and waits until it is Established. Idempotent, so every test may call it.
    func installCRD(repository: URL, client: RESTClient) async throws {
        let file = repository.appendingPathComponent("deploy/crds/ai.kubeedge.io_inferencemodels.yaml")
        var lastError = ""
        do {
            // Tests starting at once apply the same CRD; a conflict between them passes on a retry.
            try await eventually("the CRD applied", timeout: .seconds(30), every: .milliseconds(500)) {
                let result = try await Kubectl(kubeconfig: kubeconfig, namespace: nil).run(
                    ["apply", "--server-side", "--force-conflicts", "--field-manager", "model-operator-e2e",
                     "-f", file.path])
                lastError = result.err
                return result.status == 0
            }
        } catch {
            throw E2EFailure("kubectl apply of the CRD failed (the kubeconfig needs create/patch on "
                + "customresourcedefinitions): \(lastError)")
        }
        try await eventually("the InferenceModel CRD Established", timeout: .seconds(30)) {
            let stored = try await client.get(.customResourceDefinitions, name: "inferencemodels.ai.kubeedge.io")
            return stored[path: ["status", "conditions"]]?.arrayValue?.contains {
                $0["type"] == "Established" && $0["status"] == "True"
            } ?? false
        }
    }

    func stop() async { await localCluster?.stop() }
}

/// kubectl against the cluster under test, in one namespace when given.
struct Kubectl: Sendable {
    let kubeconfig: URL
    let namespace: String?

    /// Runs kubectl; its exit status, stdout and stderr.
    func run(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, out: String, err: String) {
        let scope = namespace.map { ["--namespace", $0] } ?? []
        let output = try await ChildProcess.run(["kubectl", "--kubeconfig", kubeconfig.path] + scope + arguments,
                                              stdin: stdin)
        return (output.status, output.stdout, output.stderr)
    }
}
