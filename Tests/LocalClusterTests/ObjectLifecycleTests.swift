import Foundation
import KubeModel
import LocalCluster
import Testing

@Suite("Object lifecycle over HTTP: resourceVersion, uid, generation, conflicts, status subresource")
struct ObjectLifecycleTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test("create assigns uid, creationTimestamp, an increasing resourceVersion, and generation 1 to workloads")
    func createAssignsMetadata() async throws {
        try await withCluster { _, api in
            let first = try await api.post("/api/v1/namespaces/default/configmaps", configMap("a"))
            let second = try await api.post("/api/v1/namespaces/default/configmaps", configMap("b"))
            #expect(first.status == 201)
            #expect(second.status == 201)
            let uid = try #require(first.body[path: ["metadata", "uid"]]?.stringValue)
            #expect(uid.count == 36)
            #expect(uid != second.body[path: ["metadata", "uid"]]?.stringValue)
            #expect(first.body[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
            #expect(first.body[path: ["metadata", "generation"]] == nil, "ConfigMaps have no generation, as on a real server")
            let workload = try await api.post(Self.deployments, deployment("generation-one"))
            #expect(workload.body[path: ["metadata", "generation"]] == 1)
            let rv1 = try #require(first.body[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int($0) })
            let rv2 = try #require(second.body[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int($0) })
            #expect(rv2 > rv1)
            let fetched = try await api.get("/api/v1/namespaces/default/configmaps/a")
            #expect(fetched.body == first.body)
        }
    }

    @Test("generation moves only when the spec changes")
    func generationFollowsSpec() async throws {
        try await withCluster { _, api in
            var created = try await api.post(Self.deployments, deployment("web")).body
            created[path: ["metadata", "labels", "extra"]] = "yes"
            let relabelled = try await api.put("\(Self.deployments)/web", created)
            #expect(relabelled.status == 200)
            #expect(relabelled.body[path: ["metadata", "generation"]] == 1)
            #expect(relabelled.body.metaRV != created.metaRV)
            var respec = relabelled.body
            respec[path: ["spec", "replicas"]] = 3
            let rescaled = try await api.put("\(Self.deployments)/web", respec)
            #expect(rescaled.body[path: ["metadata", "generation"]] == 2)
            let unchanged = try await api.put("\(Self.deployments)/web", rescaled.body)
            #expect(unchanged.body[path: ["metadata", "generation"]] == 2)
            #expect(unchanged.body.metaRV == rescaled.body.metaRV, "a no-op update keeps the resourceVersion")
        }
    }

    @Test("a stale resourceVersion gets 409 Conflict; an empty one updates unconditionally")
    func staleUpdateConflicts() async throws {
        try await withCluster { _, api in
            let created = try await api.post("/api/v1/namespaces/default/configmaps", configMap("c", data: ["k": "1"])).body
            var first = created
            first["data"] = ["k": "2"]
            #expect(try await api.put("/api/v1/namespaces/default/configmaps/c", first).status == 200)
            var stale = created
            stale["data"] = ["k": "3"]
            let conflict = try await api.put("/api/v1/namespaces/default/configmaps/c", stale)
            #expect(conflict.status == 409)
            #expect(conflict.body["kind"] == "Status")
            #expect(conflict.body["reason"] == "Conflict")
            #expect(conflict.body["code"] == 409)
            #expect(conflict.body["message"]?.stringValue?.contains("the object has been modified") == true)
            var unconditional = stale
            unconditional[path: ["metadata", "resourceVersion"]] = nil
            let forced = try await api.put("/api/v1/namespaces/default/configmaps/c", unconditional)
            #expect(forced.status == 200)
            #expect(forced.body[path: ["data", "k"]] == "3")
        }
    }

    @Test("errors are Status objects: NotFound, AlreadyExists, Invalid, BadRequest, MethodNotAllowed")
    func errorsAreStatusObjects() async throws {
        try await withCluster { _, api in
            let missing = try await api.get("/api/v1/namespaces/default/configmaps/nope")
            #expect(missing.status == 404)
            #expect(missing.body["reason"] == "NotFound")
            #expect(missing.body["message"] == "configmaps \"nope\" not found")
            #expect(missing.body[path: ["details", "name"]] == "nope")
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("dup"))
            let duplicate = try await api.post("/api/v1/namespaces/default/configmaps", configMap("dup"))
            #expect(duplicate.status == 409)
            #expect(duplicate.body["reason"] == "AlreadyExists")
            let badName = try await api.post("/api/v1/namespaces/default/configmaps", configMap("Bad_Name"))
            #expect(badName.status == 422)
            #expect(badName.body["reason"] == "Invalid")
            #expect(badName.body["message"]?.stringValue?.contains("metadata.name: Invalid value: \"Bad_Name\"") == true)
            let badLabel = try await api.post("/api/v1/namespaces/default/configmaps", configMap("l", labels: ["app": "no spaces"]))
            #expect(badLabel.status == 422)
            #expect(badLabel.body["message"]?.stringValue?.contains("metadata.labels: Invalid value: \"no spaces\": a valid label must be") == true)
            let protobuf = try await api.send("POST", "/api/v1/namespaces/default/pods", data: Data([0x6b, 0x38, 0x73, 0, 1]),
                                              contentType: "application/vnd.kubernetes.protobuf")
            #expect(protobuf.status == 415)
            #expect(protobuf.body["message"]?.stringValue?.contains("kubectl apply -f") == true)
            let garbage = try await api.request("POST", "/api/v1/namespaces/default/configmaps", body: nil,
                                                headers: ["Content-Type": "application/json"])
            #expect(garbage.status == 400)
            #expect(garbage.body["reason"] == "BadRequest")
            let notAllowed = try await api.request("PUT", "/api/v1/namespaces/default/configmaps", body: configMap("x"))
            #expect(notAllowed.status == 405)
            #expect(notAllowed.body["reason"] == "MethodNotAllowed")
            let unknown = try await api.get("/apis/nothing.example.com/v1/things")
            #expect(unknown.status == 404)
        }
    }

    @Test("the status subresource changes only status; the main resource ignores status")
    func statusSubresource() async throws {
        try await withCluster { _, api in
            let created = try await api.post(Self.deployments, deployment("web")).body
            #expect(created["status"] == .object([:]), "status sent on create is reset to {}, as kube-apiserver 1.25 does")
            var viaStatus = created
            viaStatus[path: ["spec", "replicas"]] = 5
            viaStatus["status"] = ["replicas": 1, "readyReplicas": 1]
            let statusWrite = try await api.put("\(Self.deployments)/web/status", viaStatus)
            #expect(statusWrite.status == 200)
            #expect(statusWrite.body[path: ["status", "readyReplicas"]] == 1)
            #expect(statusWrite.body[path: ["spec", "replicas"]] == 1, "spec changes through /status are ignored")
            #expect(statusWrite.body[path: ["metadata", "generation"]] == 1)
            var viaMain = statusWrite.body
            viaMain["status"] = ["replicas": 9]
            viaMain[path: ["spec", "replicas"]] = 2
            let mainWrite = try await api.put("\(Self.deployments)/web", viaMain)
            #expect(mainWrite.body[path: ["status", "replicas"]] == 1, "status changes through the main resource are ignored")
            #expect(mainWrite.body[path: ["spec", "replicas"]] == 2)
            let patched = try await api.patch("\(Self.deployments)/web/status", ["status": ["availableReplicas": 2]])
            #expect(patched.body[path: ["status", "availableReplicas"]] == 2)
            #expect(patched.body[path: ["status", "replicas"]] == 1)
        }
    }

    @Test("the scale subresource reads and writes replicas of a Deployment")
    func scaleSubresource() async throws {
        try await withCluster { _, api in
            _ = try await api.post(Self.deployments, deployment("web", replicas: 2))
            let scale = try await api.get("\(Self.deployments)/web/scale")
            #expect(scale.body["kind"] == "Scale")
            #expect(scale.body[path: ["spec", "replicas"]] == 2)
            #expect(scale.body[path: ["status", "selector"]] == "app=web")
            let scaled = try await api.patch("\(Self.deployments)/web/scale", ["spec": ["replicas": 4]])
            #expect(scaled.body[path: ["spec", "replicas"]] == 4)
            let after = try await api.get("\(Self.deployments)/web")
            #expect(after.body[path: ["spec", "replicas"]] == 4)
            #expect(after.body[path: ["metadata", "generation"]] == 2)
        }
    }

    @Test("generateName, namespaces created on first use, and a kubeconfig naming the server")
    func generateNameAndNamespaces() async throws {
        try await withCluster { cluster, api in
            let generated = try await api.post("/api/v1/namespaces/team-a/configmaps",
                                               ["metadata": ["generateName": "cfg-"], "data": [:]])
            #expect(generated.status == 201)
            let name = try #require(generated.body.metaName)
            #expect(name.hasPrefix("cfg-") && name.count == 9)
            let namespace = try await api.get("/api/v1/namespaces/team-a")
            #expect(namespace.body[path: ["status", "phase"]] == "Active")
            #expect(await cluster.kubeconfig().contains("server: http://127.0.0.1:\(cluster.port)"))
        }
    }

    @Test("without namespace auto-creation, a missing namespace is 404 NotFound")
    func strictNamespaces() async throws {
        try await withCluster(LocalClusterOptions(autoCreateNamespaces: false)) { _, api in
            let response = try await api.post("/api/v1/namespaces/ghost/configmaps", configMap("x"))
            #expect(response.status == 404)
            #expect(response.body["message"] == "namespaces \"ghost\" not found")
        }
    }

    @Test("write counters count API writes per verb and resource")
    func writeCounters() async throws {
        try await withCluster { cluster, api in
            _ = try await api.post(Self.deployments, deployment("web"))
            _ = try await api.patch("\(Self.deployments)/web", ["metadata": ["labels": ["x": "y"]]])
            _ = try await api.patch("\(Self.deployments)/web/status", ["status": ["replicas": 1]])
            _ = try await api.delete("\(Self.deployments)/web")
            #expect(await cluster.writeCount(verb: "create", resource: "deployments") == 1)
            #expect(await cluster.writeCount(verb: "patch", resource: "deployments.apps") == 1)
            #expect(await cluster.writeCount(verb: "patch/status", resource: "deployments") == 1)
            #expect(await cluster.writeCount(verb: "delete", resource: "deployments") == 1)
            #expect(await cluster.writeCount(verb: "update", resource: "deployments") == 0)
        }
    }
}

extension JSONValue {
    var metaRV: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
    var metaName: String? { self[path: ["metadata", "name"]]?.stringValue }
}
