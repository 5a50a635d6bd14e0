import ArgumentParser
import Operator

/// The `model-operator` command line: the operator, its init container, and its tools.
@main
struct ModelOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-operator",
        abstract: "A Kubernetes operator for InferenceModel (ai.kubeedge.io/v1alpha1).",
        version: BuildInfo.version,
        subcommands: [VersionCommand.self, RunCommand.self, RenderCommand.self, FetchCommand.self, PlaceCommand.self]
    )
}
