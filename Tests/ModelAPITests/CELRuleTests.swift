import Foundation
import KubeModel
@testable import LocalCluster
import ModelAPI
import Testing

/// The CRD's CEL rules, evaluated by LocalCluster's API-server schema validator (defaults,
/// pruning, OpenAPI checks and its CEL subset), so that a rule with a typo or the wrong field
/// fails here and not first on a real cluster.
@Suite struct CELRuleTests {
    static func validator() throws -> SchemaValidator {
        SchemaValidator(schema: try RepositoryFiles.crdSchema(), logger: nil)
    }

    /// The API server's verdict on an object: the field errors after defaulting and pruning.
    static func serverErrors(_ object: JSONValue) throws -> [String] {
        let validator = try validator()
        return validator.validate(validator.normalize(object).object, old: nil).map(\.description)
    }

    /// The blueprint's example without its `image:` key. (LocalCluster's `has()` counts a null
    /// field as present, where Kubernetes treats null as absent, so these cases leave it out.)
    static func base() throws -> JSONValue {
        var document = try #require(RepositoryFiles.documents("examples/facialexpression.yaml").first)
        document[path: ["spec", "image"]] = nil
        return document
    }

    @Test func everyRuleIsInTheSubsetLocalClusterEvaluates() throws {
        var texts: [String] = []
        func collect(_ schema: JSONValue) {
            for rule in schema["x-kubernetes-validations"]?.arrayValue ?? [] {
                if let text = rule["rule"]?.stringValue { texts.append(text) }
            }
            for (_, child) in schema["properties"]?.objectValue ?? [:] { collect(child) }
            if let items = schema["items"] { collect(items) }
        }
        collect(try RepositoryFiles.crdSchema())
        // metadata.name's length, image-or-manifest, targetVersion in manifest, and the key
        // lengths of nodeSelector, resources.requests and resources.limits.
        #expect(texts.count == 6)
        for text in texts {
            #expect(throws: Never.self) { _ = try CELExpression(parsing: text) }
        }
    }

    @Test func theValidExampleAndItsVariantsPass() throws {
        #expect(try Self.serverErrors(Self.base()) == [])
        var emptyTarget = try Self.base()
        emptyTarget[path: ["spec", "targetVersion"]] = ""
        #expect(try Self.serverErrors(emptyTarget) == [], "an empty targetVersion means the highest version")
        var imageOnly = try Self.base()
        imageOnly[path: ["spec", "manifest"]] = nil
        imageOnly[path: ["spec", "image"]] = "localhost:5000/models/facial:4"
        #expect(try Self.serverErrors(imageOnly) == [], "with an image, targetVersion is ignored")
    }

    @Test(arguments: ["examples/facialexpression.yaml"] + ExampleTests.runnable)
    func everyExampleModelIsAccepted(path: String) throws {
        for document in try ExampleTests.models(path) {
            #expect(try Self.serverErrors(document) == [], "\(path)")
        }
    }

    /// 1.25 has no `fieldPath`, so the server reports the rule on `spec`, the object that holds
    /// it; the static message names spec.targetVersion and the fix.
    @Test func unknownTargetVersionIsRejectedWithAMessageNamingTheField() throws {
        var document = try Self.base()
        document[path: ["spec", "targetVersion"]] = "5"
        let errors = try Self.serverErrors(document)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("spec: Invalid value") == true, "\(errors)")
        #expect(errors.first?.contains("spec.targetVersion is not in spec.manifest") == true)
        #expect(errors.first?.contains("set targetVersion to one of the manifest versions") == true)
        #expect(!InferenceModelValidator.validate(try InferenceModel.decode(from: document)).errors.isEmpty)
    }

    @Test func neitherImageNorManifestIsRejected() throws {
        let images: [JSONValue?] = [nil, .string("")]  // absent, and empty
        for image in images {
            var document = try Self.base()
            document[path: ["spec", "image"]] = image
            document[path: ["spec", "manifest"]] = []
            document[path: ["spec", "targetVersion"]] = nil
            let errors = try Self.serverErrors(document)
            #expect(errors.count == 1)
            #expect(errors.first?.contains("spec has neither image nor manifest") == true, "\(errors)")
        }
    }

    /// LocalCluster does not enforce the uniqueness of `x-kubernetes-list-type: map` keys (a real
    /// API server does; `SchemaChecker` checks it in CRDTests), so duplicate versions are left out.
    @Test(arguments: CRDTests.badInputs.filter { $0.name != "duplicate versions" })
    func theServerRejectsEveryBadInputTheSchemaOrItsRulesCover(input: CRDTests.BadInput) throws {
        var document = try Self.base()
        input.change(&document)
        #expect(try !Self.serverErrors(document).isEmpty, "LocalCluster accepted \(input.name)")
    }

    @Test func replicasDefaultsToOneForTheScaleSubresource() throws {
        var document = try Self.base()
        document[path: ["spec", "replicas"]] = nil
        let normalized = try Self.validator().normalize(document).object
        #expect(normalized[path: ["spec", "replicas"]] == 1)
    }

    /// A key no label or resource name can have (here 1 MB) is refused by the API server, so
    /// the operator never has to report it in a status the server would refuse as too long.
    @Test func overlongMapKeysAreRefusedByTheServer() throws {
        let key = String(repeating: "k", count: 1 << 20)
        var selector = try Self.base()
        selector[path: ["spec", "nodeSelector"]] = .object([key: "x"])
        #expect(try Self.serverErrors(selector).contains { $0.contains("spec.nodeSelector has a key longer") })
        var resources = try Self.base()
        resources[path: ["spec", "resources"]] = ["requests": .object([key: "1"])]
        #expect(try Self.serverErrors(resources).contains { $0.contains("spec.resources.requests has a resource name longer") })
        var fine = try Self.base()
        fine[path: ["spec", "nodeSelector"]] = ["example.com/" + String(repeating: "n", count: 63): "x"]
        #expect(try Self.serverErrors(fine) == [])
    }
}
