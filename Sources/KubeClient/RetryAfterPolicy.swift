import Foundation

/// Which responses are retried and after how long: the server did not process a request it
/// answered `429 Too Many Requests`, so any request (whatever its verb) may be sent again; a
/// `503 Service Unavailable` is retried only when it carries `Retry-After`, the server's explicit
/// "come back later" (as client-go does for 5xx with `Retry-After`). Other statuses are returned.
public struct RetryAfterPolicy: Sendable, Equatable {
    public var maxRetries: Int
    public var maxDelay: Duration
    public var defaultDelay: Duration

    public init(maxRetries: Int = 10, maxDelay: Duration = .seconds(10), defaultDelay: Duration = .seconds(1)) {
        self.maxRetries = maxRetries
        self.maxDelay = maxDelay
        self.defaultDelay = defaultDelay
    }

    public init(_ limits: ClientRequestLimits) {
        self.init(maxRetries: limits.maxRetries, maxDelay: limits.maxRetryAfter, defaultDelay: limits.defaultRetryAfter)
    }

    /// The wait before retrying a response, or nil when it is final (`retriesSoFar` retries already made).
    /// `headers` have lower-case names, as `HTTPResponse` carries them.
    public func delay(status: Int, headers: [String: String], retriesSoFar: Int) -> Duration? {
        guard retriesSoFar < maxRetries else { return nil }
        let requested = RetryAfterPolicy.retryAfter(headers["retry-after"])
        switch status {
        case 429:
            return min(requested ?? defaultDelay, maxDelay)
        case 503:
            return requested.map { min($0, maxDelay) }
        default:
            return nil
        }
    }

    /// A `Retry-After` in seconds (the form the API server sends); nil when absent, negative or an
    /// HTTP date (which the API server never sends; the default wait applies then).
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }
}
