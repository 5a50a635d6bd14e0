import KubeModel
import Testing
@testable import Controller

@Suite struct WorkQueueTests {
    @Test func manyAddsBeforeTakingAreProcessedOnce() async {
        let queue = WorkQueue<String>()
        for _ in 0..<100 { await queue.add("default/a") }
        await queue.add("default/b")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "default/a")
        #expect(await queue.next() == "default/b")
        #expect(await queue.depth == 0)
    }

    @Test func itemReaddedWhileProcessingRunsAgainAfterDoneNotConcurrently() async {
        let queue = WorkQueue<String>()
        await queue.add("x")
        let first = await queue.next()
        #expect(first == "x")
        await queue.add("x")
        // While "x" is processing, the re-add must not be handed out.
        #expect(await queue.depth == 0)
        await queue.add("y")
        #expect(await queue.next() == "y")
        await queue.done("x")
        #expect(await queue.next() == "x")
    }

    @Test func concurrentWorkersNeverShareAKey() async {
        let queue = WorkQueue<Int>()
        let tracker = OverlapTracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.next() {
                        await tracker.begin(key)
                        await Task.yield()
                        await tracker.end(key)
                        await queue.done(key)
                    }
                }
            }
            for round in 0..<50 {
                for key in 0..<5 { await queue.add(key) }
                if round % 10 == 0 { await Task.yield() }
            }
            while await queue.depth + queue.inFlight > 0 { await Task.yield() }
            await queue.shutDown()
        }
        #expect(await tracker.overlaps == 0)
        #expect(await tracker.processed.isSuperset(of: Set(0..<5)))
    }

    @Test func changesJumpAheadOfBackgroundItems() async {
        let queue = WorkQueue<String>()
        for index in 0..<1000 { await queue.add("listed-\(index)", priority: .background) }
        await queue.add("new-model", priority: .change)
        #expect(await queue.next() == "new-model")
        // A background item re-added as a change is promoted, not duplicated.
        await queue.add("listed-500", priority: .change)
        #expect(await queue.next() == "listed-500")
        #expect(await queue.depth == 999)
    }

    @Test func backoffDoublesFrom5msTo1000sAndForgetResets() async {
        let backoff = WorkQueue<String>.defaultBackoff
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(5))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(10))
        #expect(backoff.delay(afterFailures: 5) == .milliseconds(80))
        #expect(backoff.delay(afterFailures: 40) == .seconds(1000))

        let queue = WorkQueue<String>(backoff: Backoff(initial: .milliseconds(1), cap: .milliseconds(50)))
        await queue.addRateLimited("flaky")
        await queue.addRateLimited("flaky")
        #expect(await queue.failureCount("flaky") == 2)
        #expect(await queue.next() == "flaky")
        await queue.done("flaky")
        await queue.forget("flaky")
        #expect(await queue.failureCount("flaky") == 0)
    }

    @Test func shutDownReleasesWaitersAndWaitsForInFlight() async {
        let queue = WorkQueue<String>()
        let waiter = Task { await queue.next() }
        await Task.yield()
        await queue.add("a")
        #expect(await waiter.value == "a")
        let idle = Task { await queue.waitUntilIdle() }
        await queue.shutDown()
        #expect(await queue.next() == nil)
        await queue.done("a")
        await idle.value
        #expect(await queue.inFlight == 0)
    }
}

/// Records overlapping processing of the same key across workers.
actor OverlapTracker {
    private var active: Set<Int> = []
    private(set) var overlaps = 0
    private(set) var processed: Set<Int> = []

    func begin(_ key: Int) {
        if active.contains(key) { overlaps += 1 }
        active.insert(key)
        processed.insert(key)
    }

    func end(_ key: Int) { active.remove(key) }
}
