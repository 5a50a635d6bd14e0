import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Operator
import Placement

/// `model-operator render -f model.yaml`: prints the objects the operator would create for
/// InferenceModels, with no cluster. Manifest models are rendered as if their target version had
/// passed verification; GPU models are placed on the nodes of `--nodes`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the Deployments and Service the operator would create for InferenceModels.")

    @Option(name: .shortAndLong, help: "A YAML file of InferenceModels (several documents allowed); - reads stdin.")
    var filename: String

    @Option(help: "Nodes (YAML) to place GPU models on; without it GPU models get no Deployment.")
    var nodes: String?

    @Option(help: "A serving-runtime config file (frameworks and images) overriding the defaults.")
    var runtimeConfig: String?

    @Option(help: "The image of model-operator, used for the fetch init container.")
    var fetchImage: String = OperatorSettings().fetchImage

    func run() throws {
        var settings = OperatorSettings(fetchImage: fetchImage)
        if let runtimeConfig { settings.runtimes = try ServingRuntimeCatalog.load(contentsOf: URL(fileURLWithPath: runtimeConfig)) }
        let documents = try YAML.parseDocuments(try InputFile.read(filename))
        let models = try documents.filter { $0["kind"]?.stringValue == InferenceModel.kindName }.map { document in
            do {
                var model = try InferenceModel.decode(from: document)
                if model.metadata.namespace == nil { model.metadata.namespace = "default" }
                return model
            } catch {
                throw ValidationError("\(filename): \(error)")
            }
        }
        guard !models.isEmpty else { throw ValidationError("\(filename) holds no InferenceModel") }

        // Each model is validated once, into its serving plan; only valid models are placed and rendered.
        var valid: [(model: InferenceModel, serving: ServingWorkload)] = []
        var failed = false
        for model in models {
            let name = model.metadata.name ?? "(unnamed)"
            let validated = ServingWorkload.validated(model)
            let issues = validated.issues + settings.policyIssues(model.spec)
            for issue in issues {
                FileHandle.standardError.write(Data("\(name): \(issue.severity.rawValue): \(issue.message)\n".utf8))
            }
            if let serving = validated.workload, !issues.hasErrors {
                valid.append((model, serving))
            } else {
                failed = true
            }
        }
        let plan = try placementPlan(for: valid.map(\.serving))

        var output: [JSONValue] = []
        for (model, serving) in valid {
            let name = serving.name
            let choice: ServingChoice
            switch model.spec.source {
            case .image(let image): choice = .image(image)
            case .manifest: choice = .verifiedArchive(try model.spec.resolveManifestEntry())
            case .none: continue
            }
            let scheduling = serving.needsGPU ? (plan[model.key] ?? .pending) : .byScheduler
            if case .unplaceable(let reason) = scheduling {
                FileHandle.standardError.write(Data("\(name): not placed: \(reason)\n".utf8))
            } else if case .pending = scheduling {
                FileHandle.standardError.write(Data("\(name): needs a GPU; pass --nodes to place it\n".utf8))
            }
            if (model.metadata.uid ?? "").isEmpty {
                let note = "\(name): no ownerReferences: the operator adds them in a cluster, where the model has a uid\n"
                FileHandle.standardError.write(Data(note.utf8))
            }
            let state = DesiredState.render(model: model, choice: choice, scheduling: scheduling, settings: settings)
            for deployment in state.deployments { output.append(try JSONValue(encoding: deployment)) }
            output.append(try JSONValue(encoding: state.service))
        }
        print(try YAML.emit(output), terminator: "")
        if failed { throw ExitCode(1) }
    }

    /// Places the models that need a GPU on the nodes of `--nodes`, keyed as `model.key`.
    private func placementPlan(for workloads: [ServingWorkload]) throws -> [String: SchedulingState] {
        guard let nodes else { return [:] }
        let nodeObjects = try YAML.parseDocuments(try InputFile.read(nodes))
            .flatMap { $0["kind"]?.stringValue == "List" || $0["kind"]?.stringValue == "NodeList" ? ($0["items"]?.arrayValue ?? []) : [$0] }
        let placementNodes = try nodeObjects.map { try PlacementNode(node: $0) }
        return OfflinePlacement.schedulingStates(of: workloads, on: placementNodes)
    }
}

/// Reads a file argument, where `-` means standard input.
enum InputFile {
    static func read(_ path: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path): no such file, or not readable")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
