/// Time as the watch driver sees it: a monotonic reading and a sleep. Tests inject a virtual clock
/// so backoff paths run without real waiting.
public protocol WatchClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() async -> Duration
    /// Waits; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock (`ContinuousClock`).
public struct SystemWatchClock: WatchClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() async -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration, clock: .continuous)
    }
}
