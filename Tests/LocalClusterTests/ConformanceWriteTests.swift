import Foundation
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Writes against the recorded kube-apiserver 1.25 fixtures: no-op updates, explicit nulls in custom
/// resources, typed decoding of built-ins and field validation.
@Suite("Conformance: no-op updates, nulls, type checks and field validation")
struct ConformanceWriteTests {
    static let deployments = "/apis/apps/v1/namespaces/fixtures/deployments"

    @Test("a PUT of the unchanged object keeps the resourceVersion and emits no watch event (deployment-update-noop)")
    func noOpUpdate() async throws {
        let fixture = try Fixture.load("deployment-update-noop")
        #expect(fixture.body[path: ["metadata", "resourceVersion"]] == fixture.requestBody?[path: ["metadata", "resourceVersion"]])
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let created = try await api.replay(try Fixture.load("deployment-create")).body
            let rv = try #require(created[path: ["metadata", "resourceVersion"]]?.stringValue)
            let watch = try CurlWatch("\(cluster.baseURL.absoluteString)\(Self.deployments)?watch=true&resourceVersion=\(rv)", in: dir)
            defer { watch.stop() }
            let noop = try await api.raw("PUT", "\(Self.deployments)/m1", body: created)
            #expect(noop.status == 200)
            #expect(noop.body[path: ["metadata", "resourceVersion"]]?.stringValue == rv)
            #expect(noop.body == created)
            // The same object written without managedFields (as clients that drop them send it) is a no-op too.
            let withoutManaged = try await api.raw("PUT", "\(Self.deployments)/m1",
                                                   body: created.removing([["metadata", "managedFields"]]))
            #expect(withoutManaged.body[path: ["metadata", "resourceVersion"]]?.stringValue == rv)
            var changed = created
            changed[path: ["metadata", "labels", "x"]] = "y"
            let real = try await api.raw("PUT", "\(Self.deployments)/m1", body: changed)
            let newRV = try #require(real.body[path: ["metadata", "resourceVersion"]]?.stringValue)
            #expect(newRV != rv)
            let events = try await watch.waitForEvents(count: 1)
            #expect(events.count == 1)
            #expect(events.first?[path: ["object", "metadata", "resourceVersion"]]?.stringValue == newRV,
                    "the first event after the no-op updates is the real change")
        }
    }

    @Test("a custom resource keeps an explicit null (inferencemodel-create-null-image)")
    func customResourceKeepsNull() async throws {
        try await withCluster { _, api in
            #expect(try await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      body: try Fixture.inferenceModelCRD()).status == 201)
            let fixture = try Fixture.load("inferencemodel-create-null-image")
            let created = try await api.replay(fixture)
            #expect(created.status == 201)
            #expect(created.body[path: ["spec", "image"]] == .null)
            #expect(created.body[path: ["spec"]]?.objectValue?.keys.contains("image") == true)
            expectSameJSON(created.body.removing(assignedMetadata), fixture.body.removing(assignedMetadata),
                           "custom resource with a null")
            let fetched = try await api.raw("GET", fixture.path + "/im-null-image")
            #expect(fetched.body[path: ["spec"]]?.objectValue?["image"] == .null)
        }
    }

    @Test("a null where the schema allows none is defaulted when there is a default, else dropped")
    func nonNullableNulls() async throws {
        try await withCluster { _, api in
            #expect(try await api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", gadgetCRD).status == 201)
            let created = try await api.post("/apis/test.example.com/v1/namespaces/default/gadgets",
                                             gadget("g", spec: ["modelName": "m", "servingPort": nil, "extra": nil])).body
            #expect(created[path: ["spec", "servingPort"]] == 8080, "a non-nullable null with a default gets the default")
            #expect(created[path: ["spec"]]?.objectValue?.keys.contains("extra") == false, "one without a default is dropped")
        }
    }

    @Test("image: true in a Deployment or a Pod is a 400 with the Status of deployment-create-wrong-type-400")
    func wrongTypeIsBadRequest() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-create-wrong-type-400")
            let response = try await api.replay(fixture)
            #expect(response.status == 400)
            expectSameJSON(response.body, fixture.body, "wrong-type Status")
            let pod = try await api.raw("POST", "/api/v1/namespaces/fixtures/pods", body: [
                "metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": true]]],
            ])
            #expect(pod.status == 400)
            #expect(pod.body["message"]?.stringValue == "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal bool "
                + "into Go struct field Container.spec.containers.image of type string")
            let replicas = try await api.raw("POST", Self.deployments, body: [
                "metadata": ["name": "r"], "spec": ["replicas": "two"],
            ])
            #expect(replicas.body["message"]?.stringValue == "Deployment in version \"v1\" cannot be handled as a Deployment: json: "
                + "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
            let label = try await api.raw("POST", "/api/v1/namespaces/fixtures/services", body: [
                "metadata": ["name": "s", "labels": ["a": 1]], "spec": ["ports": [["port": 80]]],
            ])
            #expect(label.body["message"]?.stringValue == "Service in version \"v1\" cannot be handled as a Service: json: "
                + "cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")
            #expect(try await api.raw("GET", "\(Self.deployments)/m3").status == 404, "nothing was stored")
        }
    }

    @Test("an unknown field under fieldValidation=Strict is a 400 with the Status of deployment-create-unknown-field-strict-400")
    func strictUnknownField() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-create-unknown-field-strict-400")
            let response = try await api.replay(fixture)
            #expect(response.status == 400)
            expectSameJSON(response.body, fixture.body, "strict decoding Status")
            var nested = try #require(fixture.requestBody)
            nested[path: ["spec", "bogusField"]] = nil
            var containers = nested[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            containers[0]["colour"] = "blue"
            nested[path: ["spec", "template", "spec", "containers"]] = .array(containers)
            nested[path: ["metadata", "extra"]] = 1
            let both = try await api.replay(fixture, body: nested)
            #expect(both.body["message"]?.stringValue == "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
                + "error: unknown field \"metadata.extra\", unknown field \"spec.template.spec.containers[0].colour\"")
        }
    }

    @Test("by default an unknown field is dropped with a Warning header (deployment-create-unknown-field-default)")
    func defaultUnknownField() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-create-unknown-field-default")
            let response = try await api.replay(fixture)
            #expect(response.status == 201)
            #expect(response.headers["warning"] == fixture.headers["Warning"])
            #expect(response.body[path: ["spec", "bogusField"]] == nil)
            expectSameJSON(response.body.removing(assignedMetadata), fixture.body.removing(assignedMetadata),
                           "Deployment created with an unknown field")
            let ignored = try await api.replay(fixture, path: fixture.path + "?fieldValidation=Ignore",
                                               body: .some(fixture.requestBody.map { body in
                                                   var renamed = body
                                                   renamed[path: ["metadata", "name"]] = "m9"
                                                   return renamed
                                               }))
            #expect(ignored.status == 201)
            #expect(ignored.headers["warning"] == nil)
        }
    }

    @Test("strategic merge and apply patches with unknown fields: 400 under Strict, a Warning by default")
    func patchFieldValidation() async throws {
        try await withCluster { _, api in
            #expect(try await api.replay(try Fixture.load("deployment-create")).status == 201)
            let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "model-server", "colour": "red"]]]]]]
            let strict = try await api.raw("PATCH", "\(Self.deployments)/m1?fieldValidation=Strict", body: patch,
                                           contentType: "application/strategic-merge-patch+json")
            #expect(strict.status == 400)
            #expect(strict.body["message"]?.stringValue?.hasSuffix(
                "strict decoding error: unknown field \"spec.template.spec.containers[0].colour\"") == true)
            let warned = try await api.raw("PATCH", "\(Self.deployments)/m1", body: patch,
                                           contentType: "application/strategic-merge-patch+json")
            #expect(warned.status == 200)
            #expect(warned.headers["warning"] == "299 - \"unknown field \\\"spec.template.spec.containers[0].colour\\\"\"")
        }
    }
}
