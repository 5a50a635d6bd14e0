import Foundation
import KubeClient
import KubeModel
import Testing
@testable import Controller

/// Work from an informer's initial list waits behind real changes: the informer marks which
/// changes came from that list (or a replay of its cache) and which from the watch.
@Suite struct InitialListFlagTests {
    @Test func changesFromTheInitialListAndReplaysAreMarkedWatchEventsAreNot() async throws {
        let watchGate = Gate()
        let server = ScriptedServer { index in
            switch index {
            case 0: return listReply([configMap("a", "1"), configMap("b", "2")], version: "5")
            case 1: return .watchAfter(watchGate, [watchEvent("MODIFIED", configMap("a", "6", data: "changed")),
                                   watchEvent("ADDED", configMap("c", "7"))])
            default: return .silence
            }
        }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps,
                                           configuration: WatchConfiguration(seed: 1), clock: InstantClock())
        let changes = await informer.changes()
        await informer.start()
        // The list is taken before the watch events come (pending changes of one key merge).
        var seen = try await first(2, of: changes).map { "\($0.key.name):\($0.fromInitialList)" }
        await watchGate.open()
        seen += try await first(2, of: changes).map { "\($0.key.name):\($0.fromInitialList)" }
        #expect(seen == ["a:true", "b:true", "a:false", "c:false"])

        let replay = try await first(3, of: await informer.changes())
        #expect(replay.allSatisfy { $0.fromInitialList })
        await informer.stop()
    }
}
