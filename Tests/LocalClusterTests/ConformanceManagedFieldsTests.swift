import Foundation
import KubeModel
@testable import LocalCluster
import Testing

/// `metadata.managedFields` against the recorded kube-apiserver 1.25 fixtures.
@Suite("Conformance: managedFields")
struct ConformanceManagedFieldsTests {
    static func entry(_ object: JSONValue, manager: String, subresource: String? = nil) -> JSONValue? {
        object[path: ["metadata", "managedFields"]]?.arrayValue?.first {
            $0["manager"]?.stringValue == manager && $0["subresource"]?.stringValue == subresource
        }
    }

    @Test("a create records one Update entry: manager from the User-Agent, apiVersion, time, FieldsV1 as the fixture's")
    func createEntry() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-create")
            let created = try await api.replay(fixture).body
            let entries = try #require(created[path: ["metadata", "managedFields"]]?.arrayValue)
            let recorded = try #require(fixture.body[path: ["metadata", "managedFields"]]?.arrayValue)
            #expect(entries.count == recorded.count)
            let ours = try #require(entries.first)
            // The whole entry matches but for the time, which is LocalCluster's clock.
            expectSameJSON(ours.removing([["time"]]), recorded[0].removing([["time"]]), "managedFields entry")
            let time = try #require(ours["time"]?.stringValue)
            #expect(time.hasSuffix("Z") && time.count == 20, "RFC 3339 in seconds: \(time)")
        }
    }

    @Test("fieldManager names the manager; Services own what their request set (difference, named: allocated fields)")
    func fieldManagerAndServiceFields() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("service-create")
            let created = try await api.replay(fixture, path: fixture.path + "?fieldManager=my-controller").body
            let ours = try #require(Self.entry(created, manager: "my-controller"))
            let recorded = try #require(fixture.body[path: ["metadata", "managedFields"]]?[0])
            #expect(ours["operation"] == "Update")
            // Difference: a real server allocates clusterIP(s), ipFamilies and ipFamilyPolicy after tracking
            // fields, so it does not list them; LocalCluster defaults them with the rest and lists them.
            let allocated = ["f:clusterIP", "f:clusterIPs", "f:ipFamilies", "f:ipFamilyPolicy"]
            #expect(allocated.allSatisfy { ours[path: ["fieldsV1", "f:spec", $0]] != nil })
            expectSameJSON(ours["fieldsV1"]?.removing(allocated.map { ["f:spec", $0] }) ?? .null, recorded["fieldsV1"] ?? .null,
                           "Service fieldsV1 without the allocated fields")
        }
    }

    @Test("patches move ownership; a server-side apply that changes others' fields is a 409 with the fixture's body")
    func applyConflictAndForce() async throws {
        try await withCluster { _, api in
            #expect(try await api.replay(try Fixture.load("deployment-create")).status == 201)
            for name in ["deployment-patch-merge", "deployment-patch-strategic", "deployment-patch-json"] {
                #expect(try await api.replay(try Fixture.load(name)).status == 200, "\(name)")
            }
            let conflict = try Fixture.load("deployment-apply-conflict-409")
            let refused = try await api.replay(conflict)
            #expect(refused.status == 409)
            expectSameJSON(refused.body, conflict.body, "apply conflict Status")

            let force = try Fixture.load("deployment-apply-force")
            let applied = try await api.replay(force)
            #expect(applied.status == 200)
            #expect(applied.body[path: ["spec", "replicas"]] == 2)
            let ours = applied.body[path: ["metadata", "managedFields"]]?.arrayValue ?? []
            // Apply entries come first; the applier owns exactly what it applied; the forced fields (replicas, image)
            // left the Update manager's set while the label x and the env var it added by patches stayed.
            #expect(ours.first?["manager"] == "model-operator")
            #expect(ours.first?["operation"] == "Apply")
            for manager in ["model-operator", "Python-urllib"] {
                let mine = try #require(Self.entry(applied.body, manager: manager), "\(manager)")
                let theirs = try #require(Self.entry(force.body, manager: manager), "\(manager)")
                expectSameJSON(mine.removing([["time"]]), theirs.removing([["time"]]), "\(manager)'s entry")
            }
            // Difference: no controller runs here, so there is no kube-controller-manager status entry.
            #expect(Self.entry(force.body, manager: "kube-controller-manager", subresource: "status") != nil)
            #expect(ours.count == 2)
        }
    }

    @Test("a status write is tracked in its own entry with subresource status, as inferencemodel-status-update")
    func statusEntry() async throws {
        try await withCluster { _, api in
            #expect(try await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      body: try Fixture.inferenceModelCRD()).status == 201)
            let create = try Fixture.load("inferencemodel-create")
            let created = try await api.replay(create).body
            let spec = try #require(Self.entry(created, manager: "Python-urllib"))
            expectSameJSON(spec.removing([["time"]]),
                           create.body[path: ["metadata", "managedFields"]]?[0]?.removing([["time"]]) ?? .null,
                           "custom resource create entry")
            let update = try Fixture.load("inferencemodel-status-update")
            var body = try #require(update.requestBody)
            body[path: ["metadata", "resourceVersion"]] = created[path: ["metadata", "resourceVersion"]]
            let updated = try await api.replay(update, body: body)
            #expect(updated.status == 200)
            #expect(updated.body[path: ["spec", "replicas"]] == 1, "spec changes through /status are ignored")
            let recorded = try #require(Self.entry(update.body, manager: "Python-urllib", subresource: "status"))
            let ours = try #require(Self.entry(updated.body, manager: "Python-urllib", subresource: "status"))
            expectSameJSON(ours.removing([["time"]]), recorded.removing([["time"]]), "status entry")
            #expect(updated.body[path: ["metadata", "managedFields"]]?.arrayValue?.count == 2)
        }
    }

    @Test("simplification, named: server-side apply owns map fields without their '.' entry, and never removes fields")
    func applySimplification() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-apply-force")
            let created = try await api.replay(fixture).body
            let apply = try #require(Self.entry(created, manager: "model-operator"))
            #expect(apply["operation"] == "Apply")
            // As on the real server, an Apply owns `f:labels` members without `.`.
            #expect(apply[path: ["fieldsV1", "f:spec", "f:template", "f:metadata", "f:labels", "."]] == nil)
            // Simplification: a field dropped from a later apply stays in the object (a real server removes it when
            // no other manager owns it); the applier just stops owning it.
            var smaller = try #require(fixture.requestBody)
            smaller[path: ["spec", "replicas"]] = nil
            let reapplied = try await api.replay(fixture, body: smaller).body
            #expect(reapplied[path: ["spec", "replicas"]] == 2)
            #expect(Self.entry(reapplied, manager: "model-operator")?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        }
    }
}
