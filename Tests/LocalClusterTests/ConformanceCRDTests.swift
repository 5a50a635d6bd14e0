import Foundation
import KubeModel
@testable import LocalCluster
import Testing

/// CustomResourceDefinitions refused for the reasons a real kube-apiserver 1.25 refuses them.
@Suite("Conformance: CRD schema rules")
struct ConformanceCRDTests {
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

    @Test("root metadata with anything but type: object, and a property without a type, are 422 as in the fixtures")
    func recordedRefusals() async throws {
        try await withCluster { _, api in
            for name in ["crd-create-metadata-description-422", "crd-create-nonstructural-422"] {
                let fixture = try Fixture.load(name)
                let response = try await api.replay(fixture)
                #expect(response.status == 422, "\(name)")
                expectSameJSON(response.body, fixture.body, name)
            }
            #expect(try await api.raw("GET", "/apis/fixtures.example.com/v1/namespaces/default/widgets").status == 404,
                    "a refused CRD serves nothing")
        }
    }

    @Test("the project's CRD and a root metadata restricting only name are accepted")
    func acceptedSchemas() async throws {
        try await withCluster { _, api in
            #expect(try await api.raw("POST", Self.crds, body: try Fixture.inferenceModelCRD()).status == 201)
            var widget = try #require(try Fixture.load("crd-create-metadata-description-422").requestBody)
            var versions = widget[path: ["spec", "versions"]]?.arrayValue ?? []
            versions[0][path: ["schema", "openAPIV3Schema", "properties", "metadata"]] = [
                "type": "object", "properties": ["name": ["type": "string", "maxLength": 20]],
            ]
            widget[path: ["spec", "versions"]] = .array(versions)
            #expect(try await api.raw("POST", Self.crds, body: widget).status == 201)
        }
    }

    @Test("other structural rules: root type, array items, nested value validations, unsupported keywords")
    func otherRules() async throws {
        let base = try #require(try Fixture.load("crd-create-nonstructural-422").requestBody)
        func refusal(_ schema: JSONValue, _ api: APIClient) async throws -> [JSONValue] {
            var crd = base
            var versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
            versions[0][path: ["schema", "openAPIV3Schema"]] = schema
            crd[path: ["spec", "versions"]] = .array(versions)
            let response = try await api.raw("POST", Self.crds, body: crd)
            #expect(response.status == 422)
            #expect(response.body["reason"] == "Invalid")
            return response.body[path: ["details", "causes"]]?.arrayValue ?? []
        }
        try await withCluster { _, api in
            let root = try await refusal(["type": "string"], api)
            #expect(root == [["reason": "FieldValueInvalid", "field": "spec.validation.openAPIV3Schema.type",
                              "message": "Invalid value: \"string\": must be object at the root"]])
            let items = try await refusal(["type": "object", "properties": ["spec": ["type": "array"]]], api)
            #expect(items == [["reason": "FieldValueRequired", "field": "spec.validation.openAPIV3Schema.properties[spec].items",
                               "message": "Required value: must be specified"]])
            let nested = try await refusal(["type": "object", "properties": ["spec": [
                "type": "object", "anyOf": [["type": "object", "description": "no"]],
            ]]], api)
            #expect(nested.compactMap { $0["field"]?.stringValue } == [
                "spec.validation.openAPIV3Schema.properties[spec].anyOf[0].description",
                "spec.validation.openAPIV3Schema.properties[spec].anyOf[0].type",
            ])
            let unique = try await refusal(["type": "object", "properties": ["tags": [
                "type": "array", "uniqueItems": true, "items": ["type": "string"],
            ]]], api)
            #expect(unique.first?["message"] == "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic")
            let missing = try await refusal([:], api)
            #expect(missing.first?["message"] == "Required value: must not be empty at the root")
        }
    }
}
