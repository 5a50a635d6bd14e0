import Foundation
import Testing
@testable import KubeClient
import KubeModel

/// A JSON object with a name and resourceVersion, as the machine sees them.
private func object(_ name: String, _ version: String, namespace: String = "default") -> JSONValue {
    ["metadata": ["name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(version)]]
}

/// A compact, comparable rendering of actions: `list`, `watch@10`, `emit[+a@1 ~b@2 -c@3 synced]`, `sleep 0.8`.
private func describe(_ actions: [WatchStateMachine<JSONValue>.Action]) -> [String] {
    actions.map { action in
        switch action {
        case .list: return "list"
        case .watch(let version, _): return "watch@\(version)"
        case .closeWatch: return "close"
        case .finish: return "finish"
        case .sleep(let delay): return "sleep \(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)"
        case .emit(let events):
            let parts = events.map { event -> String in
                switch event {
                case .added(let o): return "+\(o.objectKey.name)@\(o.objectResourceVersion ?? "")"
                case .modified(let o): return "~\(o.objectKey.name)@\(o.objectResourceVersion ?? "")"
                case .deleted(let o): return "-\(o.objectKey.name)@\(o.objectResourceVersion ?? "")"
                case .deletedFinalStateUnknown(let key): return "-\(key.name)@?"
                case .synced: return "synced"
                }
            }
            return "emit[\(parts.joined(separator: " "))]"
        }
    }
}

private let noJitter = WatchConfiguration(backoff: Backoff(initial: .milliseconds(800), cap: .seconds(30)), seed: 42)

/// A machine that has listed `items` at `version` and has an open watch.
private func watchingMachine(_ items: [JSONValue], at version: String,
                             configuration: WatchConfiguration = noJitter) -> WatchStateMachine<JSONValue> {
    var machine = WatchStateMachine<JSONValue>(configuration: configuration)
    _ = machine.handle(.start)
    _ = machine.handle(.listSucceeded(items: items, resourceVersion: version))
    _ = machine.handle(.watchOpened(now: .zero))
    return machine
}

@Suite struct WatchStateMachineTests {
    @Test func managedFieldsAreDroppedOnTheWayIntoTheCache() {
        var listed = object("a", "5")
        listed[path: ["metadata", "managedFields"]] = [["manager": "kubectl", "operation": "Apply"]]
        var machine = WatchStateMachine<JSONValue>(configuration: noJitter)
        _ = machine.handle(.start)
        let listedActions = machine.handle(.listSucceeded(items: [listed], resourceVersion: "5"))
        _ = machine.handle(.watchOpened(now: .zero))
        var changed = object("a", "6")
        changed[path: ["metadata", "managedFields"]] = [["manager": "kubectl", "operation": "Update"]]
        let actions = machine.handle(.watchEvent(.modified(changed)))
        var delivered: [JSONValue] = []
        for case .emit(let events) in listedActions + actions {
            delivered += events.compactMap(\.object)
        }
        #expect(delivered.map { $0[path: ["metadata", "resourceVersion"]] } == ["5", "6"])
        #expect(delivered.allSatisfy { $0[path: ["metadata", "managedFields"]] == nil })
        #expect(machine.knownVersions == [ObjectKey(namespace: "default", name: "a"): "6"])
    }

    @Test func listPagesAreDeliveredAsTheyArriveAndDeletesWaitForTheLastPage() {
        var machine = watchingMachine([object("a", "5"), object("b", "6"), object("c", "7")], at: "9")
        _ = machine.handle(.watchGone)
        // Page 1: a unchanged, d new. Page 2 fails: nothing is deleted, and the relist starts over.
        #expect(describe(machine.handle(.listPage(items: [object("a", "5"), object("d", "10")]))) == ["emit[+d@10]"])
        #expect(describe(machine.handle(.listFailed(retryAfter: nil))).first?.hasPrefix("sleep") == true)
        _ = machine.handle(.sleepFinished)
        #expect(describe(machine.handle(.listPage(items: [object("a", "5"), object("d", "10")]))) == ["emit[+d@10]"])
        #expect(describe(machine.handle(.listPage(items: [object("c", "11")]))) == ["emit[~c@11]"])
        // The last page: b is gone.
        #expect(describe(machine.handle(.listSucceeded(items: [], resourceVersion: "12"))) == ["emit[-b@?]", "watch@12"])
        #expect(machine.knownVersions == [ObjectKey("default/a"): "5", ObjectKey("default/c"): "11",
                                          ObjectKey("default/d"): "10"])
    }

    @Test func theMachineKeepsVersionsNotObjects() {
        // The consumer's store is the one copy of each object: the machine remembers keys and
        // versions, and a delete missed during a relist names the key only.
        var machine = watchingMachine([object("a", "5"), object("b", "6")], at: "6")
        #expect(machine.knownVersions == [ObjectKey("default/a"): "5", ObjectKey("default/b"): "6"])
        _ = machine.handle(.watchGone)
        let relisted = machine.handle(.listSucceeded(items: [object("a", "5")], resourceVersion: "9"))
        guard case .emit(let events) = relisted.first else {
            Issue.record("expected an emit, got \(describe(relisted))")
            return
        }
        guard case .deletedFinalStateUnknown(let key) = events.first, events.count == 1 else {
            Issue.record("expected one deletedFinalStateUnknown, got \(events)")
            return
        }
        #expect(key == ObjectKey("default/b"))
    }

    @Test func listsThenWatchesFromTheListsVersion() {
        var machine = WatchStateMachine<JSONValue>(configuration: noJitter)
        #expect(describe(machine.handle(.start)) == ["list"])
        #expect(machine.phase == .listing)
        let actions = machine.handle(.listSucceeded(items: [object("a", "5"), object("b", "7")], resourceVersion: "9"))
        #expect(describe(actions) == ["emit[+a@5 +b@7 synced]", "watch@9"])
        #expect(machine.hasSynced)
        #expect(machine.phase == .watching(opened: false))
    }

    @Test func watchTimeoutsAreRandomWithinTheConfiguredRange() {
        var timeouts = Set<Int>()
        var machine = watchingMachine([], at: "1")
        for second in 1...50 {
            let actions = machine.handle(.watchEnded(now: .seconds(second * 1000)))
            guard case .watch(_, let timeout) = actions.first else {
                Issue.record("expected a watch, got \(describe(actions))")
                return
            }
            timeouts.insert(timeout)
            _ = machine.handle(.watchOpened(now: .seconds(second * 1000)))
            _ = machine.handle(.watchEvent(.bookmark(resourceVersion: "\(second)")))
        }
        #expect(timeouts.allSatisfy { (300...600).contains($0) })
        #expect(timeouts.count > 10, "timeouts should spread over the range: \(timeouts.sorted())")
    }

    @Test func eventsUpdateTheCacheAndTheResourceVersion() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        #expect(describe(machine.handle(.watchEvent(.added(object("b", "10"))))) == ["emit[+b@10]"])
        #expect(describe(machine.handle(.watchEvent(.modified(object("a", "11"))))) == ["emit[~a@11]"])
        #expect(describe(machine.handle(.watchEvent(.deleted(object("b", "12"))))) == ["emit[-b@12]"])
        #expect(machine.resourceVersion == "12")
        #expect(machine.knownVersions == [ObjectKey("default/a"): "11"])
    }

    @Test func bookmarksMoveTheVersionWithoutEmitting() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        #expect(machine.handle(.watchEvent(.bookmark(resourceVersion: "40"))).isEmpty)
        #expect(machine.resourceVersion == "40")
        // A normal end of the stream re-watches from the bookmark, without relisting.
        #expect(describe(machine.handle(.watchEnded(now: .seconds(400)))) == ["watch@40"])
    }

    @Test func streamEndRewatchesFromTheLastVersionWithoutRelisting() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        _ = machine.handle(.watchEvent(.modified(object("a", "13"))))
        #expect(describe(machine.handle(.watchEnded(now: .seconds(300)))) == ["watch@13"])
        #expect(machine.knownVersions == [ObjectKey("default/a"): "13"])
    }

    @Test func expiredErrorEventRelistsAndSynthesizesDeletes() {
        var machine = watchingMachine([object("a", "5"), object("b", "6"), object("c", "7")], at: "9")
        _ = machine.handle(.watchEvent(.added(object("d", "10"))))
        let expired = Status(status: "Failure", message: "too old resource version: 10 (50)", reason: "Expired", code: 410)
        #expect(describe(machine.handle(.watchEvent(.error(expired)))) == ["close", "list"])
        // Meanwhile: b was deleted, c changed, e was created, d was deleted; a is unchanged.
        let relisted = machine.handle(.listSucceeded(
            items: [object("a", "5"), object("c", "45"), object("e", "48")], resourceVersion: "50"))
        #expect(describe(relisted) == ["emit[~c@45 +e@48 -b@? -d@?]", "watch@50"])
        #expect(machine.knownVersions.keys.map(\.name).sorted() == ["a", "c", "e"])
        // `.synced` is only sent once, after the first list.
        #expect(!describe(relisted).joined().contains("synced"))
    }

    @Test func httpGoneOnTheWatchRequestRelists() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        #expect(describe(machine.handle(.watchGone)) == ["close", "list"])
        #expect(describe(machine.handle(.listSucceeded(items: [], resourceVersion: "60"))) == ["emit[-a@?]", "watch@60"])
    }

    @Test func otherErrorEventsBackOffAndRewatchWithoutRelisting() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        let internalError = Status(status: "Failure", message: "etcd leader changed", reason: "InternalError", code: 500)
        #expect(describe(machine.handle(.watchEvent(.error(internalError)))) == ["close", "sleep 0.8"])
        #expect(describe(machine.handle(.sleepFinished)) == ["watch@9"])
    }

    @Test func failuresBackOffDoublingToTheCapAndResetAfterAHealthyPeriod() {
        // Relisting after failures in a row is its own test; here the watch keeps retrying.
        var machine = watchingMachine([], at: "9", configuration: WatchConfiguration(
            backoff: Backoff(initial: .milliseconds(800), cap: .seconds(30)), seed: 42,
            relistAfterWatchFailures: .max))
        var delays: [String] = []
        for _ in 0..<9 {
            delays += describe(machine.handle(.watchFailed(now: .seconds(1), retryAfter: nil)))
            _ = machine.handle(.sleepFinished)
        }
        #expect(delays == ["sleep 0.8", "sleep 1.6", "sleep 3.2", "sleep 6.4", "sleep 12.8", "sleep 25.6",
                           "sleep 30.0", "sleep 30.0", "sleep 30.0"])
        // A short-lived connection does not reset the backoff...
        _ = machine.handle(.watchOpened(now: .seconds(100)))
        #expect(describe(machine.handle(.watchFailed(now: .seconds(110), retryAfter: nil))) == ["sleep 30.0"])
        _ = machine.handle(.sleepFinished)
        // ...one that stayed up for the healthy period does.
        _ = machine.handle(.watchOpened(now: .seconds(200)))
        #expect(describe(machine.handle(.watchFailed(now: .seconds(261), retryAfter: nil))) == ["sleep 0.8"])
    }

    @Test func jitterStretchesDelaysWithinBounds() {
        var machine = watchingMachine([], at: "9", configuration: WatchConfiguration(
            backoff: Backoff(initial: .milliseconds(800), cap: .seconds(30), jitter: 1...1.5), seed: 7,
            relistAfterWatchFailures: .max))
        var base = 0.8
        for _ in 0..<8 {
            guard case .sleep(let delay) = machine.handle(.watchFailed(now: .zero, retryAfter: nil)).first else {
                Issue.record("expected a sleep")
                return
            }
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            #expect(seconds >= base - 1e-9 && seconds < base * 1.5 + 1e-9, "delay \(seconds) for base \(base)")
            base = min(base * 2, 30)
            _ = machine.handle(.sleepFinished)
        }
    }

    @Test func retryAfterLengthensTheWait() {
        var machine = watchingMachine([], at: "9")
        #expect(describe(machine.handle(.watchFailed(now: .zero, retryAfter: .seconds(7)))) == ["sleep 7.0"])
    }

    @Test func failedListsRetryTheListWithBackoff() {
        var machine = WatchStateMachine<JSONValue>(configuration: noJitter)
        _ = machine.handle(.start)
        #expect(describe(machine.handle(.listFailed(retryAfter: nil))) == ["sleep 0.8"])
        #expect(describe(machine.handle(.sleepFinished)) == ["list"])
        #expect(describe(machine.handle(.listFailed(retryAfter: nil))) == ["sleep 1.6"])
        #expect(describe(machine.handle(.sleepFinished)) == ["list"])
        #expect(!machine.hasSynced)
    }

    @Test func aStreamThatEndsAtOnceEmptyIsTreatedAsAFailure() {
        var machine = watchingMachine([], at: "9")
        #expect(describe(machine.handle(.watchEnded(now: .milliseconds(10)))) == ["sleep 0.8"])
    }

    @Test func stopClosesAndIgnoresLaterInput() {
        var machine = watchingMachine([object("a", "1")], at: "9")
        #expect(describe(machine.handle(.stop)) == ["close", "finish"])
        #expect(machine.handle(.watchEvent(.added(object("b", "2")))).isEmpty)
        #expect(machine.phase == .stopped)
    }

    @Test func addedForAKnownObjectIsDeliveredAsModified() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        #expect(describe(machine.handle(.watchEvent(.added(object("a", "10"))))) == ["emit[~a@10]"])
    }

    /// A server that keeps failing (restarted with fresh storage, say) may no longer know the
    /// resourceVersion: after three failures in a row the machine lists afresh.
    @Test func repeatedNon410FailuresRelist() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        #expect(describe(machine.handle(.watchFailed(now: .seconds(1), retryAfter: nil))) == ["sleep 0.8"])
        #expect(describe(machine.handle(.sleepFinished)) == ["watch@9"])
        #expect(describe(machine.handle(.watchFailed(now: .seconds(2), retryAfter: nil))) == ["sleep 1.6"])
        #expect(describe(machine.handle(.sleepFinished)) == ["watch@9"])
        #expect(describe(machine.handle(.watchFailed(now: .seconds(3), retryAfter: nil))) == ["sleep 3.2"])
        #expect(describe(machine.handle(.sleepFinished)) == ["list"])
        // The fresh list shows what the watch missed: a was deleted, b is new.
        #expect(describe(machine.handle(.listSucceeded(items: [object("b", "2")], resourceVersion: "3")))
            == ["emit[+b@2 -a@?]", "watch@3"])
    }

    @Test func aWatchThatDeliversEventsStartsTheFailureCountOver() {
        var machine = watchingMachine([], at: "9")
        _ = machine.handle(.watchFailed(now: .seconds(1), retryAfter: nil))
        _ = machine.handle(.sleepFinished)
        _ = machine.handle(.watchFailed(now: .seconds(2), retryAfter: nil))
        _ = machine.handle(.sleepFinished)
        _ = machine.handle(.watchOpened(now: .seconds(3)))
        _ = machine.handle(.watchEvent(.added(object("a", "10"))))
        _ = machine.handle(.watchFailed(now: .seconds(4), retryAfter: nil))
        #expect(describe(machine.handle(.sleepFinished)) == ["watch@10"])
    }

    @Test func anUndecodableObjectIsSkippedAndTheVersionMovesPastIt() {
        var machine = watchingMachine([object("a", "5")], at: "9")
        let skipped = UndecodableObject(namespace: "default", name: "huge", resourceVersion: "12", problem: "bad replicas")
        #expect(describe(machine.handle(.watchEvent(.undecodable(skipped)))) == [])
        #expect(machine.resourceVersion == "12")
        #expect(describe(machine.handle(.watchEvent(.added(object("b", "13"))))) == ["emit[+b@13]"])
    }
}
