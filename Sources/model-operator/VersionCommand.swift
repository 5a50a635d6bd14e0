import ArgumentParser
import Operator

/// `model-operator version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("model-operator \(BuildInfo.version)")
    }
}
