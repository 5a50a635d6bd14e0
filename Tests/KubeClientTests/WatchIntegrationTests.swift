import Foundation
import TestSupport
import Testing
@testable import KubeClient
import KubeModel
import LocalCluster

private func configMap(_ name: String, namespace: String = "watch", value: String = "") -> JSONValue {
    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
     "data": ["value": .string(value + " モデル✓ 🚀")]]
}

/// Reads raw watch events from a request until `count` arrived (or the stream ended).
private func rawEvents(_ client: RESTClient, path: String, count: Int) async throws -> [WatchEnvelope<JSONValue>] {
    let response = try await client.transport.stream(HTTPRequest(method: "GET", path: path, timeout: .seconds(60)))
    #expect(response.status == 200)
    var decoder = WatchStreamDecoder<JSONValue>()
    var events: [WatchEnvelope<JSONValue>] = []
    for try await chunk in response.body {
        events += try decoder.decode(chunk)
        if events.count >= count { break }
    }
    return events
}

private func describe(_ event: WatchEvent<JSONValue>) -> String {
    switch event {
    case .added(let o): return "+\(o.objectKey.name)"
    case .modified(let o): return "~\(o.objectKey.name)"
    case .deleted(let o): return "-\(o.objectKey.name)"
    case .deletedFinalStateUnknown(let key): return "-\(key.name)"
    case .synced: return "synced"
    }
}

/// Collects events from a stream into an actor so tests can wait for them.
private actor EventLog {
    private(set) var events: [String] = []
    func append(_ event: String) { events.append(event) }
}

@Suite(.serialized) struct WatchIntegrationTests {
    @Test func watchResumesFromAResourceVersionAndSendsBookmarks() async throws {
        try await withClusterClient(LocalClusterOptions(bookmarkInterval: .milliseconds(200)), rechunkSeed: 11) {
            _, client, _ in
            let first = try await client.create(.configMaps, namespace: "watch", body: configMap("a"))
            let version = try #require(first.objectResourceVersion)
            _ = try await client.create(.configMaps, namespace: "watch", body: configMap("b"))
            _ = try await client.create(.configMaps, namespace: "watch", body: configMap("c"))
            let path = ResourcePath.withQuery(
                ResourcePath.path(.configMaps, namespace: "watch"),
                WatchOptions(resourceVersion: version, allowWatchBookmarks: true, timeoutSeconds: 30).queryItems)
            let events = try await rawEvents(client, path: path, count: 3)
            // Only what happened after `version`, then a bookmark.
            guard events.count == 3, case .added(let b) = events[0], case .added(let c) = events[1],
                  case .bookmark(let bookmarkVersion) = events[2] else {
                Issue.record("unexpected events \(events)")
                return
            }
            #expect(b.objectKey.name == "b" && c.objectKey.name == "c")
            #expect(b[path: ["data", "value"]] == " モデル✓ 🚀")
            #expect(bookmarkVersion == c.objectResourceVersion)
        }
    }

    @Test func watchFromACompactedVersionIsGone() async throws {
        try await withClusterClient { cluster, client, _ in
            let first = try await client.create(.configMaps, namespace: "watch", body: configMap("a"))
            _ = try await client.create(.configMaps, namespace: "watch", body: configMap("b"))
            await cluster.compactHistory()
            let path = ResourcePath.withQuery(
                ResourcePath.path(.configMaps, namespace: "watch"),
                WatchOptions(resourceVersion: first.objectResourceVersion, timeoutSeconds: 30).queryItems)
            let events = try await rawEvents(client, path: path, count: 1)
            guard case .error(let status) = events.first else {
                Issue.record("expected an ERROR event, got \(events)")
                return
            }
            #expect(status.code == 410)
        }
    }

    /// The driver over real HTTP with random 1-17 byte chunks: initial list, live events, then a dropped
    /// connection during which objects change and history is compacted: the reconnect gets 410, the
    /// driver relists and delivers the missed delete and add.
    @Test(arguments: [5, 6] as [UInt64])
    func driverRelistsAfterExpiryAndDeliversMissedDeletes(seed: UInt64) async throws {
        try await withClusterClient(LocalClusterOptions(bookmarkInterval: .milliseconds(300)), rechunkSeed: seed) {
            cluster, client, transport in
            for name in ["a", "b", "c"] {
                _ = try await client.create(.configMaps, namespace: "watch", body: configMap(name))
            }
            let log = EventLog()
            let driver = WatchDriver<JSONValue>(
                client: client, gvr: .configMaps, namespace: "watch",
                configuration: WatchConfiguration(backoff: Backoff(initial: .milliseconds(20), cap: .milliseconds(200), jitter: 1...1.2),
                                                  pageSize: 2, seed: seed))
            let task = Task { await driver.run { await log.append(describe($0)) } }
            defer { task.cancel() }

            try await eventually("the initial list") { await log.events == ["+a", "+b", "+c", "synced"] }
            _ = try await client.create(.configMaps, namespace: "watch", body: configMap("d"))
            try await eventually("the live ADDED d") { await log.events.last == "+d" }

            // Cut the connection; while the driver cannot reconnect, b goes away, e appears, history is lost.
            await transport.holdWatches(true)
            await transport.cutStreams()
            try await client.delete(.configMaps, namespace: "watch", name: "b")
            _ = try await client.create(.configMaps, namespace: "watch", body: configMap("e"))
            await cluster.compactHistory()
            await transport.holdWatches(false)

            try await eventually("the relist") { await log.events.count >= 7 }
            let afterCut = Array(await log.events.dropFirst(5))
            #expect(afterCut == ["+e", "-b"])
            // Two lists of two pages each (3 then 4 objects with pageSize 2).
            let lists = await transport.requests.filter { $0.method == "GET" && queryItems(of: $0.path)["watch"] == nil }
            #expect(lists.count == 4)

            // The driver keeps following the new watch.
            try await client.delete(.configMaps, namespace: "watch", name: "a")
            try await eventually("the live DELETED a") { await log.events.last == "-a" }
        }
    }
}
