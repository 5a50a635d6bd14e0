import Foundation
import KubeClient
import KubeModel
import Testing
@testable import Controller

private func describe(_ change: InformerChange<JSONValue>) -> String {
    let version = change.object?.objectResourceVersion ?? ""
    let oldVersion = change.old?.objectResourceVersion.map { " from \($0)" } ?? ""
    switch change.kind {
    case .added: return "+\(change.key)@\(version)"
    case .updated: return "~\(change.key)@\(version)\(oldVersion)"
    case .deleted: return "-\(change.key)@\(version)"
    }
}

@Suite struct InformerTests {
    @Test func primesTheCacheAndReportsChangesWithOldAndNew() async throws {
        let watchGate = Gate()
        let server = ScriptedServer { index in
            switch index {
            case 0: return listReply([configMap("a", "1"), configMap("b", "2", namespace: "other")], version: "5")
            case 1: return .watchAfter(watchGate, [
                watchEvent("MODIFIED", configMap("a", "6", data: "changed")),
                watchEvent("ADDED", configMap("c", "7")),
                watchEvent("DELETED", configMap("b", "8", namespace: "other")),
            ])
            default: return .silence
            }
        }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps,
                                           configuration: WatchConfiguration(seed: 1), clock: InstantClock())
        // Subscribed before start: sees the initial adds, then the changes.
        let changes = await informer.changes()
        await informer.start()
        try await informer.waitForSync()
        #expect(await informer.hasSynced)

        // One iterator throughout: the initial list is taken before the watch events come.
        var iterator = changes.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0..<2 { if let change = await iterator.next() { seen.append(describe(change)) } }
        await watchGate.open()
        for _ in 0..<3 { if let change = await iterator.next() { seen.append(describe(change)) } }
        #expect(seen == ["+default/a@1", "+other/b@2", "~default/a@6 from 1", "+default/c@7", "-other/b@8"])

        #expect(await informer.get(namespace: "default", name: "a")?["data"]?["value"] == "changed")
        #expect(await informer.get(ObjectKey("other/b")) == nil)
        #expect(await informer.list().map(\.objectKey.description) == ["default/a", "default/c"])
        #expect(await informer.list(namespace: "other").isEmpty)

        // A late subscriber first gets the current objects.
        let keys = try await first(2, of: await informer.changes()).map(\.key)
        #expect(keys.map(\.description) == ["default/a", "default/c"])
        await informer.stop()
    }

    @Test func deletesMissedDuringAnExpiredWatchArriveWithTheLastKnownObject() async throws {
        let watchGate = Gate()
        let server = ScriptedServer { index in
            switch index {
            case 0: return listReply([configMap("a", "1"), configMap("b", "2")], version: "5")
            case 1: return .watchAfter(watchGate, [watchEvent("ERROR", ["kind": "Status", "code": 410, "reason": "Expired",
                                                         "message": "too old resource version"])])
            case 2: return listReply([configMap("a", "1")], version: "9")
            default: return .silence
            }
        }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps,
                                           configuration: WatchConfiguration(seed: 2), clock: InstantClock())
        let changes = await informer.changes()
        await informer.start()
        var seen = try await first(2, of: changes)
        await watchGate.open()
        seen += try await first(1, of: changes)
        #expect(seen.map(describe) == ["+default/a@1", "+default/b@2", "-default/b@2"])
        #expect(seen[2].old?.objectKey.name == "b")
        #expect(await informer.keys().map(\.description) == ["default/a"])
        await informer.stop()
    }

    @Test func typedInformerUsesTheModelsResource() async throws {
        let deployment: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment",
                                     "metadata": ["name": "web", "namespace": "prod", "resourceVersion": "3"],
                                     "spec": ["replicas": 2, "selector": [:], "template": [:]]]
        let server = ScriptedServer { index in
            index == 0 ? .json(["metadata": ["resourceVersion": "3"], "items": [deployment]]) : .silence
        }
        let informer = Informer<Deployment>(client: RESTClient(transport: server), namespace: "prod",
                                            labelSelector: "app=web", clock: InstantClock())
        await informer.start()
        #expect(await informer.waitForSync(timeout: .seconds(30)))
        #expect(await informer.get(namespace: "prod", name: "web")?.spec?.replicas == 2)
        let request = try #require(await server.requests.first)
        #expect(request.path.hasPrefix("/apis/apps/v1/namespaces/prod/deployments?"))
        #expect(request.path.contains("labelSelector=app%3Dweb"))
        await informer.stop()
    }

    @Test func waitForSyncTimesOutWhileTheServerIsSilentAndStopEndsStreams() async throws {
        let server = ScriptedServer { _ in .silence }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps, clock: InstantClock())
        await informer.start()
        #expect(await informer.waitForSync(timeout: .milliseconds(200)) == false)
        #expect(await !informer.hasSynced)
        let changes = await informer.changes()
        await informer.stop()
        var count = 0
        for await _ in changes { count += 1 }
        #expect(count == 0)
        await #expect(throws: CancellationError.self) {
            let waiter = Task { try await informer.waitForSync() }
            waiter.cancel()
            try await waiter.value
        }
    }
}
