import Synchronization

/// A `TokenBucket` shared by concurrent requests: `acquire()` returns once the caller may send.
/// Waiting is cancellable; a cancelled waiter gives its token back.
public final class ClientRateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock: any WatchClock

    /// `qps` and `burst` as `ClientRequestLimits.validate()` accepts them.
    public init(qps: Double, burst: Int, clock: any WatchClock = SystemWatchClock()) {
        self.bucket = Mutex(TokenBucket(qps: qps, burst: burst))
        self.clock = clock
    }

    /// Waits for a token; returns how long that took (zero when one was free).
    /// Throws `CancellationError` when the task is cancelled before or while waiting.
    @discardableResult
    public func acquire() async throws -> Duration {
        try Task.checkCancellation()
        let now = await clock.now()
        let wait = bucket.withLock { $0.reserve(at: now) }
        guard wait > .zero else { return .zero }
        do {
            try await clock.sleep(for: wait)
        } catch {
            let cancelledAt = await clock.now()
            bucket.withLock { $0.release(at: cancelledAt) }
            throw error
        }
        return wait
    }
}
