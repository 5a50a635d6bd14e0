/// How archives are downloaded: limits, timeouts, retries and the URL policy.
public struct DownloadOptions: Sendable, Equatable {
    /// Redirect hops followed (each one checked against `policy`) before giving up.
    public var maxRedirects: Int
    /// Time allowed to establish a connection (TCP and TLS).
    public var connectTimeout: Duration
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedTime` is abandoned (a
    /// stalled server must not hold an init container forever).
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedTime: Duration
    /// Attempts in all, counting the first; retries follow 5xx answers, 429, connection
    /// failures and broken transfers, never other 4xx answers or a wrong digest.
    public var maxAttempts: Int
    /// The first retry waits about this long; each next one twice as long, capped by
    /// `maxBackoff`, with random jitter (half to all of the delay) so pods do not retry in step.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Archives larger than this are refused, from `Content-Length` when the server sends one,
    /// else as soon as that many bytes arrived.
    public var maxBytes: Int64
    public var policy: URLPolicy
    /// The whole download, every attempt, redirect and backoff included, must end within this
    /// (a server trickling just above the low-speed limit must not hold a download slot or an
    /// init container for hours); nil for none.
    public var deadline: Duration?

    /// 5 redirects, 15 s to connect, under 1 KiB/s for 60 s aborts, 4 attempts backing off from
    /// 1 s to 30 s, 20 GiB at most, the standard URL policy, 30 minutes in all.
    public static let standard = DownloadOptions()

    public init(maxRedirects: Int = 5, connectTimeout: Duration = .seconds(15),
                lowSpeedBytesPerSecond: Int = 1024, lowSpeedTime: Duration = .seconds(60),
                maxAttempts: Int = 4, initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30),
                maxBytes: Int64 = 20 << 30, policy: URLPolicy = .standard,
                deadline: Duration? = DownloadOptions.defaultDeadline) {
        self.maxRedirects = maxRedirects
        self.connectTimeout = connectTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedTime = lowSpeedTime
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxBytes = maxBytes
        self.policy = policy
        self.deadline = deadline
    }

    /// The default overall deadline: 30 minutes (a 4 GiB archive needs about 2.3 MB/s).
    public static let defaultDeadline: Duration = .seconds(30 * 60)

    /// The wait before retry number `retry` (1 for the first retry): exponential with jitter.
    /// `unit` is a random number in 0...1 (injected so the rule is testable).
    public func backoff(beforeRetry retry: Int, unit: Double) -> Duration {
        let base = initialBackoff * Int(1 << min(max(retry - 1, 0), 20))
        let capped = min(base, maxBackoff)
        return capped * (0.5 + 0.5 * min(max(unit, 0), 1))
    }
}
