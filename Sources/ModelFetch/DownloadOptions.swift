import KubeModel

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
    /// The wait before each retry: 1 s doubling to 30 s, with random jitter (half to all of the
    /// delay) so pods do not retry in step. Its cap also bounds a server's `Retry-After`.
    public var retryBackoff: Backoff
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
                maxAttempts: Int = 4, retryBackoff: Backoff = DownloadOptions.defaultRetryBackoff,
                maxBytes: Int64 = 20 << 30, policy: URLPolicy = .standard,
                deadline: Duration? = DownloadOptions.defaultDeadline) {
        self.maxRedirects = maxRedirects
        self.connectTimeout = connectTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedTime = lowSpeedTime
        self.maxAttempts = max(1, maxAttempts)
        self.retryBackoff = retryBackoff
        self.maxBytes = maxBytes
        self.policy = policy
        self.deadline = deadline
    }

    /// The default overall deadline: 30 minutes (a 4 GiB archive needs about 2.3 MB/s).
    public static let defaultDeadline: Duration = .seconds(30 * 60)

    /// The default retry backoff: 1 s doubling to 30 s, half to all of it.
    public static let defaultRetryBackoff = Backoff(initial: .seconds(1), cap: .seconds(30), jitter: 0.5...1)
}
