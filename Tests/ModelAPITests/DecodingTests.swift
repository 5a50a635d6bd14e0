import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

@Suite struct DecodingTests {
    /// The blueprint's example, as a user would `kubectl apply` it.
    static func blueprint() throws -> InferenceModel {
        let document = try #require(RepositoryFiles.documents("examples/facialexpression.yaml").first)
        return try InferenceModel.decode(from: document)
    }

    @Test func blueprintExampleDecodesWithItsOriginalKeys() throws {
        let model = try Self.blueprint()
        #expect(model.apiVersion == "ai.kubeedge.io/v1alpha1")
        #expect(model.kind == "InferenceModel")
        #expect(model.metadata.name == "facialexpression")
        let spec = model.spec
        #expect(spec.modelName == "facialexpression")
        #expect(spec.deployToLayer == .edge)
        #expect(spec.frameworkType == "tensorflow")
        #expect(spec.image == nil, "an empty `image:` key means no image")
        #expect(spec.nodeSelector == ["kubernetes.io/hostname": "precision-5820"])
        #expect(spec.nodeName == "precision-5820")
        #expect(spec.manifest == [
            InferenceModelFile(version: "3", downloadURL: "http://192.168.1.13/model_emotion_3.tar.gz",
                               sha256sum: "dec87e2f3c06e60e554acac0b2b80e394c616b0ecdf878fab7f04fd414a66eff"),
            InferenceModelFile(version: "4", downloadURL: "http://192.168.1.13/model_emotion_4.tar.gz",
                               sha256sum: "108a433a941411217e5d4bf9f43a262d0247a14c35ccbf677f63ba3b46ae6285"),
        ])
        #expect(spec.targetVersion == "4")
        #expect(spec.servingPort == 8080)
        #expect(spec.replicas == 1)
        #expect(spec.source == .manifest(spec.manifest ?? []))
        #expect(model.status == nil)
    }

    @Test func reencodingLeavesAbsentOptionalsOutAndKeepsTheOriginalKeys() throws {
        let model = try Self.blueprint()
        let json = try model.jsonValue()
        #expect(!json.jsonString.contains("null"), "encoded: \(json.jsonString)")
        let spec = try #require(json["spec"]?.objectValue)
        #expect(spec["image"] == nil)
        #expect(Set(spec.keys) == ["modelName", "deployToLayer", "frameworkType", "nodeSelector", "nodeName",
                                   "manifest", "targetVersion", "servingPort", "replicas"])
        #expect(json["status"] == nil)
        #expect(json[path: ["spec", "manifest"]]?[1]?["version"] == .string("4"))
        #expect(json[path: ["spec", "servingPort"]] == .int(8080))
        // And it decodes back to the same model.
        #expect(try InferenceModel.decode(from: json) == model)
    }

    @Test func emptyImageStringMeansUnsetLikeNull() throws {
        let yaml = """
            spec:
              modelName: m
              deployToLayer: cloud
              image: ""
              manifest: [{version: '1', downloadURL: 'http://127.0.0.1/m.tar.gz', sha256sum: '\(String(repeating: "a", count: 64))'}]
              servingPort: 80
            """
        let model = try InferenceModel.decode(from: YAML.parse(yaml))
        #expect(model.spec.image == nil)
        #expect(InferenceModelValidator.validate(model.spec).isEmpty)
    }

    @Test func numbersWhereTheAPIHasStringsAreReadAsTheirText() throws {
        let yaml = """
            spec:
              modelName: m
              deployToLayer: edge
              manifest:
                - {version: 3, downloadURL: 'http://127.0.0.1/3.tar.gz', sha256sum: '\(String(repeating: "b", count: 64))'}
                - {version: 4, downloadURL: 'http://127.0.0.1/4.tar.gz', sha256sum: '\(String(repeating: "c", count: 64))'}
              targetVersion: 4
              servingPort: 8080
              resources:
                requests: {cpu: 2, memory: 1Gi}
            """
        let spec = try InferenceModel.decode(from: YAML.parse(yaml)).spec
        #expect(spec.manifest?.map(\.version) == ["3", "4"])
        #expect(spec.targetVersion == "4")
        #expect(spec.resources?.requests == ["cpu": "2", "memory": "1Gi"])
        #expect(try spec.resolveManifestEntry().version == "4")
    }

    @Test func missingRequiredKeysDecodeSoTheValidatorCanNameThem() throws {
        let model = try InferenceModel.decode(from: YAML.parse("metadata: {name: empty}\nspec: {}"))
        let fields = InferenceModelValidator.validate(model.spec).errors.map(\.field)
        #expect(fields == ["spec.modelName", "spec.deployToLayer", "spec", "spec.servingPort"])
        let encoded = try model.jsonValue()
        #expect(encoded["spec"] == ["modelName": "", "deployToLayer": "", "servingPort": 0])
    }

    @Test func aValueOfTheWrongTypeNamesTheFieldAndWhatItMustBe() throws {
        let portError = #expect(throws: InferenceModelDecodingError.self) {
            try InferenceModel.decode(from: YAML.parse("spec: {modelName: m, deployToLayer: edge, servingPort: http}"))
        }
        #expect(portError?.field == "spec.servingPort")
        #expect(portError?.message == "spec.servingPort must be an integer; fix its value in the YAML")

        let manifestError = #expect(throws: InferenceModelDecodingError.self) {
            try InferenceModel.decode(from: YAML.parse("spec: {manifest: [{version: [1]}]}"))
        }
        #expect(manifestError?.field == "spec.manifest[0].version")
        #expect(manifestError?.message.hasPrefix("spec.manifest[0].version must be a string") == true)
    }

    @Test func statusRoundTripsWithRFC3339TimesAndNoNulls() throws {
        let time = try #require(KubeTime.parse("2026-11-23T01:52:29Z"))
        var status = InferenceModelStatus(
            url: "http://facial-edge.default.svc:8501", servingVersion: "2", observedGeneration: 3,
            placements: [
                ModelPlacement(node: "cloud-1", replicas: 2, gpu: GPUAssignment(index: 1, memoryMiB: 6144, product: "Tesla-T4")),
                ModelPlacement(node: "edge-arm-1", replicas: 1),
            ],
            replicas: 3, readyReplicas: 3, selector: "app.kubernetes.io/instance=facial-edge",
            verified: [VerifiedDigest(version: "2", url: "http://127.0.0.1:18080/facial-edge-2.tar.gz",
                                      sha256: String(repeating: "AB", count: 32), verifiedAt: time)])
        status.setCondition(.ready, status: .true, reason: .serving, message: "version 2 serves on 3 of 3 replicas",
                            observedGeneration: 3, now: time.addingTimeInterval(0.75))
        let json = try JSONValue(encoding: status)
        #expect(!json.jsonString.contains("null"))
        #expect(json[path: ["conditions"]]?[0]?["lastTransitionTime"] == "2026-11-23T01:52:29Z")
        #expect(json[path: ["conditions"]]?[0]?["status"] == "True")
        #expect(json[path: ["verified"]]?[0]?["verifiedAt"] == "2026-11-23T01:52:29Z")
        #expect(json[path: ["verified"]]?[0]?["sha256"] == .string(String(repeating: "ab", count: 32)))
        #expect(json[path: ["placements"]]?[1]?["gpu"] == nil)
        #expect(json["message"] == nil)
        #expect(try json.decode(as: InferenceModelStatus.self) == status)
    }

    @Test func statusWrittenByKubectlWithFractionalSecondsAndUnknownStatusDecodes() throws {
        let json: JSONValue = ["conditions": [[
            "type": "Ready", "status": "Maybe", "reason": "Pending", "message": "",
            "lastTransitionTime": "2026-11-23T01:52:29.123456Z",
        ]]]
        let status = try json.decode(as: InferenceModelStatus.self)
        let condition = try #require(status.condition(.ready))
        #expect(condition.status == .unknown)
        #expect(KubeTime.format(condition.lastTransitionTime) == "2026-11-23T01:52:29Z")
    }
}
