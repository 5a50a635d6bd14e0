import ArgumentParser
import Operator

/// The `local-cluster` command line, for development and demos (not part of the operator's
/// image): LocalCluster, an embedded Kubernetes API server on loopback (`serve`, the default),
/// and the whole demo (`demo`).
@main
struct LocalClusterTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-cluster",
        abstract: "An embedded Kubernetes API server on 127.0.0.1 (no containers), and the model-operator demo.",
        version: BuildInfo.version,
        subcommands: [ServeCommand.self, DemoCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
