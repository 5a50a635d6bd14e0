import Foundation
import KubeModel
@testable import LocalCluster
import Testing

/// Error `Status` bodies against the recorded kube-apiserver 1.25 fixtures: kind, apiVersion, status,
/// message, reason, details and code.
@Suite("Conformance: error Status bodies")
struct ConformanceErrorTests {
    @Test("409 AlreadyExists, 409 Conflict (stale update) and 404 NotFound match the fixtures exactly")
    func conflictsAndNotFound() async throws {
        try await withCluster { _, api in
            let create = try Fixture.load("deployment-create")
            #expect(try await api.replay(create).status == 201)
            let exists = try Fixture.load("deployment-create-exists-409")
            let again = try await api.replay(exists)
            #expect(again.status == 409)
            expectSameJSON(again.body, exists.body, "AlreadyExists")
            let stale = try Fixture.load("deployment-update-conflict-409")
            let conflict = try await api.replay(stale)
            #expect(conflict.status == 409)
            expectSameJSON(conflict.body, stale.body, "Conflict")
            let missing = try Fixture.load("deployment-get-missing-404")
            let notFound = try await api.replay(missing)
            #expect(notFound.status == 404)
            expectSameJSON(notFound.body, missing.body, "NotFound")
        }
    }

    @Test("422 Invalid lists every cause, name and spec together (deployment-create-invalid-422 and custom resources)")
    func invalid() async throws {
        try await withCluster { _, api in
            let fixture = try Fixture.load("deployment-create-invalid-422")
            let response = try await api.replay(fixture)
            #expect(response.status == 422)
            expectSameJSON(response.body, fixture.body, "Deployment Invalid")
            #expect(try await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      body: try Fixture.inferenceModelCRD()).status == 201)
            for name in ["inferencemodel-create-invalid-layer-fog-422", "inferencemodel-create-invalid-port-70000-422"] {
                let recorded = try Fixture.load(name)
                let answer = try await api.replay(recorded)
                #expect(answer.status == 422, "\(name)")
                expectSameJSON(answer.body, recorded.body, name)
            }
            // The recorded CRD had one more CEL rule on replicas than deploy/crds has: the schema's own cause is the same.
            let negative = try Fixture.load("inferencemodel-create-invalid-replicas-negative-422")
            let answer = try await api.replay(negative)
            #expect(answer.status == 422)
            #expect(answer.body[path: ["details", "causes"]]?[0] == negative.body[path: ["details", "causes"]]?[0])
        }
    }

    @Test("410 Expired for a continue token older than the history, with a token to go on (deployment-list-too-old-continue-410)")
    func expiredContinue() async throws {
        try await withCluster { cluster, api in
            let fixture = try Fixture.load("deployment-list-too-old-continue-410")
            for name in ["a1", "a2"] {
                _ = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/deployments", body: deployment(name))
            }
            let first = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments?limit=1")
            let token = try #require(first.body[path: ["metadata", "continue"]]?.stringValue)
            _ = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/deployments", body: deployment("a3"))
            await cluster.compactHistory()
            let expired = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments?limit=1&continue=\(token)")
            #expect(expired.status == 410)
            // Difference: continue tokens are LocalCluster's own encoding.
            expectSameJSON(expired.body.removing([["metadata", "continue"]]), fixture.body.removing([["metadata", "continue"]]),
                           "Expired continue")
            let restart = try #require(expired.body[path: ["metadata", "continue"]]?.stringValue)
            let rest = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments?limit=5&continue=\(restart)")
            #expect(rest.status == 200)
            #expect((rest.body["items"]?.arrayValue ?? []).map(\.metaName) == ["a2", "a3"],
                    "the returned token goes on from where the old one stopped, on the current state")
        }
    }

    @Test("403 Forbidden for a user without rights and 401 Unauthorized for a bad token match the fixtures exactly")
    func forbiddenAndUnauthorized() async throws {
        let options = LocalClusterOptions(tokens: ["admin-token"])
        var restricted = options
        restricted.restrictedTokens = ["nobody-token": "system:serviceaccount:default:nobody"]
        try await withCluster(restricted) { _, api in
            let forbidden = try Fixture.load("forbidden-403")
            let denied = try await api.replay(forbidden, token: "nobody-token")
            #expect(denied.status == 403)
            expectSameJSON(denied.body, forbidden.body, "Forbidden")
            let named = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments/m1/status", token: "nobody-token")
            #expect(named.body["message"]?.stringValue == "deployments.apps \"m1\" is forbidden: User \"system:serviceaccount:default:nobody\" "
                + "cannot get resource \"deployments/status\" in API group \"apps\" in the namespace \"fixtures\"")
            let nodes = try await api.raw("GET", "/api/v1/nodes?watch=true", token: "nobody-token")
            #expect(nodes.body["message"]?.stringValue == "nodes is forbidden: User \"system:serviceaccount:default:nobody\" cannot watch "
                + "resource \"nodes\" in API group \"\" at the cluster scope")
            #expect(try await api.raw("GET", "/apis", token: "nobody-token").status == 200, "discovery stays open")
            #expect(try await api.raw("GET", forbidden.path, token: "admin-token").status == 200)
            let unauthorized = try Fixture.load("unauthorized-401")
            let refused = try await api.replay(unauthorized, token: "wrong-token")
            #expect(refused.status == 401)
            expectSameJSON(refused.body, unauthorized.body, "Unauthorized")
        }
    }

    @Test("a DELETE that removes the object answers Status Success (deployment-delete-background, inferencemodel-delete)")
    func deleteAnswersStatus() async throws {
        try await withCluster { _, api in
            #expect(try await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      body: try Fixture.inferenceModelCRD()).status == 201)
            let created = try await api.replay(try Fixture.load("deployment-create")).body
            let model = try await api.replay(try Fixture.load("inferencemodel-create")).body
            for (name, object) in [("deployment-delete-background", created), ("inferencemodel-delete", model)] {
                let fixture = try Fixture.load(name)
                let deleted = try await api.replay(fixture)
                #expect(deleted.status == 200)
                expectSameJSON(deleted.body.removing([["details", "uid"]]), fixture.body.removing([["details", "uid"]]), name)
                #expect(deleted.body[path: ["details", "uid"]] == object[path: ["metadata", "uid"]])
            }
        }
    }

    @Test("a watch from a too-old resourceVersion: HTTP 200 and one ERROR event with a 410 Status")
    func tooOldWatch() async throws {
        let recorded = try #require(try Fixture.watchEvents("deployment-watch-too-old-rv").first)
        try await withCluster { _, api in
            _ = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/deployments", body: deployment("w"))
            // Resource version 1 predates everything LocalCluster keeps, even without compaction.
            let response = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments?watch=true&resourceVersion=1")
            #expect(response.status == 200)
            let lines = response.text.split(separator: "\n")
            #expect(lines.count == 1)
            let event = try JSONValue.parse(String(lines.first ?? ""))
            // Difference: the oldest resourceVersion still available (in parentheses) is LocalCluster's own.
            expectSameJSON(event.removing([["object", "message"]]), recorded.removing([["object", "message"]]), "ERROR event")
            let message = try #require(event[path: ["object", "message"]]?.stringValue)
            #expect(message.hasPrefix("too old resource version: 1 ("))
            #expect(recorded[path: ["object", "message"]]?.stringValue?.hasPrefix("too old resource version: 1 (") == true)
        }
    }
}
