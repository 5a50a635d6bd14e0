import ArgumentParser
import DemoSupport
import Foundation
import KubeClient
import Logging
import ModelAPI
import Operator

/// `local-cluster demo`: the whole flow on one machine. LocalCluster with simulated nodes (two
/// cloud servers with Tesla T4s, two edge servers with Tesla P4s, two Arm edge boxes) and
/// simulated Deployment availability; sample archives generated and served on 127.0.0.1; the CRD
/// and the runnable examples applied; the operator running. Prints the InferenceModels table
/// once every model is Ready, then stays up until Ctrl-C (or exits with `--once`). The operator
/// runs in this process (`DemoEnvironment.startOperator`), as it did under `model-operator demo`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the operator against an embedded cluster with sample models served on 127.0.0.1.")

    @Flag(help: "Exit after printing the table (for scripts and CI).")
    var once = false

    @Option(help: "The loopback port the sample archives are served on (the examples name 18080).")
    var archivePort = 18080

    @Option(help: "The loopback port of the embedded API server (0 picks a free one).")
    var port = 0

    @Option(help: "Seconds to wait for every model to become Ready.")
    var timeout = 120

    @Option(help: "Where the demo keeps its kubeconfig and archives.")
    var workDirectory = ".demo"

    func run() async throws {
        var logger = Logger(label: "model-operator.demo")
        logger.logLevel = .warning
        let repository = try ExampleManifests.locate().deletingLastPathComponent()
        let work = URL(fileURLWithPath: workDirectory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        say("Starting LocalCluster (127.0.0.1) with 6 simulated nodes and sample archives on 127.0.0.1:\(archivePort) ...")
        let demo = try await DemoEnvironment.start(workDirectory: work, archivePort: archivePort, clusterPort: port,
                                                   logger: logger)
        try await demo.installCRD(repository: repository)
        let (runtime, operatorTask) = demo.startOperator(options: OperatorOptions(
            settings: OperatorSettings(fetchImage: "ghcr.io/kubeedge/model-operator:\(BuildInfo.version)")))
        say("Applying the CRD and the runnable examples (examples/*.yaml) ...")
        try await demo.applyExamples(repository: repository)

        let ready = try await waitUntilReady(demo.client, seconds: timeout)
        say("")
        await printTable(kubeconfig: demo.kubeconfig)
        say("")
        if !ready.isEmpty {
            say("Not Ready within \(timeout) s: \(ready.joined(separator: ", "))")
        }
        let command = "kubectl --kubeconfig \(demo.kubeconfig.path)"
        if once {
            await runtime.stop()
            _ = try? await operatorTask.value
            await demo.stop()
            if !ready.isEmpty { throw ExitCode(1) }
            return
        }
        say("""
            The cluster stays up. In another terminal:
              \(command) get inferencemodels -o wide
              \(command) describe inferencemodel facial-edge
              \(command) get deployments,services,nodes
            Press Ctrl-C to stop.
            """)
        try await operatorTask.value
    }

    /// Waits until every InferenceModel is Ready; returns the names of those that are not.
    private func waitUntilReady(_ client: RESTClient, seconds: Int) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var pending: [String] = []
        repeat {
            let models = try await client.listAll(InferenceModel.self).items
            pending = models.filter { $0.status?.condition(.ready)?.status != .true }.map { $0.metadata.name ?? "" }
            if !models.isEmpty, pending.isEmpty { return [] }
            try await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return pending.sorted()
    }

    /// Prints `kubectl get inferencemodels -o wide` (through kubectl when it is installed).
    private func printTable(kubeconfig: URL) async {
        say("$ kubectl get inferencemodels -o wide")
        do {
            let output = try await ChildProcess.run(["kubectl", "--kubeconfig", kubeconfig.path, "get", "inferencemodels",
                                                     "-o", "wide"])
            say(output.status == 0 ? output.stdout : "kubectl failed: \(output.stderr)")
        } catch {
            say("(kubectl is not installed; install it to inspect the cluster)")
        }
    }

    private func say(_ line: String) {
        Console.say(line)
    }
}
