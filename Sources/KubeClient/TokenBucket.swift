/// A token bucket as a pure value: `burst` tokens at most, refilled at `qps` tokens a second.
///
/// `reserve(at:)` always takes a token and says how long the caller must wait for it; the count
/// may go negative, so callers queue in the order they reserved and the long-run rate never
/// exceeds `qps` (the reservation model of Go's `golang.org/x/time/rate`). A caller that gives up
/// before its turn hands the token back with `release(at:)`.
public struct TokenBucket: Sendable, Equatable {
    public let qps: Double
    public let burst: Int
    /// Tokens available at `updated`; negative when callers are queued.
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date; nil before the first use (the bucket starts full).
    public private(set) var updated: Duration?

    /// A full bucket. `qps` must be finite and above zero, `burst` at least 1 (see `ClientRequestLimits.validate()`).
    public init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = burst
        self.tokens = Double(burst)
    }

    /// Takes one token at `now`; returns the wait before it may be used (zero when one was available).
    public mutating func reserve(at now: Duration) -> Duration {
        refill(to: now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / qps)
    }

    /// Gives back a token reserved but not used (its caller was cancelled while waiting).
    public mutating func release(at now: Duration) {
        refill(to: now)
        tokens = min(Double(burst), tokens + 1)
    }

    private mutating func refill(to now: Duration) {
        guard let updated else {
            self.updated = now
            return
        }
        guard now > updated else { return }
        tokens = min(Double(burst), tokens + (now - updated).seconds * qps)
        self.updated = now
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
