import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

@Suite struct ExampleTests {
    static let runnable = [
        "examples/edge-model.yaml", "examples/cloud-model.yaml", "examples/image-model.yaml",
        "examples/gpu-model.yaml", "examples/joint-inference/edge-model.yaml",
        "examples/joint-inference/cloud-model.yaml", "examples/joint-inference/edge-router.yaml",
    ]

    /// Inputs of `model-operator place` (nodes and models to plan), not objects to apply.
    static let placementInputs = ["examples/placement/models.yaml", "examples/placement/nodes.yaml"]

    @Test func theExamplesDirectoryHoldsTheBlueprintAndTheRunnableExamples() throws {
        #expect(try RepositoryFiles.yamlFiles(under: "examples")
            == (["examples/facialexpression.yaml"] + Self.runnable + Self.placementInputs).sorted())
    }

    @Test(arguments: ["examples/facialexpression.yaml"] + runnable)
    func eachFileStartsWithACommentSayingWhatItShows(path: String) throws {
        let lines = try RepositoryFiles.text(path).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.prefix { $0.hasPrefix("#") }
        #expect(header.count >= 3, "\(path) needs a header comment that says what it shows")
        #expect(header.contains { $0.contains("show") }, "\(path): say what the example shows")
    }

    /// The InferenceModels of a file, after the demo's placeholder substitution.
    static func models(_ path: String) throws -> [JSONValue] {
        try YAML.parseDocuments(Placeholders.substituted(RepositoryFiles.text(path)))
            .filter { $0["kind"] == .string(InferenceModel.kindName) }
    }

    @Test(arguments: runnable)
    func eachRunnableModelPassesTheSchemaAndTheValidatorOnceSubstituted(path: String) throws {
        let schema = try RepositoryFiles.crdSchema()
        for document in try Self.models(path) {
            #expect(document["apiVersion"] == .string(InferenceModel.groupVersion))
            #expect(SchemaChecker.violations(of: document, against: schema) == [], "\(path)")
            let model = try InferenceModel.decode(from: document)
            #expect(InferenceModelValidator.validate(model) == [], "\(path)")
        }
    }

    /// `model-operator place` decodes and validates its models as the operator does.
    @Test func thePlacementSampleModelsPassTheSchemaAndTheValidator() throws {
        let schema = try RepositoryFiles.crdSchema()
        let documents = try Self.models("examples/placement/models.yaml")
        #expect(documents.count == 5)
        for document in documents {
            let name = document[path: ["metadata", "name"]]?.stringValue ?? ""
            #expect(SchemaChecker.violations(of: document, against: schema) == [], "\(name)")
            let model = try InferenceModel.decode(from: document)
            #expect(InferenceModelValidator.validate(model) == [], "\(name)")
        }
    }

    @Test(arguments: runnable)
    func runnableExamplesDownloadOnlyFromLoopbackWithANamedPlaceholderPerArchive(path: String) throws {
        let text = try RepositoryFiles.text(path)
        for document in try YAML.parseDocuments(text) where document["kind"] == .string(InferenceModel.kindName) {
            for entry in document[path: ["spec", "manifest"]]?.arrayValue ?? [] {
                let url = try #require(entry["downloadURL"]?.stringValue)
                #expect(url.hasPrefix("http://127.0.0.1:18080/"), "\(path): \(url) is not on the demo's loopback server")
                #expect(url.hasSuffix(".tar.gz"))
                let placeholder = "${\(Placeholders.name(forArchiveURL: url))}"
                #expect(entry["sha256sum"] == .string(placeholder), "\(path): \(url) needs sha256sum \(placeholder)")
            }
        }
        // Without substitution the schema refuses a placeholder, so a template applied by mistake fails loudly.
        let schema = try RepositoryFiles.crdSchema()
        for document in try YAML.parseDocuments(text) where document[path: ["spec", "manifest"]] != nil {
            #expect(!SchemaChecker.violations(of: document, against: schema).isEmpty)
        }
    }

    @Test func placeholdersAreUniqueAcrossTheExamples() throws {
        var all: [String] = []
        for path in Self.runnable {
            for document in try RepositoryFiles.documents(path) {
                for entry in document[path: ["spec", "manifest"]]?.arrayValue ?? [] {
                    all += Placeholders.names(in: entry["sha256sum"]?.stringValue ?? "")
                }
            }
        }
        #expect(all.count == 6, "the runnable examples serve six archives: \(all)")
        #expect(Set(all).count == all.count, "each archive has its own placeholder: \(all)")
        #expect(all.allSatisfy { $0.hasPrefix("SHA256_") })
    }

    @Test func eachExampleShowsWhatItsNameSays() throws {
        let edge = try InferenceModel.decode(from: #require(Self.models("examples/edge-model.yaml").first)).spec
        #expect(edge.deployToLayer == .edge)
        #expect(edge.manifest?.count == 2)
        #expect(edge.targetVersion == nil)
        #expect(try edge.resolveManifestEntry().version == "2")

        let cloud = try InferenceModel.decode(from: #require(Self.models("examples/cloud-model.yaml").first)).spec
        #expect(cloud.deployToLayer == .cloud)

        let image = try InferenceModel.decode(from: #require(Self.models("examples/image-model.yaml").first)).spec
        #expect(image.manifest == nil)
        guard case .image = image.source else {
            Issue.record("image-model.yaml must be image-based")
            return
        }

        let gpu = try InferenceModel.decode(from: #require(Self.models("examples/gpu-model.yaml").first)).spec
        #expect(gpu.gpu?.memoryMiB == 6144)
        #expect(gpu.gpu?.products == ["Tesla-T4"])
        #expect(gpu.gpu?.isExclusive == false)
    }

    @Test func theJointInferenceRouterRunsOnTheEdgeAndCallsBothModelsServices() throws {
        let directory = "examples/joint-inference/"
        let edge = try InferenceModel.decode(from: #require(Self.models(directory + "edge-model.yaml").first))
        let cloud = try InferenceModel.decode(from: #require(Self.models(directory + "cloud-model.yaml").first))
        #expect(edge.spec.deployToLayer == .edge)
        #expect(cloud.spec.deployToLayer == .cloud)

        let documents = try RepositoryFiles.documents(directory + "edge-router.yaml")
        let deployment = try #require(documents.first { $0["kind"] == "Deployment" })
        #expect(deployment["apiVersion"] == "apps/v1")
        let pod = try #require(deployment[path: ["spec", "template", "spec"]])
        let term = pod[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?[0]
        #expect(term?["matchExpressions"]?[0]?["key"] == .string(DeployLayer.edgeNodeLabel))
        let selector = deployment[path: ["spec", "selector", "matchLabels"]]
        #expect(selector != nil && selector == deployment[path: ["spec", "template", "metadata", "labels"]].map { labels in
            .object((labels.objectValue ?? [:]).filter { selector?[$0.key] != nil })
        })

        let env = try #require(pod["containers"]?[0]?["env"]?.arrayValue)
        let values = Dictionary(uniqueKeysWithValues: env.compactMap { variable in
            variable["name"]?.stringValue.map { ($0, variable["value"]?.stringValue ?? "") }
        })
        // No URL is written anywhere in the router: it names the models, and reads their
        // status.url from the model directory the operator fills.
        #expect(!(try RepositoryFiles.text(directory + "edge-router.yaml")).contains("http://joint-"))
        for (variable, model) in [("EDGE_MODEL", edge), ("CLOUD_MODEL", cloud)] {
            #expect(values[variable] == model.metadata.name, "\(variable)")
            #expect(values[variable + "_PATH"] == "/v1/models/\(model.spec.modelName):predict")
        }
        let directoryMap = try #require(documents.first {
            $0["kind"] == "ConfigMap" && $0[path: ["metadata", "labels", "ai.kubeedge.io/model-directory"]] == "true"
        })
        let volumes = pod["volumes"]?.arrayValue ?? []
        let mounted = try #require(volumes.first { $0[path: ["configMap", "name"]] == directoryMap[path: ["metadata", "name"]] })
        let mounts = pod["containers"]?[0]?["volumeMounts"]?.arrayValue ?? []
        #expect(mounts.contains { $0["name"] == mounted["name"] && $0["mountPath"] == "/etc/models" })
        // The script the Deployment runs is in the ConfigMap it mounts, and reads those variables.
        let configMap = try #require(documents.first { $0["kind"] == "ConfigMap" && $0[path: ["data", "router.py"]] != nil })
        let script = try #require(configMap[path: ["data", "router.py"]]?.stringValue)
        for variable in ["EDGE_MODEL", "CLOUD_MODEL", "MODEL_DIRECTORY", "CONFIDENCE_THRESHOLD"] { #expect(script.contains(variable)) }
        #expect(volumes.contains { $0[path: ["configMap", "name"]] == configMap[path: ["metadata", "name"]] })
        let service = try #require(documents.first { $0["kind"] == "Service" })
        #expect(service[path: ["spec", "type"]] == "NodePort" && service[path: ["spec", "externalTrafficPolicy"]] == "Local")
        #expect(try RepositoryFiles.text(directory + "README.md").contains("How a device app reaches the router"))
        #expect(documents.contains { $0["kind"] == "Service" })
    }
}
