import Foundation
import KubeClient
import LocalCluster
import TestSupport
import Testing

@Suite("Watches over HTTP: resume from a resourceVersion, bookmarks, 410 after compaction, selectors")
struct WatchTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test("a watch from a resourceVersion replays later changes in order, then streams live ones")
    func resumeFromResourceVersion() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { _, api in
            let a = try await api.post(Self.configMaps, configMap("a")).body
            let startRV = try #require(a.metaRV)
            _ = try await api.post(Self.configMaps, configMap("b"))
            var changed = a
            changed["data"] = ["k": "v"]
            _ = try await api.put("\(Self.configMaps)/a", changed)
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&resourceVersion=\(startRV)",
                                      in: dir)
            defer { watch.stop() }
            let replayed = try await watch.waitForEvents(count: 2)
            #expect(replayed.map { $0["type"]?.stringValue } == ["ADDED", "MODIFIED"])
            #expect(replayed.map { $0["object"]?.metaName } == ["b", "a"])
            _ = try await api.delete("\(Self.configMaps)/b")
            let all = try await watch.waitForEvents(count: 3)
            #expect(all[2]["type"] == "DELETED")
            #expect(all[2]["object"]?.metaName == "b")
            let rvs = all.compactMap { $0["object"]?.metaRV.flatMap { Int($0) } }
            #expect(rvs == rvs.sorted(), "events arrive in resourceVersion order")
        }
    }

    @Test("a watch without a resourceVersion starts with ADDED events for existing objects")
    func watchFromNow() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { _, api in
            _ = try await api.post(Self.configMaps, configMap("existing"))
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=1", in: dir)
            defer { watch.stop() }
            let events = try await watch.waitForEvents(count: 1)
            #expect(events[0]["type"] == "ADDED")
            #expect(events[0]["object"]?.metaName == "existing")
        }
    }

    @Test("allowWatchBookmarks brings periodic BOOKMARK events carrying the current resourceVersion")
    func bookmarks() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster(LocalClusterOptions(bookmarkInterval: .milliseconds(200))) { cluster, api in
            let created = try await api.post(Self.configMaps, configMap("a")).body
            let rv = try #require(created.metaRV)
            let watch = try CurlWatch(
                "\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&allowWatchBookmarks=true&resourceVersion=\(rv)",
                in: dir)
            defer { watch.stop() }
            let events = try await watch.waitForEvents(count: 2)
            #expect(events.allSatisfy { $0["type"] == "BOOKMARK" })
            #expect(events[0][path: ["object", "kind"]] == "ConfigMap")
            let current = await cluster.store.resourceVersion
            #expect(events[0]["object"]?.metaRV == String(current))
        }
    }

    @Test("a watch from a resourceVersion older than the history gets an ERROR event with a 410 Status")
    func expiredAfterCompaction() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let created = try await api.post(Self.configMaps, configMap("a")).body
            let oldRV = try #require(created.metaRV)
            _ = try await api.post(Self.configMaps, configMap("b"))
            await cluster.compactHistory()
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&resourceVersion=\(oldRV)",
                                      in: dir)
            defer { watch.stop() }
            let events = try await watch.waitForEvents(count: 1)
            #expect(events[0]["type"] == "ERROR")
            #expect(events[0][path: ["object", "kind"]] == "Status")
            #expect(events[0][path: ["object", "code"]] == 410)
            #expect(events[0][path: ["object", "reason"]] == "Expired")
            #expect(try await watch.child.wait(timeout: .seconds(30)) == 0, "the stream ends after the ERROR event")
        }
    }

    @Test("with expiredWatchAsHTTPStatus, a too-old watch is refused with HTTP 410 instead")
    func expiredAsHTTPStatus() async throws {
        try await withCluster(LocalClusterOptions(expiredWatchAsHTTPStatus: true)) { cluster, api in
            let created = try await api.post(Self.configMaps, configMap("a")).body
            _ = try await api.post(Self.configMaps, configMap("b"))
            await cluster.compactHistory()
            let response = try await api.get("\(Self.configMaps)?watch=true&resourceVersion=\(created.metaRV ?? "")")
            #expect(response.status == 410)
            #expect(response.body["reason"] == "Expired")
        }
    }

    @Test("a small history window expires old resourceVersions on its own")
    func historyWindow() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster(LocalClusterOptions(historyWindow: 3)) { _, api in
            let first = try await api.post(Self.configMaps, configMap("a")).body
            for index in 0..<5 { _ = try await api.post(Self.configMaps, configMap("n\(index)")) }
            let rv = try #require(first.metaRV)
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&resourceVersion=\(rv)",
                                      in: dir)
            defer { watch.stop() }
            let events = try await watch.waitForEvents(count: 1)
            #expect(events[0][path: ["object", "code"]] == 410)
        }
    }

    @Test("selectors filter watch events; objects leaving the selection arrive as DELETED")
    func selectorTransitions() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { _, api in
            let listRV = try #require(try await api.get(Self.configMaps).body[path: ["metadata", "resourceVersion"]]?.stringValue)
            let watch = try CurlWatch(
                "\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&labelSelector=app%3Dweb&resourceVersion=\(listRV)",
                in: dir)
            defer { watch.stop() }
            _ = try await api.post(Self.configMaps, configMap("other", labels: ["app": "db"]))
            let web = try await api.post(Self.configMaps, configMap("web", labels: ["app": "web"])).body
            var relabelled = web
            relabelled[path: ["metadata", "labels", "app"]] = "api"
            _ = try await api.put("\(Self.configMaps)/web", relabelled)
            let events = try await watch.waitForEvents(count: 2)
            #expect(events.map { $0["type"]?.stringValue } == ["ADDED", "DELETED"])
            #expect(events.allSatisfy { $0["object"]?.metaName == "web" })
        }
    }

    @Test("with watchChunkSizes, events arrive split into many small chunks yet form the same lines")
    func randomChunks() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster(LocalClusterOptions(watchChunkSizes: 1...7)) { _, api in
            for index in 0..<3 { _ = try await api.post(Self.configMaps, configMap("c\(index)", data: ["k": "v"])) }
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true", in: dir)
            defer { watch.stop() }
            let events = try await watch.waitForEvents(count: 3)
            #expect(events.compactMap { $0["object"]?.metaName } == ["c0", "c1", "c2"])
            #expect(events.allSatisfy { $0[path: ["object", "data", "k"]] == "v" })

            let raw = try SpawnedProcess.start([executablePath("curl"), "-sS", "-N", "--raw",
                                                "\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true"], logsIn: dir.url)
            defer { raw.killNow() }
            let framed = try await raw.waitForOutput { Self.chunks(of: $0).joined().filter { $0 == "\n" }.count >= 3 }
            let chunks = Self.chunks(of: framed)
            #expect(chunks.count > 30, "each event is split into many chunks")
            #expect(chunks.allSatisfy { $0.utf8.count <= 7 })
        }
    }

    /// The payloads of an HTTP chunked body as `curl --raw` prints it (`<hex size>\r\n<data>\r\n`...).
    static func chunks(of framed: String) -> [String] {
        var bytes = Substring(framed).utf8[...]
        var result: [String] = []
        while let lineEnd = bytes.firstRange(of: "\r\n".utf8) {
            guard let size = Int(String(decoding: bytes[bytes.startIndex..<lineEnd.lowerBound], as: UTF8.self), radix: 16),
                  size > 0 else { break }
            let start = lineEnd.upperBound
            guard bytes.distance(from: start, to: bytes.endIndex) >= size + 2 else { break }
            let end = bytes.index(start, offsetBy: size)
            result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            bytes = bytes[bytes.index(end, offsetBy: 2)...]
        }
        return result
    }

    @Test("a watch whose client goes away is released")
    func clientLeaves() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            _ = try await api.post(Self.configMaps, configMap("a"))
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true", in: dir)
            _ = try await watch.waitForEvents(count: 1)
            #expect(await cluster.store.openWatchCount == 1)
            watch.stop()
            _ = try await watch.child.wait()
            try await eventually { await cluster.store.openWatchCount == 0 }
        }
    }

    @Test("timeoutSeconds ends the watch, and the server forgets it")
    func timeout() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let watch = try CurlWatch("\(api.baseURL.absoluteString)\(Self.configMaps)?watch=true&timeoutSeconds=1", in: dir)
            #expect(try await watch.child.wait(timeout: .seconds(60)) == 0)
            try await eventually { await cluster.store.openWatchCount == 0 }
        }
    }
}
