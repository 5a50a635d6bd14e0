import Foundation
import KubeModel
import ModelAPI
import Testing

@Suite struct CRDTests {
    static let path = "deploy/crds/ai.kubeedge.io_inferencemodels.yaml"

    static func crd() throws -> JSONValue {
        let documents = try RepositoryFiles.documents(path)
        #expect(documents.count == 1)
        return try #require(documents.first)
    }

    @Test func isAnAPIExtensionsV1CRDForInferenceModel() throws {
        let crd = try Self.crd()
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd["kind"] == "CustomResourceDefinition")
        #expect(crd[path: ["metadata", "name"]] == "inferencemodels.ai.kubeedge.io")
        #expect(crd[path: ["spec", "group"]] == .string(InferenceModel.group))
        #expect(crd[path: ["spec", "scope"]] == "Namespaced")
        let names = try #require(crd[path: ["spec", "names"]])
        #expect(names["kind"] == .string(InferenceModel.kindName))
        #expect(names["plural"] == .string(InferenceModel.resource.resource))
        #expect(names["singular"] == "inferencemodel")
        #expect(names["shortNames"] == ["im"])
        #expect(names["categories"] == ["ai", "kubeedge"], "kubectl get ai lists models; `all` is left alone")
        let versions = try #require(crd[path: ["spec", "versions"]]?.arrayValue)
        #expect(versions.count == 1)
        #expect(versions[0]["name"] == .string(InferenceModel.version))
        #expect(versions[0]["served"] == true)
        #expect(versions[0]["storage"] == true)
    }

    @Test func hasStatusAndScaleSubresources() throws {
        let version = try #require(Self.crd()[path: ["spec", "versions"]]?[0])
        #expect(version[path: ["subresources", "status"]] == [:])
        #expect(version[path: ["subresources", "scale"]] == [
            "specReplicasPath": ".spec.replicas",
            "statusReplicasPath": ".status.replicas",
            "labelSelectorPath": ".status.selector",
        ])
        // Every scale path names a field of the schema.
        let schema = try RepositoryFiles.crdSchema()
        #expect(schema[path: ["properties", "spec", "properties", "replicas", "type"]] == "integer")
        #expect(schema[path: ["properties", "status", "properties", "replicas", "type"]] == "integer")
        #expect(schema[path: ["properties", "status", "properties", "selector", "type"]] == "string")
    }

    @Test func printerColumnsShowLayerServingURLReadyAndAge() throws {
        let version = try #require(Self.crd()[path: ["spec", "versions"]]?[0])
        let columns = try #require(version["additionalPrinterColumns"]?.arrayValue)
        let defaults = columns.filter { ($0["priority"]?.intValue ?? 0) == 0 }
        #expect(defaults.compactMap { $0["name"]?.stringValue } == ["Layer", "Serving", "URL", "Ready", "Age"])
        let paths = Dictionary(uniqueKeysWithValues: columns.compactMap { column in
            column["name"]?.stringValue.map { ($0, column["jsonPath"]?.stringValue ?? "") }
        })
        #expect(paths["Layer"] == ".spec.deployToLayer")
        #expect(paths["Serving"] == ".status.servingVersion")
        #expect(paths["URL"] == ".status.url")
        #expect(paths["Ready"] == #".status.conditions[?(@.type=="Ready")].status"#)
        #expect(paths["Age"] == ".metadata.creationTimestamp")
        #expect(columns.first { $0["name"] == "Age" }?["type"] == "date")
    }

    @Test func everyFieldHasADescriptionAndAType() throws {
        var missingDescription: [String] = []
        var missingType: [String] = []
        var preserveUnknown: [String] = []
        func walk(_ schema: JSONValue, _ path: String) {
            // Root metadata is the one field a real API server allows no description on.
            if path == ".metadata" {
                #expect(schema == ["type": "object"])
                return
            }
            if (schema["description"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                missingDescription.append(path)
            }
            if schema["type"] == nil, schema["x-kubernetes-int-or-string"] != true { missingType.append(path) }
            if schema["x-kubernetes-preserve-unknown-fields"] != nil { preserveUnknown.append(path) }
            for (name, child) in schema["properties"]?.objectValue ?? [:] { walk(child, "\(path).\(name)") }
            if let items = schema["items"] { walk(items, "\(path)[]") }
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                walk(additional, "\(path).*")
            }
        }
        let schema = try RepositoryFiles.crdSchema()
        walk(schema, "")
        #expect(missingDescription.isEmpty, "fields without a description: \(missingDescription.sorted())")
        #expect(missingType.isEmpty, "structural schemas need a type everywhere: \(missingType.sorted())")
        #expect(preserveUnknown.isEmpty, "no field needs x-kubernetes-preserve-unknown-fields: \(preserveUnknown)")
        // A sanity check that the walk saw the whole schema.
        #expect(schema[path: ["properties", "spec", "properties", "manifest", "items", "properties", "sha256sum", "description"]] != nil)
    }

    @Test func specKeepsTheOriginalKeysWithTheirConstraints() throws {
        let spec = try #require(RepositoryFiles.crdSchema()[path: ["properties", "spec"]])
        let properties = try #require(spec["properties"]?.objectValue)
        for key in ["modelName", "deployToLayer", "frameworkType", "nodeSelector", "nodeName", "image", "manifest",
                    "targetVersion", "servingPort", "replicas", "resources", "gpu", "architectures", "tolerations"] {
            #expect(properties[key] != nil, "spec.\(key) is missing")
        }
        #expect(spec["required"] == ["modelName", "deployToLayer", "servingPort"])
        #expect(properties["deployToLayer"]?["enum"] == ["edge", "cloud"])
        #expect(properties["image"]?["nullable"] == true)
        #expect(properties["servingPort"]?["minimum"] == 1)
        #expect(properties["servingPort"]?["maximum"] == 65535)
        #expect(properties["replicas"]?["minimum"] == 0)
        #expect(properties["replicas"]?["default"] == 1)
        let item = try #require(properties["manifest"]?["items"])
        #expect(item[path: ["properties", "sha256sum", "pattern"]] == "^[0-9a-fA-F]{64}$")
        #expect(item["required"] == ["version", "downloadURL", "sha256sum"])
        #expect(properties["manifest"]?["x-kubernetes-list-map-keys"] == ["version"])
        let status = try #require(RepositoryFiles.crdSchema()[path: ["properties", "status", "properties"]]?.objectValue)
        for key in ["url", "servingVersion", "observedGeneration", "conditions", "placements", "replicas",
                    "readyReplicas", "selector", "verified", "message"] {
            #expect(status[key] != nil, "status.\(key) is missing")
        }
    }

    @Test func crossFieldRulesAreCELWhereAnEmptyImageCountsAsUnset() throws {
        let rules = try #require(RepositoryFiles.crdSchema()[path: ["properties", "spec", "x-kubernetes-validations"]]?.arrayValue)
        let texts = rules.compactMap { $0["rule"]?.stringValue }
        #expect(texts.count == 2)
        // Both rules treat image as set only when it is present (CEL sees null as absent) and non-empty.
        for text in texts { #expect(text.contains("(has(self.image) && self.image != '')")) }
        #expect(texts[0].contains("size(self.manifest) > 0"))
        #expect(texts[1].contains("self.manifest.exists(f, f.version == self.targetVersion)"))
        #expect(texts[1].contains("self.targetVersion == ''"))
        // Static messages (1.25 has no messageExpression): they name the field and the fix.
        #expect(rules[1]["message"]?.stringValue?.contains("spec.targetVersion") == true)
        #expect(rules[1]["message"]?.stringValue?.contains("set targetVersion to one of the manifest versions") == true)
        for rule in rules {
            let message = rule["message"]?.stringValue ?? ""
            #expect(message.contains("spec."))
        }
        // The CEL rules' cost is bounded: the list and the strings they compare have maximum sizes.
        let spec = try #require(RepositoryFiles.crdSchema()[path: ["properties", "spec", "properties"]])
        #expect(spec[path: ["manifest", "maxItems"]] != nil)
        #expect(spec[path: ["manifest", "items", "properties", "version", "maxLength"]] != nil)
        #expect(spec[path: ["targetVersion", "maxLength"]] != nil)
    }

    @Test func theBlueprintExamplePassesTheSchemaAndTheValidator() throws {
        let document = try #require(RepositoryFiles.documents("examples/facialexpression.yaml").first)
        #expect(document[path: ["spec", "image"]] == .null)
        let schema = try RepositoryFiles.crdSchema()
        #expect(SchemaChecker.violations(of: document, against: schema) == [])
        let model = try InferenceModel.decode(from: document)
        #expect(InferenceModelValidator.validate(model).isEmpty)
    }

    @Test func aStatusTheOperatorWritesPassesTheSchema() throws {
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        var model = try DecodingTests.blueprint()
        var status = InferenceModelStatus(
            url: "http://facialexpression.default.svc:8080", servingVersion: "4", observedGeneration: 1,
            placements: [ModelPlacement(node: "precision-5820", replicas: 1,
                                        gpu: GPUAssignment(index: 0, memoryMiB: 6144, product: "Tesla-P4"))],
            replicas: 1, readyReplicas: 1, selector: "app.kubernetes.io/instance=facialexpression",
            verified: [VerifiedDigest(version: "4", url: "http://192.168.1.13/model_emotion_4.tar.gz",
                                      sha256: ValidationTests.digest4, verifiedAt: time, size: 1 << 20)],
            archiveCache: ArchiveCacheStatus(mode: .node, message: "the archive is kept in the node's cache"))
        for type in ModelConditionType.all {
            status.setCondition(type, status: .true, reason: .serving, message: "ok", observedGeneration: 1, now: time)
        }
        model.status = status
        let schema = try RepositoryFiles.crdSchema()
        #expect(SchemaChecker.violations(of: try model.jsonValue(), against: schema) == [])
        // The GPU reservation is a quantity, as resources are; a status written before (whole MiB) still reads.
        let encoded = try model.jsonValue()
        #expect(encoded[path: ["status", "placements"]]?[0]?[path: ["gpu", "memory"]] == "6Gi")
        let old = try JSONDecoder().decode(GPUAssignment.self, from: Data(#"{"index":1,"memoryMiB":1431}"#.utf8))
        #expect(old.memoryMiB == 1431 && old.index == 1)
    }

    /// One bad input, and who must reject it.
    struct BadInput: CustomTestStringConvertible, Sendable {
        enum Rejecter: Sendable { case schema, validator, both }
        var name: String
        var change: @Sendable (inout JSONValue) -> Void
        var rejectedBy: Rejecter
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "unknown targetVersion", change: { $0[path: ["spec", "targetVersion"]] = "5" }, rejectedBy: .validator),
        BadInput(name: "malformed sha256sum", change: { $0[path: ["spec", "manifest"]] = [["version": "4", "downloadURL": "http://127.0.0.1/4.tar.gz", "sha256sum": "108a433a9414"]] }, rejectedBy: .both),
        BadInput(name: "unknown layer", change: { $0[path: ["spec", "deployToLayer"]] = "fog" }, rejectedBy: .both),
        BadInput(name: "neither image nor manifest", change: { $0[path: ["spec", "manifest"]] = nil; $0[path: ["spec", "targetVersion"]] = nil }, rejectedBy: .validator),
        BadInput(name: "empty image and empty manifest", change: { $0[path: ["spec", "image"]] = ""; $0[path: ["spec", "manifest"]] = []; $0[path: ["spec", "targetVersion"]] = nil }, rejectedBy: .validator),
        BadInput(name: "port 0", change: { $0[path: ["spec", "servingPort"]] = 0 }, rejectedBy: .both),
        BadInput(name: "port 65536", change: { $0[path: ["spec", "servingPort"]] = 65536 }, rejectedBy: .both),
        BadInput(name: "replicas -1", change: { $0[path: ["spec", "replicas"]] = -1 }, rejectedBy: .both),
        BadInput(name: "duplicate versions", change: { $0[path: ["spec", "manifest"]] = [
            ["version": "4", "downloadURL": "http://127.0.0.1/a.tar.gz", "sha256sum": .string(ValidationTests.digest3)],
            ["version": "4", "downloadURL": "http://127.0.0.1/b.tar.gz", "sha256sum": .string(ValidationTests.digest4)],
        ] }, rejectedBy: .both),
        BadInput(name: "ftp downloadURL", change: { $0[path: ["spec", "manifest"]] = [["version": "4", "downloadURL": "ftp://127.0.0.1/4.tar.gz", "sha256sum": .string(ValidationTests.digest4)]] }, rejectedBy: .both),
        BadInput(name: "empty downloadURL", change: { $0[path: ["spec", "manifest"]] = [["version": "4", "downloadURL": "", "sha256sum": .string(ValidationTests.digest4)]] }, rejectedBy: .both),
        BadInput(name: "bad cpu quantity", change: { $0[path: ["spec", "resources"]] = ["requests": ["cpu": "lots"]] }, rejectedBy: .both),
        BadInput(name: "bad gpu memory", change: { $0[path: ["spec", "gpu"]] = ["memory": "6GB"] }, rejectedBy: .both),
        BadInput(name: "unknown architecture", change: { $0[path: ["spec", "architectures"]] = ["x86_64"] }, rejectedBy: .both),
        BadInput(name: "missing modelName", change: { $0[path: ["spec", "modelName"]] = nil }, rejectedBy: .both),
        BadInput(name: "too many manifest entries", change: { $0[path: ["spec", "manifest"]] = .array((1...65).map { version in
            ["version": .string("\(version)"), "downloadURL": "http://127.0.0.1/m.tar.gz", "sha256sum": .string(ValidationTests.digest3)]
        }); $0[path: ["spec", "targetVersion"]] = nil }, rejectedBy: .both),
        BadInput(name: "replicas 1001", change: { $0[path: ["spec", "replicas"]] = 1001 }, rejectedBy: .both),
        BadInput(name: "33 nodeSelector labels", change: {
            $0[path: ["spec", "nodeSelector"]] = .object(Dictionary(uniqueKeysWithValues: (1...33).map { ("label-\($0)", "x") }))
        }, rejectedBy: .schema),
        BadInput(name: "17 resource requests", change: {
            $0[path: ["spec", "resources"]] = ["requests": .object(Dictionary(uniqueKeysWithValues: (1...17).map { ("example.com/r\($0)", "1") }))]
        }, rejectedBy: .schema),
        BadInput(name: "toleration operator", change: { $0[path: ["spec", "tolerations"]] = [["key": "k", "operator": "In"]] }, rejectedBy: .both),
    ]

    @Test(arguments: badInputs)
    func eachBadInputIsRejected(input: BadInput) throws {
        var document = try #require(RepositoryFiles.documents("examples/facialexpression.yaml").first)
        input.change(&document)
        let schemaViolations = SchemaChecker.violations(of: document, against: try RepositoryFiles.crdSchema())
        let issues = InferenceModelValidator.validate(try InferenceModel.decode(from: document)).errors
        switch input.rejectedBy {
        case .schema:
            #expect(!schemaViolations.isEmpty)
        case .validator:
            #expect(!issues.isEmpty)
        case .both:
            #expect(!schemaViolations.isEmpty, "the schema accepted it")
            #expect(!issues.isEmpty, "the validator accepted it")
        }
        // Every issue names a field under spec and says how to fix it (a sentence with a remedy).
        for issue in issues { #expect(issue.message.hasPrefix(issue.field), "\(issue.message)") }
    }
}
