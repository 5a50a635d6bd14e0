import KubeModel
import Testing

/// The one backoff rule behind every retry: work-queue items, watch reconnects, downloads.
@Suite struct BackoffTests {
    @Test("doubles from the initial delay per failure and stops at the cap; no failure waits nothing")
    func doublesToTheCap() {
        let backoff = Backoff(initial: .milliseconds(5), cap: .seconds(1000))
        #expect(backoff.delay(afterFailures: 0) == .zero)
        #expect(backoff.delay(afterFailures: -3) == .zero)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(5))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(10))
        #expect(backoff.delay(afterFailures: 5) == .milliseconds(80))
        // 5 ms * 2^17 = 655.36 s; one more doubling passes the cap.
        #expect(backoff.delay(afterFailures: 18) == .milliseconds(655_360))
        #expect(backoff.delay(afterFailures: 19) == .seconds(1000))
        #expect(backoff.delay(afterFailures: 1_000_000) == .seconds(1000))
    }

    @Test("an initial delay above the cap is capped from the first failure")
    func initialAboveCap() {
        #expect(Backoff(initial: .seconds(10), cap: .seconds(3)).delay(afterFailures: 1) == .seconds(3))
    }

    @Test("jitter scales each delay within its range: unit 0 is the lower bound, 1 the upper; out-of-range units are clamped")
    func jitterWithinItsRange() {
        let stretched = Backoff(initial: .milliseconds(800), cap: .seconds(30), jitter: 1...1.2)
        #expect(seconds(stretched.delay(afterFailures: 1, unit: 0)) == 0.8)
        #expect(abs(seconds(stretched.delay(afterFailures: 1, unit: 1)) - 0.96) < 1e-9)
        #expect(abs(seconds(stretched.delay(afterFailures: 7, unit: 0.5)) - 33) < 1e-9)
        let halfToAll = Backoff(initial: .seconds(1), cap: .seconds(30), jitter: 0.5...1)
        #expect(halfToAll.delay(afterFailures: 3, unit: 0) == .seconds(2))
        #expect(halfToAll.delay(afterFailures: 3, unit: 1) == .seconds(4))
        #expect(halfToAll.delay(afterFailures: 3, unit: 7) == .seconds(4))
        #expect(halfToAll.delay(afterFailures: 3, unit: -1) == .seconds(2))
        for failures in 1...12 {
            let delay = halfToAll.delay(afterFailures: failures, unit: Double.random(in: 0...1))
            let base = halfToAll.delay(afterFailures: failures, unit: 1)
            #expect(delay >= base / 2 && delay <= base)
        }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test("a zero initial delay never waits")
    func zeroInitial() {
        #expect(Backoff(initial: .zero, cap: .seconds(5)).delay(afterFailures: 50) == .zero)
    }
}
