import Testing
@testable import KubeClient

@Suite("TokenBucket: burst, steady rate, refill and release")
struct TokenBucketTests {
    @Test("a full bucket lets `burst` requests through at once, then one every 1/qps")
    func burstThenSteady() {
        var bucket = TokenBucket(qps: 4, burst: 3)
        let waits = (0..<6).map { _ in bucket.reserve(at: .zero) }
        #expect(waits == [.zero, .zero, .zero, .milliseconds(250), .milliseconds(500), .milliseconds(750)])
    }

    @Test("a quiet period refills the bucket, but never beyond its burst")
    func refillCapsAtBurst() {
        var bucket = TokenBucket(qps: 10, burst: 2)
        _ = bucket.reserve(at: .zero)
        _ = bucket.reserve(at: .zero)
        #expect(bucket.reserve(at: .zero) == .milliseconds(100))
        // An hour later: two tokens again, not 36,000.
        let later = Duration.seconds(3600)
        #expect(bucket.reserve(at: later) == .zero)
        #expect(bucket.reserve(at: later) == .zero)
        #expect(bucket.reserve(at: later) == .milliseconds(100))
    }

    @Test("a released reservation lets the next caller go in its place")
    func releaseGivesTheTokenBack() {
        var bucket = TokenBucket(qps: 1, burst: 1)
        #expect(bucket.reserve(at: .zero) == .zero)
        #expect(bucket.reserve(at: .zero) == .seconds(1))
        bucket.release(at: .zero)
        #expect(bucket.reserve(at: .zero) == .seconds(1))
    }

    @Test("time going backwards does not add tokens")
    func clockRegression() {
        var bucket = TokenBucket(qps: 1, burst: 1)
        _ = bucket.reserve(at: .seconds(10))
        #expect(bucket.reserve(at: .seconds(5)) == .seconds(1))
    }
}

@Suite("ClientRequestLimits and RetryAfterPolicy")
struct ClientRequestLimitsTests {
    @Test("the controller defaults are 20 qps, burst 30, 10 retries, Retry-After capped at 10 s")
    func defaults() throws {
        let limits = ClientRequestLimits.controllerDefault
        #expect(limits.qps == 20 && limits.burst == 30 && limits.maxRetries == 10)
        #expect(limits.maxRetryAfter == .seconds(10) && limits.defaultRetryAfter == .seconds(1))
        try limits.validate()
        try ClientRequestLimits.generous.validate()
    }

    @Test("limits out of range are refused with a message naming the value", arguments: [
        (ClientRequestLimits(qps: 0), "qps"), (ClientRequestLimits(qps: -5), "qps"), (ClientRequestLimits(qps: .nan), "qps"),
        (ClientRequestLimits(qps: .infinity), "qps"), (ClientRequestLimits(burst: 0), "burst"),
        (ClientRequestLimits(maxRetries: -1), "retry"),
    ])
    func invalid(limits: ClientRequestLimits, word: String) {
        let error = #expect(throws: ClientRequestLimitsError.self) { try limits.validate() }
        #expect(error?.description.contains(word) == true)
        #expect(throws: ClientRequestLimitsError.self) {
            _ = try RateLimitedTransport(wrapping: ScriptedTransport(always: .fail("unused")), limits: limits,
                                         metrics: RESTClientMetrics(host: "127.0.0.1"))
        }
    }

    @Test("429 is retried after Retry-After, the default without one, and at most the cap")
    func tooManyRequests() {
        let policy = RetryAfterPolicy()
        #expect(policy.delay(status: 429, headers: ["retry-after": " 3 "], retriesSoFar: 0) == .seconds(3))
        #expect(policy.delay(status: 429, headers: [:], retriesSoFar: 0) == .seconds(1))
        #expect(policy.delay(status: 429, headers: ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"], retriesSoFar: 0)
            == .seconds(1))
        #expect(policy.delay(status: 429, headers: ["retry-after": "-4"], retriesSoFar: 0) == .seconds(1))
        #expect(policy.delay(status: 429, headers: ["retry-after": "120"], retriesSoFar: 0) == .seconds(10))
        #expect(policy.delay(status: 429, headers: ["retry-after": "0"], retriesSoFar: 0) == .zero)
        #expect(policy.delay(status: 429, headers: [:], retriesSoFar: 9) == .seconds(1))
        #expect(policy.delay(status: 429, headers: [:], retriesSoFar: 10) == nil)
    }

    @Test("503 is retried only with Retry-After; other statuses never")
    func otherStatuses() {
        let policy = RetryAfterPolicy()
        #expect(policy.delay(status: 503, headers: ["retry-after": "2"], retriesSoFar: 0) == .seconds(2))
        #expect(policy.delay(status: 503, headers: [:], retriesSoFar: 0) == nil)
        for status in [200, 201, 404, 409, 500, 502, 504] {
            #expect(policy.delay(status: status, headers: ["retry-after": "1"], retriesSoFar: 0) == nil)
        }
    }

    @Test("the host label is the API server's host:port")
    func hostLabel() {
        #expect(RESTClientMetrics.hostLabel(server: "https://10.0.0.1:6443") == "10.0.0.1:6443")
        #expect(RESTClientMetrics.hostLabel(server: "https://kubernetes.default.svc") == "kubernetes.default.svc")
        #expect(RESTClientMetrics.hostLabel(server: "http://[::1]:8001") == "[::1]:8001")
    }
}
