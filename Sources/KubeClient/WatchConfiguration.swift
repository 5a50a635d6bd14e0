import KubeModel

/// Tuning of a watch: reconnect backoff, watch timeouts, page size. The defaults follow DESIGN.md section 6.
public struct WatchConfiguration: Sendable, Hashable {
    /// The reconnect delay: 0.8 s doubling per consecutive failure to 30 s, each stretched by a
    /// random share of up to 20 %.
    public var backoff: Backoff
    /// A failure after the connection was up this long starts the backoff over.
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

    /// The watch's reconnect backoff of DESIGN.md section 6.
    public static let defaultBackoff = Backoff(initial: .milliseconds(800), cap: .seconds(30), jitter: 1...1.2)

    public init(backoff: Backoff = WatchConfiguration.defaultBackoff, healthyPeriod: Duration = .seconds(60),
                timeoutSecondsRange: ClosedRange<Int> = 300...600, pageSize: Int = 500, seed: UInt64? = nil,
                relistAfterWatchFailures: Int = 3) {
        self.backoff = backoff
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
