import Logging

/// An `HTTPTransport` decorator that keeps the client polite to the API server: every request
/// waits for a client-side token bucket (`ClientRequestLimits.qps`/`burst`), responses `429` (and
/// `503` with `Retry-After`) are retried after the server's `Retry-After` (see `RetryAfterPolicy`),
/// and each attempt is counted in client-go's `rest_client_*` metrics (`RESTClientMetrics`).
///
/// Watches: the request that opens a stream takes a token and is retried like any other (as
/// client-go's `Request.Watch` does); the events then flowing on the open stream are not limited.
/// Each retry takes a fresh token, so a throttled client does not hammer the server on retry.
/// When the retries run out, the last response is returned as is (`RESTClient` turns a 429 into a
/// `KubeAPIError` with `isTooManyRequests` and `retryAfter`).
public struct RateLimitedTransport: HTTPTransport {
    public let inner: any HTTPTransport
    public let limits: ClientRequestLimits
    public let metrics: RESTClientMetrics
    private let limiter: ClientRateLimiter
    private let retryPolicy: RetryAfterPolicy
    private let clock: any WatchClock
    private let logger: Logger?

    /// - Parameters:
    ///   - inner: the transport that sends (`KubeHTTPTransport`, or a test double).
    ///   - limits: rate limit and retry bounds; throws `ClientRequestLimitsError` when out of range.
    ///   - metrics: where attempts and waits are recorded (its `host` labels `rest_client_requests_total`).
    ///   - clock: measures and performs the waits (tests inject a virtual clock).
    ///   - logger: notes client-side throttling longer than a second and each 429/503 retry.
    public init(wrapping inner: any HTTPTransport, limits: ClientRequestLimits = .controllerDefault,
                metrics: RESTClientMetrics, clock: any WatchClock = SystemWatchClock(), logger: Logger? = nil) throws {
        try limits.validate()
        self.inner = inner
        self.limits = limits
        self.metrics = metrics
        self.limiter = ClientRateLimiter(qps: limits.qps, burst: limits.burst, clock: clock)
        self.retryPolicy = RetryAfterPolicy(limits)
        self.clock = clock
        self.logger = logger
    }

    /// Wraps a `KubeHTTPTransport`, labelling metrics with its server's `host:port`.
    public init(wrapping inner: KubeHTTPTransport, limits: ClientRequestLimits = .controllerDefault,
                clock: any WatchClock = SystemWatchClock(), logger: Logger? = nil) throws {
        try self.init(wrapping: inner, limits: limits,
                      metrics: RESTClientMetrics(host: RESTClientMetrics.hostLabel(server: inner.config.server)),
                      clock: clock, logger: logger)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withRetries(request, status: \.status, headers: \.headers) { try await inner.send($0) }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        // A retried stream's body is dropped unread, which ends its transfer.
        try await withRetries(request, status: \.status, headers: \.headers) { try await inner.stream($0) }
    }

    private func withRetries<Response>(_ request: HTTPRequest, status: KeyPath<Response, Int>,
                                       headers: KeyPath<Response, [String: String]>,
                                       attempt: (HTTPRequest) async throws -> Response) async throws -> Response {
        var retries = 0
        while true {
            try await throttle(request)
            let started = ContinuousClock.now
            let response: Response
            do {
                response = try await attempt(request)
            } catch {
                metrics.recordRequest(method: request.method, path: request.path, status: nil,
                                      duration: ContinuousClock.now - started)
                throw error
            }
            let code = response[keyPath: status]
            metrics.recordRequest(method: request.method, path: request.path, status: code, duration: ContinuousClock.now - started)
            guard let delay = retryPolicy.delay(status: code, headers: response[keyPath: headers], retriesSoFar: retries)
            else { return response }
            retries += 1
            logger?.debug("API server answered \(code); retrying", metadata: [
                "request": "\(request.method) \(request.path)", "retryAfter": "\(delay)",
                "attempt": "\(retries)/\(limits.maxRetries)",
            ])
            try await clock.sleep(for: delay)
        }
    }

    private func throttle(_ request: HTTPRequest) async throws {
        let waited = try await limiter.acquire()
        metrics.recordRateLimiterWait(waited)
        if waited > .seconds(1) {
            logger?.info("waited for client-side throttling (not priority and fairness)", metadata: [
                "request": "\(request.method) \(request.path)", "waited": "\(waited)",
            ])
        }
    }
}
