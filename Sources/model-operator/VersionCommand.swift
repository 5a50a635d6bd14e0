import ArgumentParser

/// The version this binary was built as.
enum BuildInfo {
    static let version = "0.1.0"
}

/// `model-operator version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("model-operator \(BuildInfo.version)")
    }
}
