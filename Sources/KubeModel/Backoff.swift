/// Exponential backoff, the one rule every retry of the project follows (work-queue items,
/// watch reconnects, archive downloads, verification retries): `initial`, doubling per
/// consecutive failure up to `cap`, times a jitter factor drawn from `jitter` so that replicas
/// and pods do not retry in step. A pure value, as client-go keeps `wait.Backoff` in apimachinery.
public struct Backoff: Sendable, Hashable, CustomStringConvertible {
    /// The delay after the first failure.
    public var initial: Duration
    /// The longest delay (before jitter).
    public var cap: Duration
    /// Each delay is multiplied by a factor from this range; `1...1` (the default) is no jitter,
    /// `1...1.2` stretches by up to 20 %, `0.5...1` waits half to all of the delay.
    public var jitter: ClosedRange<Double>

    public init(initial: Duration, cap: Duration, jitter: ClosedRange<Double> = 1...1) {
        self.initial = initial
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay before the retry that follows `failures` consecutive failures (1 = the first
    /// failure; 0 or less waits nothing). `unit` in 0...1 picks the jitter factor within `jitter`
    /// (0 its lower bound): callers pass a random number, tests a fixed one.
    public func delay(afterFailures failures: Int, unit: Double = 0) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = min(initial, cap)
        var doubled = 1
        while doubled < failures, (delay < cap), (delay > .zero) {
            delay = min(delay * 2, cap)
            doubled += 1
        }
        let share = min(max(unit, 0), 1)
        return delay * (jitter.lowerBound + (jitter.upperBound - jitter.lowerBound) * share)
    }

    public var description: String { "\(initial) doubling to \(cap)" + (jitter == 1...1 ? "" : ", jitter \(jitter)") }
}
