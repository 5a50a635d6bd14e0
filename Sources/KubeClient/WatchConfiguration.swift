/// Tuning of a watch: reconnect backoff, watch timeouts, page size. The defaults follow DESIGN.md section 6.
public struct WatchConfiguration: Sendable, Hashable {
    /// First reconnect delay; doubles per consecutive failure.
    public var initialBackoff: Duration
    /// Cap of the reconnect delay.
    public var maximumBackoff: Duration
    /// Each delay is stretched by a random share up to this fraction (0.2 means up to +20%).
    public var backoffJitter: Double
    /// A failure after the connection was up this long starts the backoff over at `initialBackoff`.
    public var healthyPeriod: Duration
    /// `timeoutSeconds` of each watch request is drawn from this range, spreading reconnects out.
    public var timeoutSecondsRange: ClosedRange<Int>
    /// Page size of the (re)list.
    public var pageSize: Int
    /// Seed of the random choices (timeouts, jitter); nil for a random seed.
    public var seed: UInt64?
    /// After this many watch failures in a row that were not 410 (connection refused, 5xx, a
    /// broken stream) the next attempt lists afresh instead of resuming: the server may have
    /// lost the history the resourceVersion names (a restarted API server with fresh storage,
    /// "Too large resource version"), and only a list shows what changed meanwhile.
    public var relistAfterWatchFailures: Int

    public init(initialBackoff: Duration = .milliseconds(800), maximumBackoff: Duration = .seconds(30),
                backoffJitter: Double = 0.2, healthyPeriod: Duration = .seconds(60),
                timeoutSecondsRange: ClosedRange<Int> = 300...600, pageSize: Int = 500, seed: UInt64? = nil,
                relistAfterWatchFailures: Int = 3) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.backoffJitter = backoffJitter
        self.healthyPeriod = healthyPeriod
        self.timeoutSecondsRange = timeoutSecondsRange
        self.pageSize = pageSize
        self.seed = seed
        self.relistAfterWatchFailures = relistAfterWatchFailures
    }
}

/// A small, seedable random number generator (SplitMix64), so that watch decisions are reproducible in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Exponential backoff: `initial`, doubling per failure up to `maximum`; `reset()` starts over.
public struct Backoff: Sendable, Hashable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var next: Duration

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// The delay for this failure (before jitter); the following one doubles, up to the cap.
    public mutating func nextDelay() -> Duration {
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }

    public mutating func reset() { next = initial }
}
