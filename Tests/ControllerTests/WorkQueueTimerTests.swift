import KubeModel
import Testing
@testable import Controller

/// Delayed adds wait in the queue's heap behind one timer the queue owns.
@Suite struct WorkQueueTimerTests {
    @Test("many delayed adds share one timer and arrive in the order they are due")
    func oneTimerForManyDelayedAdds() async {
        let queue = WorkQueue<String>()
        await queue.add("late", after: .milliseconds(300))
        await queue.add("early", after: .milliseconds(50))
        for index in 0..<200 { await queue.add("bulk-\(index)", after: .seconds(3600)) }
        #expect(await queue.delayedCount == 202)
        #expect(await queue.hasTimer)
        #expect(await queue.depth == 0)
        #expect(await queue.next() == "early")
        #expect(await queue.next() == "late")
        #expect(await queue.delayedCount == 200)
        #expect(await queue.hasTimer)
        await queue.shutDown()
        #expect(await queue.delayedCount == 0)
        #expect(await !queue.hasTimer)
        #expect(await queue.next() == nil)
    }

    @Test("a delayed add after shutdown is dropped; a zero delay adds at once")
    func afterShutdownAndZeroDelay() async {
        let queue = WorkQueue<String>()
        await queue.add("now", after: .zero)
        #expect(await queue.depth == 1)
        #expect(await !queue.hasTimer)
        await queue.shutDown()
        await queue.add("later", after: .milliseconds(10))
        #expect(await queue.delayedCount == 0)
        #expect(await !queue.hasTimer)
    }

    @Test("the timer ends once nothing waits")
    func timerEndsWhenEmpty() async throws {
        let queue = WorkQueue<String>()
        await queue.add("soon", after: .milliseconds(20))
        #expect(await queue.next() == "soon")
        #expect(await queue.delayedCount == 0)
        #expect(await !queue.hasTimer)
    }
}
