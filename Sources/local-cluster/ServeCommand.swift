import ArgumentParser
import Controller
import Foundation
import UnixSignals
import LocalCluster

/// `local-cluster serve` (the default): runs the embedded API server on loopback until
/// SIGINT/SIGTERM and writes a kubeconfig for kubectl and the operator.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an embedded Kubernetes API server on 127.0.0.1 (no containers) for demos and development.")

    @Option(help: "Where to write the kubeconfig (default: ./.local-cluster/kubeconfig).")
    var kubeconfig: String?

    @Option(help: "The loopback port to listen on; 0 picks a free port.")
    var port: Int = 0

    @Flag(help: "Add simulated nodes: two Tesla-T4 cloud servers, two Tesla-P4 edge boxes and two arm64 edge boxes.")
    var demoNodes = false

    @Flag(help: "Simulate what a cluster does with Deployments: ReplicaSets, Pods scheduled onto the nodes (add --demo-nodes), rollouts and status.")
    var simulateDeployments = false

    @Option(help: "Require this bearer token (written into the kubeconfig).")
    var token: String?

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (0 picks a free port); got \(port)")
        }
    }

    func run() async throws {
        var options = LocalClusterOptions(port: port, tokens: token.map { [$0] })
        if simulateDeployments { options.deploymentSimulation = DeploymentSimulationOptions() }
        // Listen for SIGINT/SIGTERM before serving, so an early signal still stops the cluster cleanly.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let cluster = try await LocalCluster.start(options)
        if demoNodes { try await cluster.addDemoNodes() }
        let path = kubeconfig ?? FileManager.default.currentDirectoryPath + "/.local-cluster/kubeconfig"
        let url = URL(fileURLWithPath: path)
        try await cluster.writeKubeconfig(to: url)
        Console.say("""
            LocalCluster is serving the Kubernetes API at \(cluster.baseURL.absoluteString) (loopback only).
            Kubeconfig written to \(url.path)

              export KUBECONFIG=\(url.path)
              kubectl api-resources
              kubectl get nodes

            Press Ctrl-C to stop.
            """)
        for await _ in signals { break }
        Console.say("Stopping LocalCluster.")
        await cluster.stop()
    }
}
