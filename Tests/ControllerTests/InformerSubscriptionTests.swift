import Foundation
import KubeClient
import KubeModel
import Testing
import TestSupport
@testable import Controller

private func change(_ kind: InformerChange<JSONValue>.Kind, _ name: String, old: String? = nil,
                    initial: Bool = false) -> InformerChange<JSONValue> {
    InformerChange(kind: kind, key: ObjectKey(namespace: "default", name: name),
                   old: old.map { configMap(name, $0) }, new: nil, fromInitialList: initial)
}

private func describe(_ change: InformerChange<JSONValue>) -> String {
    let sign = switch change.kind { case .added: "+"; case .updated: "~"; case .deleted: "-" }
    let old = change.old?.objectResourceVersion.map { " from \($0)" } ?? ""
    let new = change.new?.objectResourceVersion.map { "@\($0)" } ?? ""
    return "\(sign)\(change.key.name)\(new)\(old)\(change.fromInitialList ? " (initial)" : "")"
}

/// What a subscriber has not taken yet is bounded: one pending change per object, merged.
@Suite struct InformerSubscriptionTests {
    @Test func pendingChangesOfOneObjectMergeIntoOne() {
        var pending = PendingChanges<JSONValue>()
        pending.record(change(.added, "a", initial: true))
        pending.record(change(.updated, "a", old: "1"))
        pending.record(change(.updated, "b", old: "1"))
        pending.record(change(.updated, "b", old: "2"))
        pending.record(change(.updated, "c", old: "1"))
        pending.record(change(.deleted, "c", old: "3"))
        pending.record(change(.added, "d"))
        pending.record(change(.deleted, "d", old: "1"))
        pending.record(change(.deleted, "e", old: "4"))
        pending.record(change(.added, "e"))
        #expect(pending.count == 4)

        let store: [String: JSONValue] = ["a": configMap("a", "2"), "b": configMap("b", "3"), "e": configMap("e", "9")]
        var taken: [String] = []
        while let next = pending.takeFirst(current: { store[$0.name] }) { taken.append(describe(next)) }
        #expect(taken == [
            // Added (from the initial list) then updated: one add of the current state, no longer "initial".
            "+a@2",
            // Two updates: one, from the first old state to the current one.
            "~b@3 from 1",
            // Updated then deleted: deleted, with the final state.
            "-c from 3",
            // Added then deleted before it was taken: nothing ("d" is absent).
            // Deleted then created again: an update from the deleted object to the new one.
            "~e@9 from 4",
        ])
    }

    @Test func aSubscriberThatFallsBehindHoldsOneChangePerObject() async throws {
        let updates = (6..<1006).map { watchEvent("MODIFIED", configMap("a", "\($0)", data: "v\($0)")) }
        let watchGate = Gate()
        let server = ScriptedServer { index in
            switch index {
            case 0: return listReply([configMap("a", "1"), configMap("b", "2")], version: "5")
            case 1: return .watchAfter(watchGate, updates + [watchEvent("ADDED", configMap("c", "2000"))])
            default: return .silence
            }
        }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps,
                                           configuration: WatchConfiguration(seed: 3), clock: InstantClock())
        let slow = await informer.changes()
        await informer.start()
        try await informer.waitForSync()
        await watchGate.open()
        try await eventually("the watch delivered everything") { await informer.get(ObjectKey("default/c")) != nil }

        // 1,002 changes happened (2 listed, 1,000 updates of a, 1 add); three are pending.
        var iterator = slow.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0..<3 { if let next = await iterator.next() { seen.append(describe(next)) } }
        #expect(seen == ["+a@1005", "+b@2 (initial)", "+c@2000"])
        #expect(await informer.get(ObjectKey("default/a"))?["data"]?["value"] == "v1005")
        await informer.stop()
        let afterStop = await iterator.next()
        #expect(afterStop.map(describe) == nil)
    }

    @Test func cancellingTheIteratingTaskEndsTheSequence() async throws {
        let server = ScriptedServer { index in index == 0 ? listReply([], version: "1") : .silence }
        let informer = Informer<JSONValue>(client: RESTClient(transport: server), gvr: .configMaps, clock: InstantClock())
        await informer.start()
        let changes = await informer.changes()
        let consumer = Task {
            var count = 0
            for await _ in changes { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        #expect(await consumer.value == 0)
        await informer.stop()
    }
}
