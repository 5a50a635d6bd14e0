import Foundation
import KubeClient
import KubeModel
import Testing
@testable import Controller

/// A write of this process is in the cache at once, and a lagging watch never takes it back.
@Suite struct InformerOwnWriteTests {
    @Test func anOwnWriteIsSeenAtOnceAndOlderWatchEventsDoNotUndoIt() async throws {
        let server = ScriptedServer { index in
            switch index {
            case 0: return listReply([configMap("a", "1")], version: "5")
            case 1: return .watch([
                // Older than the write below (the watch lags), then the write's own event.
                watchEvent("MODIFIED", configMap("a", "6", data: "by someone")),
                watchEvent("MODIFIED", configMap("a", "9", data: "mine")),
            ])
            default: return .silence
            }
        }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps,
                                           configuration: WatchConfiguration(seed: 1), clock: InstantClock())
        await informer.recordWrite(configMap("a", "9", data: "mine"))
        #expect(await informer.get(ObjectKey("default/a"))?["data"]?["value"] == "mine")
        let changes = await informer.changes(replayExisting: false)
        await informer.start()
        try await informer.waitForSync()
        // The list's older "a@1" and the watch's "a@6" are both behind the write: the cache keeps it.
        let seen = try await first(1, of: changes).map { change in
            "\(change.kind) \(change.key) \(change.old?.objectResourceVersion ?? "-")→\(change.new?.objectResourceVersion ?? "-")"
        }
        #expect(seen == ["updated default/a 9→9"])
        #expect(await informer.get(ObjectKey("default/a"))?["data"]?["value"] == "mine")
        await informer.stop()
    }
}
