import Foundation
import KubeModel
import LocalCluster
import Testing

/// A CRD like the operator's: printer columns, short name, status and scale subresources, a schema with
/// bounds, enums, patterns, defaults and CEL rules.
let gadgetCRD: JSONValue = [
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": ["name": "gadgets.test.example.com"],
    "spec": [
        "group": "test.example.com", "scope": "Namespaced",
        "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "shortNames": ["gdg"]],
        "versions": [[
            "name": "v1", "served": true, "storage": true,
            "subresources": ["status": [:], "scale": ["specReplicasPath": ".spec.replicas",
                                                      "statusReplicasPath": ".status.replicas"]],
            "additionalPrinterColumns": [
                ["name": "Layer", "type": "string", "jsonPath": ".spec.deployToLayer"],
                ["name": "URL", "type": "string", "jsonPath": ".status.url"],
                ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
            ],
            "schema": ["openAPIV3Schema": [
                "type": "object",
                "properties": [
                    "spec": [
                        "type": "object", "required": ["modelName"],
                        "x-kubernetes-validations": [
                            ["rule": "self.minReplicas <= self.replicas", "message": "replicas must be at least minReplicas"],
                            ["rule": "self.manifest.exists(m, m.version == self.targetVersion)",
                             "message": "targetVersion must name a manifest entry"],
                        ],
                        "properties": [
                            "modelName": ["type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[a-z][a-z0-9-]*$"],
                            "servingPort": ["type": "integer", "minimum": 1, "maximum": 65535, "default": 8080],
                            "deployToLayer": ["type": "string", "enum": ["cloud", "edge"], "default": "cloud"],
                            "replicas": ["type": "integer", "default": 1],
                            "minReplicas": ["type": "integer", "default": 0],
                            "targetVersion": ["type": "string", "default": "v1"],
                            "manifest": ["type": "array", "minItems": 1, "default": [["version": "v1"]],
                                         "items": ["type": "object", "properties": ["version": ["type": "string"]]]],
                            "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                        ],
                    ],
                    "status": ["type": "object", "properties": ["url": ["type": "string"], "replicas": ["type": "integer"]]],
                ],
            ]],
        ]],
    ],
]

func gadget(_ name: String, spec: JSONValue) -> JSONValue {
    ["apiVersion": "test.example.com/v1", "kind": "Gadget", "metadata": ["name": .string(name)], "spec": spec]
}

@Suite("Custom resources: CRD registration, schema validation, defaults, pruning, CEL")
struct CustomResourceTests {
    static let gadgets = "/apis/test.example.com/v1/namespaces/default/gadgets"

    func installCRD(_ api: APIClient) async throws {
        let created = try await api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", gadgetCRD)
        #expect(created.status == 201, "\(created.text)")
    }

    @Test("creating a CRD serves its resource and marks it Established and NamesAccepted")
    func registration() async throws {
        try await withCluster { _, api in
            #expect(try await api.get(Self.gadgets).status == 404)
            try await installCRD(api)
            let crd = try await api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.test.example.com")
            let conditions = crd.body[path: ["status", "conditions"]]?.arrayValue ?? []
            #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
            #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["status"] == "True" })
            let discovery = try await api.get("/apis/test.example.com/v1")
            let names = (discovery.body["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(names == ["gadgets", "gadgets/status", "gadgets/scale"])
            let groups = try await api.get("/apis")
            #expect((groups.body["groups"]?.arrayValue ?? []).contains { $0["name"] == "test.example.com" })
            #expect(try await api.get(Self.gadgets).status == 200)
            _ = try await api.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.test.example.com")
            #expect(try await api.get(Self.gadgets).status == 404)
        }
    }

    @Test("defaults are applied and unknown fields pruned (or rejected with fieldValidation=Strict)")
    func defaultsAndPruning() async throws {
        try await withCluster { _, api in
            try await installCRD(api)
            let created = try await api.post(Self.gadgets, gadget("g1", spec: [
                "modelName": "resnet", "unknownField": "dropped", "extra": ["anything": ["goes": true]],
            ]))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.body[path: ["spec", "servingPort"]] == 8080)
            #expect(created.body[path: ["spec", "deployToLayer"]] == "cloud")
            #expect(created.body[path: ["spec", "unknownField"]] == nil)
            #expect(created.body[path: ["spec", "extra", "anything", "goes"]] == true)
            let strict = try await api.post("\(Self.gadgets)?fieldValidation=Strict",
                                            gadget("g2", spec: ["modelName": "resnet", "bogus": 1]))
            #expect(strict.status == 400)
            #expect(strict.body["message"]?.stringValue?.contains("unknown field \"spec.bogus\"") == true)
        }
    }

    @Test("schema violations are 422 Invalid with the real server's wording")
    func schemaErrors() async throws {
        try await withCluster { _, api in
            try await installCRD(api)
            let port = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "m", "servingPort": 70000]))
            #expect(port.status == 422)
            #expect(port.body["reason"] == "Invalid")
            #expect(port.body["message"] == "Gadget.test.example.com \"g\" is invalid: spec.servingPort: Invalid value: 70000: spec.servingPort in body should be less than or equal to 65535")
            #expect(port.body[path: ["details", "causes"]]?[0]?["field"] == "spec.servingPort")
            let missing = try await api.post(Self.gadgets, gadget("g", spec: ["servingPort": 80]))
            #expect(missing.body["message"]?.stringValue?.contains("spec.modelName: Required value") == true)
            let layer = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "m", "deployToLayer": "moon"]))
            #expect(layer.body["message"]?.stringValue?.contains(
                "spec.deployToLayer: Unsupported value: \"moon\": supported values: \"cloud\", \"edge\"") == true)
            let pattern = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "Bad_Name"]))
            #expect(pattern.body["message"]?.stringValue?.contains(
                "spec.modelName: Invalid value: \"Bad_Name\": spec.modelName in body should match '^[a-z][a-z0-9-]*$'") == true)
            let wrongType = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "m", "servingPort": "http"]))
            #expect(wrongType.body["message"]?.stringValue?.contains(
                "spec.servingPort: Invalid value: \"string\": spec.servingPort in body must be of type integer: \"string\"") == true)
            let tooFew = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "m", "manifest": []]))
            #expect(tooFew.body["message"]?.stringValue?.contains("spec.manifest in body should have at least 1 items") == true)
            let two = try await api.post(Self.gadgets, gadget("g", spec: ["servingPort": 0]))
            #expect(two.body[path: ["details", "causes"]]?.arrayValue?.count == 2, "all errors are reported at once")
        }
    }

    @Test("CEL x-kubernetes-validations rules are evaluated")
    func celRules() async throws {
        try await withCluster { _, api in
            try await installCRD(api)
            let replicas = try await api.post(Self.gadgets, gadget("g", spec: ["modelName": "m", "replicas": 1, "minReplicas": 2]))
            #expect(replicas.status == 422)
            #expect(replicas.body["message"]?.stringValue?.contains("spec: Invalid value: \"object\": replicas must be at least minReplicas") == true)
            let version = try await api.post(Self.gadgets, gadget("g", spec: [
                "modelName": "m", "targetVersion": "v2", "manifest": [["version": "v1"]],
            ]))
            #expect(version.body["message"]?.stringValue?.contains("targetVersion must name a manifest entry") == true)
            let good = try await api.post(Self.gadgets, gadget("g", spec: [
                "modelName": "m", "targetVersion": "v2", "manifest": [["version": "v1"], ["version": "v2"]],
            ]))
            #expect(good.status == 201, "\(good.text)")
        }
    }

    @Test("custom resources have status and scale subresources as declared, and server-side tables")
    func subresourcesAndTables() async throws {
        try await withCluster { _, api in
            try await installCRD(api)
            var object = gadget("g", spec: ["modelName": "m", "deployToLayer": "edge"])
            object["status"] = ["url": "ignored-on-create"]
            let created = try await api.post(Self.gadgets, object)
            #expect(created.body["status"] == nil)
            let status = try await api.patch("\(Self.gadgets)/g/status", ["status": ["url": "http://g.default:8080"]])
            #expect(status.body[path: ["status", "url"]] == "http://g.default:8080")
            let scaled = try await api.patch("\(Self.gadgets)/g/scale", ["spec": ["replicas": 3]])
            #expect(scaled.body[path: ["spec", "replicas"]] == 3)
            let table = try await api.request("GET", Self.gadgets,
                                              accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            #expect(table.body["kind"] == "Table")
            let columns = (table.body["columnDefinitions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(columns == ["Name", "Layer", "URL", "Age"])
            let cells = table.body["rows"]?[0]?["cells"]?.arrayValue ?? []
            #expect(Array(cells.prefix(3)) == ["g", "edge", "http://g.default:8080"])
            #expect(cells.last?.stringValue?.hasSuffix("s") == true, "dates are shown as ages")
        }
    }
}
