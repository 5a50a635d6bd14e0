import Foundation
import KubeModel
import LocalCluster
import Testing

@Suite("Deletion: finalizers and owner-reference garbage collection")
struct GarbageCollectionTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    func dependent(_ name: String, owner: JSONValue, finalizers: [String] = []) -> JSONValue {
        var object = configMap(name)
        object[path: ["metadata", "ownerReferences"]] = [[
            "apiVersion": "apps/v1", "kind": "Deployment", "name": owner[path: ["metadata", "name"]] ?? "",
            "uid": owner[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": true,
        ]]
        if !finalizers.isEmpty { object[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSONValue.string)) }
        return object
    }

    @Test("deleting an owner (background) deletes its dependents, transitively")
    func backgroundCascade() async throws {
        try await withCluster { _, api in
            let owner = try await api.post(Self.deployments, deployment("web")).body
            let child = try await api.post(Self.configMaps, dependent("child", owner: owner)).body
            var grandchild = configMap("grandchild")
            grandchild[path: ["metadata", "ownerReferences"]] = [[
                "apiVersion": "v1", "kind": "ConfigMap", "name": "child", "uid": child[path: ["metadata", "uid"]] ?? "",
            ]]
            _ = try await api.post(Self.configMaps, grandchild)
            _ = try await api.post(Self.configMaps, configMap("unrelated"))
            let deleted = try await api.delete("\(Self.deployments)/web", ["propagationPolicy": "Background"])
            #expect(deleted.status == 200)
            #expect(try await api.get("\(Self.configMaps)/child").status == 404)
            #expect(try await api.get("\(Self.configMaps)/grandchild").status == 404)
            #expect(try await api.get("\(Self.configMaps)/unrelated").status == 200)
        }
    }

    @Test("a dependent created after its owner was deleted is collected (a controller's stale write)")
    func danglingOwnerCollected() async throws {
        try await withCluster { _, api in
            let owner = try await api.post(Self.deployments, deployment("web")).body
            _ = try await api.delete("\(Self.deployments)/web", ["propagationPolicy": "Background"])
            let created = try await api.post(Self.configMaps, dependent("late", owner: owner))
            #expect(created.status == 201)
            #expect(try await api.get("\(Self.configMaps)/late").status == 404)
            let live = try await api.post(Self.deployments, deployment("api")).body
            _ = try await api.post(Self.configMaps, dependent("kept", owner: live))
            #expect(try await api.get("\(Self.configMaps)/kept").status == 200)
        }
    }

    @Test("orphan propagation keeps dependents and removes their owner reference")
    func orphan() async throws {
        try await withCluster { _, api in
            let owner = try await api.post(Self.deployments, deployment("web")).body
            _ = try await api.post(Self.configMaps, dependent("child", owner: owner))
            _ = try await api.delete("\(Self.deployments)/web", ["propagationPolicy": "Orphan"])
            let child = try await api.get("\(Self.configMaps)/child")
            #expect(child.status == 200)
            #expect(child.body[path: ["metadata", "ownerReferences"]] == nil)
        }
    }

    @Test("foreground deletion keeps the owner until a finalizer-blocked dependent is gone")
    func foreground() async throws {
        try await withCluster { _, api in
            let owner = try await api.post(Self.deployments, deployment("web")).body
            _ = try await api.post(Self.configMaps, dependent("child", owner: owner, finalizers: ["example.com/hold"]))
            _ = try await api.delete("\(Self.deployments)/web", ["propagationPolicy": "Foreground"])
            let pendingOwner = try await api.get("\(Self.deployments)/web")
            #expect(pendingOwner.status == 200)
            #expect(pendingOwner.body[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(pendingOwner.body[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            let pendingChild = try await api.get("\(Self.configMaps)/child")
            #expect(pendingChild.body[path: ["metadata", "deletionTimestamp"]] != nil)
            let released = try await api.patch("\(Self.configMaps)/child", ["metadata": ["finalizers": nil]])
            #expect(released.status == 200)
            #expect(try await api.get("\(Self.configMaps)/child").status == 404)
            #expect(try await api.get("\(Self.deployments)/web").status == 404)
        }
    }

    @Test("an object with finalizers stays, marked for deletion, until they are removed")
    func finalizers() async throws {
        try await withCluster { _, api in
            var object = configMap("held")
            object[path: ["metadata", "finalizers"]] = ["example.com/cleanup"]
            _ = try await api.post(Self.configMaps, object)
            let deleting = try await api.delete("\(Self.configMaps)/held")
            #expect(deleting.status == 202, "accepted, not yet deleted")
            let marked = try await api.get("\(Self.configMaps)/held")
            #expect(marked.body[path: ["metadata", "deletionTimestamp"]] != nil)
            var withoutFinalizer = marked.body
            withoutFinalizer[path: ["metadata", "finalizers"]] = []
            #expect(try await api.put("\(Self.configMaps)/held", withoutFinalizer).status == 200)
            #expect(try await api.get("\(Self.configMaps)/held").status == 404)
        }
    }

    @Test("deleting a namespace deletes what is in it")
    func namespaceDeletion() async throws {
        try await withCluster { _, api in
            _ = try await api.post("/api/v1/namespaces/scratch/configmaps", configMap("a"))
            #expect(try await api.delete("/api/v1/namespaces/scratch").status == 200)
            #expect(try await api.get("/api/v1/namespaces/scratch/configmaps/a").status == 404)
            #expect(try await api.get("/api/v1/namespaces/scratch").status == 404)
        }
    }
}
