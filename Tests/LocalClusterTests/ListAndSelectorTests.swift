import Foundation
import KubeModel
import LocalCluster
import Testing

@Suite("Lists over HTTP: paging, label and field selectors")
struct ListAndSelectorTests {
    @Test("paged lists return every object once, in order, with continue tokens")
    func paging() async throws {
        try await withCluster { _, api in
            for index in 0..<7 {
                _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("cm-\(index)"))
            }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let query = "limit=3" + (token.map { "&continue=\($0)" } ?? "")
                let page = try await api.get("/api/v1/namespaces/default/configmaps?\(query)")
                #expect(page.status == 200)
                #expect(page.body["kind"] == "ConfigMapList")
                let items = page.body["items"]?.arrayValue ?? []
                #expect(items.count <= 3)
                names += items.compactMap { $0.metaName }
                token = page.body[path: ["metadata", "continue"]]?.stringValue
                #expect(token.map { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } } ?? true,
                        "continue tokens are URL-safe")
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(names == (0..<7).map { "cm-\($0)" })
        }
    }

    @Test("label selectors: =, ==, !=, in, notin, exists, !exists")
    func labelSelectors() async throws {
        try await withCluster { _, api in
            let labelSets: [(String, [String: String])] = [
                ("a", ["env": "prod", "tier": "web"]), ("b", ["env": "dev", "tier": "web", "legacy": "true"]),
                ("c", ["env": "test"]), ("d", [:]),
            ]
            for (name, labels) in labelSets {
                _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap(name, labels: labels))
            }
            func names(_ selector: String) async throws -> [String] {
                let encoded = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
                let list = try await api.get("/api/v1/namespaces/default/configmaps?labelSelector=\(encoded)")
                #expect(list.status == 200, "\(selector): \(list.text)")
                return (list.body["items"]?.arrayValue ?? []).compactMap { $0.metaName }
            }
            #expect(try await names("env=prod") == ["a"])
            #expect(try await names("env==dev") == ["b"])
            #expect(try await names("env!=prod") == ["b", "c", "d"])
            #expect(try await names("env in (prod,test)") == ["a", "c"])
            #expect(try await names("env notin (prod,test)") == ["b", "d"])
            #expect(try await names("tier") == ["a", "b"])
            #expect(try await names("!legacy") == ["a", "c", "d"])
            #expect(try await names("tier=web,!legacy") == ["a"])
            let bad = try await api.get("/api/v1/namespaces/default/configmaps?labelSelector=env%20in%20prod")
            #expect(bad.status == 400)
        }
    }

    @Test("field selectors: metadata.name, metadata.namespace, involvedObject.* on events; others rejected")
    func fieldSelectors() async throws {
        try await withCluster { _, api in
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("one"))
            _ = try await api.post("/api/v1/namespaces/other/configmaps", configMap("two"))
            let byName = try await api.get("/api/v1/configmaps?fieldSelector=metadata.name%3Dtwo")
            #expect((byName.body["items"]?.arrayValue ?? []).compactMap { $0.metaName } == ["two"])
            let byNamespace = try await api.get("/api/v1/configmaps?fieldSelector=metadata.namespace!%3Dother")
            #expect((byNamespace.body["items"]?.arrayValue ?? []).compactMap { $0.metaName } == ["one"])
            for (name, target) in [("e1", "web"), ("e2", "db")] {
                _ = try await api.post("/api/v1/namespaces/default/events", [
                    "metadata": ["name": .string(name)], "reason": "Tested", "message": "hello",
                    "involvedObject": ["kind": "Deployment", "name": .string(target), "namespace": "default"],
                ])
            }
            let events = try await api.get(
                "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb,involvedObject.kind%3DDeployment")
            #expect((events.body["items"]?.arrayValue ?? []).compactMap { $0.metaName } == ["e1"])
            let unsupported = try await api.get("/api/v1/configmaps?fieldSelector=data.key%3Dx")
            #expect(unsupported.status == 400)
            #expect(unsupported.body["message"] == "field label not supported: data.key")
        }
    }

    @Test("every page of a paged list is read at its first page's resourceVersion, as a real server serves it")
    func pagesComeFromOneSnapshot() async throws {
        try await withCluster { _, api in
            for name in ["a", "b", "c", "d"] {
                _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap(name))
            }
            let first = try await api.get("/api/v1/namespaces/default/configmaps?limit=1")
            let listRV = try #require(first.body[path: ["metadata", "resourceVersion"]]?.stringValue)
            let token = try #require(first.body[path: ["metadata", "continue"]]?.stringValue)
            // Changes after the first page: a new object that sorts last, an edit, a deletion.
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("z-late"))
            var edited = try await api.get("/api/v1/namespaces/default/configmaps/b").body
            edited["data"] = ["value": "changed"]
            #expect(try await api.put("/api/v1/namespaces/default/configmaps/b", edited).status == 200)
            #expect(try await api.delete("/api/v1/namespaces/default/configmaps/c").status == 200)
            let rest = try await api.get("/api/v1/namespaces/default/configmaps?limit=10&continue=\(token)")
            #expect(rest.status == 200)
            let items = rest.body["items"]?.arrayValue ?? []
            #expect(items.compactMap(\.metaName) == ["b", "c", "d"], "z-late came after the snapshot; c is still in it")
            #expect(items.first?["data"] != ["value": "changed"], "b as it was at the first page")
            #expect(rest.body[path: ["metadata", "resourceVersion"]]?.stringValue == listRV)
            // A new list sees the present.
            let fresh = try await api.get("/api/v1/namespaces/default/configmaps")
            #expect((fresh.body["items"]?.arrayValue ?? []).compactMap(\.metaName) == ["a", "b", "d", "z-late"])
        }
    }

    @Test("an old continue token after compaction is 410 Expired")
    func expiredContinue() async throws {
        try await withCluster { cluster, api in
            for index in 0..<4 { _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("x\(index)")) }
            let page = try await api.get("/api/v1/namespaces/default/configmaps?limit=2")
            let token = try #require(page.body[path: ["metadata", "continue"]]?.stringValue)
            _ = try await api.post("/api/v1/namespaces/default/configmaps", configMap("late"))
            await cluster.compactHistory()
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            let expired = try await api.get("/api/v1/namespaces/default/configmaps?limit=2&continue=\(encoded)")
            #expect(expired.status == 410)
            #expect(expired.body["reason"] == "Expired")
        }
    }
}
