/// Per-item exponential backoff for failed work: `base` doubling per consecutive failure up
/// to `cap` (controller-runtime's defaults: 5 ms doubling to 1000 s).
public struct ItemBackoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(5), cap: Duration = .seconds(1000)) {
        self.base = base
        self.cap = cap
    }

    /// The delay before the retry that follows `failures` consecutive failures (1 = first failure).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = base
        for _ in 1..<failures {
            delay *= 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}
