import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Operator
import Placement

/// `model-operator place`: plans placements for InferenceModels on Nodes read from files, with no cluster.
struct PlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Plan where InferenceModels would run on a set of Nodes, without a cluster.",
        discussion: """
            Reads Node objects and InferenceModel objects (YAML or JSON; a List or several documents) \
            and prints, per model, its nodes, replica counts and GPU slots, or the reason it cannot be \
            placed, followed by the plan's quality figures. Each model is decoded and validated as the \
            operator validates it (an invalid model stops the command with every problem). A model's \
            status.placements, when present, is treated as the previous plan: placements that still fit \
            stay where they are.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "File with Node objects (YAML or JSON).")
    var nodes: String

    @Option(name: .long, help: "File with InferenceModel objects (YAML or JSON).")
    var models: String

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: OutputFormat = .text

    @Option(help: "How GPU replicas get their GPU, as `run --gpu-sharing`: time-slicing, mps or visible-devices.")
    var gpuSharing = OperatorSettings().gpuSharing.rawValue

    @Option(help: "The resource the NVIDIA device plugin advertises GPUs as, as `run --gpu-resource`.")
    var gpuResource = OperatorSettings().gpuResource

    func run() throws {
        let nodeObjects = try PlaceInput.objects(in: nodes, kind: "Node")
        let modelObjects = try PlaceInput.objects(in: models, kind: "InferenceModel")
        guard let sharing = GPUSharingMode(rawValue: gpuSharing) else {
            throw ValidationError("--gpu-sharing \(gpuSharing) is not time-slicing, mps or visible-devices")
        }
        let placementNodes = try nodeObjects.map { try PlacementNode(node: $0, gpuResource: gpuResource) }
        let typedModels = try modelObjects.map { try PlaceInput.validatedModel($0, file: models) }
        let workloads = typedModels.map { PlacementWorkload($0.serving, gpuAllocation: sharing.gpuAllocation) }
        try PlaceInput.rejectDuplicates(placementNodes.map(\.name), what: "Node", file: nodes)
        try PlaceInput.rejectDuplicates(workloads.map(\.key.description), what: "InferenceModel", file: models)
        var existing: [ModelKey: [PlacementAssignment]] = [:]
        for ((model, _), workload) in zip(typedModels, workloads) {
            guard let entries = model.status?.placements else { continue }
            existing[workload.key] = entries.map { PlacementAssignment(status: $0, exclusive: workload.gpuExclusive) }
        }
        let plan = PlacementPlanner.plan(nodes: placementNodes, workloads: workloads, existing: existing)
        switch output {
        case .json:
            let data = try plan.jsonValue.jsonData(sorted: true, pretty: true)
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print(PlanTable.render(plan), terminator: "")
        }
    }
}

/// Reading the `place` command's input files.
enum PlaceInput {
    /// Every object of `kind` in the file, with Lists (`kind: ...List`, `items`) flattened.
    static func objects(in path: String, kind: String) throws -> [JSONValue] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        let documents: [JSONValue]
        do {
            documents = try YAML.parseDocuments(text)
        } catch {
            throw ValidationError("\(path) is not valid YAML or JSON: \(error)")
        }
        var objects: [JSONValue] = []
        func collect(_ document: JSONValue, at location: String) throws {
            if document.isNull { return }
            let documentKind = document["kind"]?.stringValue ?? ""
            if let items = document["items"]?.arrayValue, documentKind.hasSuffix("List") || documentKind.isEmpty {
                for (i, item) in items.enumerated() { try collect(item, at: "\(location) item \(i)") }
            } else if documentKind == kind {
                objects.append(document)
            } else {
                let found = documentKind.isEmpty ? "an object without kind" : "kind \(documentKind)"
                throw ValidationError("\(path): \(location) is \(found); this file should hold \(kind) objects (a List or several documents)")
            }
        }
        for (i, document) in documents.enumerated() { try collect(document, at: "document \(i + 1)") }
        return objects
    }

    /// An InferenceModel object decoded and validated by ModelAPI, once, with its serving plan;
    /// warnings go to standard error, errors stop the command naming the model and every problem.
    static func validatedModel(_ object: JSONValue, file: String) throws -> (model: InferenceModel, serving: ServingWorkload) {
        let model: InferenceModel
        do {
            model = try InferenceModel.decode(from: object)
        } catch {
            let name = object[path: ["metadata", "name"]]?.stringValue ?? "(unnamed)"
            throw ValidationError("\(file): InferenceModel \(name): \(error)")
        }
        let validated = ServingWorkload.validated(model)
        for warning in validated.issues.warnings {
            FileHandle.standardError.write(Data("\(file): \(model.metadata.name ?? "(unnamed)"): warning: \(warning.message)\n".utf8))
        }
        guard let serving = validated.workload else {
            throw ValidationError("\(file): \(InvalidInferenceModel(model: model, issues: validated.issues))")
        }
        return (model, serving)
    }

    static func rejectDuplicates(_ names: [String], what: String, file: String) throws {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw ValidationError("\(file): \(what) \(name) appears twice; names must be unique")
        }
    }
}
