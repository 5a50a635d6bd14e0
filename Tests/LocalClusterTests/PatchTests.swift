import Foundation
import KubeModel
import LocalCluster
import Testing

@Suite("PATCH: merge, JSON, strategic merge and server-side apply")
struct PatchTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test("JSON merge patch merges maps and deletes with null")
    func mergePatch() async throws {
        try await withCluster { _, api in
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("c", data: ["a": "1", "b": "2"]))
            let patched = try await api.patch("/api/v1/namespaces/default/configmaps/c", ["data": ["a": nil, "c": "3"]])
            #expect(patched.body["data"] == ["b": "2", "c": "3"])
        }
    }

    @Test("JSON patch applies operations and fails a test op with 422")
    func jsonPatch() async throws {
        try await withCluster { _, api in
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("c", data: ["a": "1"]))
            let ops: JSONValue = [
                ["op": "add", "path": "/data/b", "value": "2"], ["op": "replace", "path": "/data/a", "value": "9"],
                ["op": "add", "path": "/metadata/labels", "value": ["x": "y"]],
            ]
            let patched = try await api.patch("/api/v1/namespaces/default/configmaps/c", ops, type: "application/json-patch+json")
            #expect(patched.body["data"] == ["a": "9", "b": "2"])
            #expect(patched.body[path: ["metadata", "labels", "x"]] == "y")
            let failing = try await api.patch("/api/v1/namespaces/default/configmaps/c",
                                              [["op": "test", "path": "/data/a", "value": "1"]],
                                              type: "application/json-patch+json")
            #expect(failing.status == 422)
        }
    }

    @Test("strategic merge patch merges containers, ports and env by key and honours $patch directives")
    func strategicMerge() async throws {
        try await withCluster { _, api in
            var object = deployment("web")
            object[path: ["spec", "template", "spec", "containers"]] = [
                ["name": "main", "image": "nginx:1", "ports": [["containerPort": 80]],
                 "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]],
                ["name": "sidecar", "image": "busybox"],
            ]
            _ = try await api.post(Self.deployments, object)
            let patch: JSONValue = ["spec": ["template": ["spec": [
                "$setElementOrder/containers": [["name": "main"]],
                "containers": [
                    ["name": "main", "image": "nginx:2", "env": [["name": "B", "value": "3"], ["name": "A", "$patch": "delete"]],
                     "ports": [["containerPort": 9090]]],
                    ["name": "sidecar", "$patch": "delete"],
                ],
            ]]]]
            let patched = try await api.patch("\(Self.deployments)/web", patch, type: "application/strategic-merge-patch+json")
            #expect(patched.status == 200, "\(patched.text)")
            let containers = patched.body[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            #expect(containers.count == 1)
            #expect(containers.first?["image"] == "nginx:2")
            #expect(containers.first?["env"] == [["name": "B", "value": "3"]])
            #expect(containers.first?["ports"]?.arrayValue?.compactMap { $0["containerPort"] } == [80, 9090])
            let replaced = try await api.patch("\(Self.deployments)/web",
                                               ["spec": ["selector": ["$patch": "replace", "matchLabels": ["app": "web"]]]],
                                               type: "application/strategic-merge-patch+json")
            #expect(replaced.body[path: ["spec", "selector"]] == ["matchLabels": ["app": "web"]])
        }
    }

    @Test("server-side apply creates when missing and merges when present")
    func serverSideApply() async throws {
        try await withCluster { cluster, api in
            let first = try await api.patch("/api/v1/namespaces/default/configmaps/applied?fieldManager=test",
                                            configMap("applied", data: ["a": "1"]), type: "application/apply-patch+yaml")
            #expect(first.status == 201)
            let second = try await api.patch("/api/v1/namespaces/default/configmaps/applied?fieldManager=test",
                                             configMap("applied", data: ["b": "2"]), type: "application/apply-patch+yaml")
            #expect(second.status == 200)
            #expect(second.body[path: ["data", "b"]] == "2")
            #expect(await cluster.writeCount(verb: "apply", resource: "configmaps") == 1)
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  c: \"3\"\n"
            let third = try await api.send("PATCH", "/api/v1/namespaces/default/configmaps/applied?fieldManager=test",
                                           data: Data(yaml.utf8), contentType: "application/apply-patch+yaml")
            #expect(third.status == 200, "\(third.text)")
            #expect(third.body[path: ["data", "c"]] == "3")
            let unsupported = try await api.patch("/api/v1/namespaces/default/configmaps/applied", ["data": [:]],
                                                  type: "text/plain")
            #expect(unsupported.status == 415)
        }
    }
}
