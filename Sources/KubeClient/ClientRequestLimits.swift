/// How hard the client may drive the API server: a client-side rate limit (`qps`, `burst`) and how
/// `429 Too Many Requests` / `503 Service Unavailable` with `Retry-After` are retried.
///
/// The defaults, 20 requests a second with bursts of 30, are what controller-runtime managers
/// use: enough for an operator's initial lists and a start-up wave of reconcile writes, yet far
/// below what one client may take from a shared API server (client-go's bare 5/10 starves an
/// operator that reconciles hundreds of objects at start). Retries follow client-go: at most 10,
/// each after the server's `Retry-After` capped here at 10 s, or 1 s when a 429 names none.
public struct ClientRequestLimits: Sendable, Equatable {
    /// Requests a second, on average.
    public var qps: Double
    /// Requests that may go at once after a quiet period.
    public var burst: Int
    /// Retries of one request answered 429 (or 503 with `Retry-After`) before its last response is returned.
    public var maxRetries: Int
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    public var maxRetryAfter: Duration
    /// The wait after a 429 without a usable `Retry-After`.
    public var defaultRetryAfter: Duration

    public init(qps: Double = 20, burst: Int = 30, maxRetries: Int = 10, maxRetryAfter: Duration = .seconds(10),
                defaultRetryAfter: Duration = .seconds(1)) {
        self.qps = qps
        self.burst = burst
        self.maxRetries = maxRetries
        self.maxRetryAfter = maxRetryAfter
        self.defaultRetryAfter = defaultRetryAfter
    }

    /// The controller defaults: 20 qps, burst 30, 10 retries.
    public static let controllerDefault = ClientRequestLimits()

    /// Limits so high they never slow a test or the demo (which talk to LocalCluster on loopback),
    /// while still exercising the limiter and the 429 handling.
    public static let generous = ClientRequestLimits(qps: 100_000, burst: 100_000)

    /// Throws a `ClientRequestLimitsError` naming the first value out of range and what it must be.
    public func validate() throws {
        guard qps.isFinite, qps > 0 else {
            throw ClientRequestLimitsError("the client rate limit (qps) is \(qps); it must be a number above 0, e.g. 20")
        }
        guard burst >= 1 else {
            throw ClientRequestLimitsError("the client burst is \(burst); it must be at least 1, e.g. 30")
        }
        guard maxRetries >= 0 else {
            throw ClientRequestLimitsError("the retry limit for 429 responses is \(maxRetries); it must be 0 or more")
        }
        guard maxRetryAfter >= .zero, defaultRetryAfter >= .zero else {
            throw ClientRequestLimitsError("Retry-After waits must not be negative")
        }
    }
}

/// Client request limits out of range; the text says which and how to fix it.
public struct ClientRequestLimitsError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
