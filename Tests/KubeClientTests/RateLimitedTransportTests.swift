import Foundation
import LocalCluster
import Testing
@testable import KubeClient

/// A clock whose time stands still and whose sleeps last until their task is cancelled, so a test
/// can see who is waiting, and for how long, at one instant.
actor ParkingClock: WatchClock {
    private(set) var sleeps: [Duration] = []

    func now() async -> Duration { .zero }

    func sleep(for duration: Duration) async throws {
        sleeps.append(duration)
        try await Task.sleep(for: .seconds(3600))
    }

    /// Waits (up to 10 s of real time) until `count` sleeps have started.
    func waitForSleeps(_ count: Int) async throws {
        for _ in 0..<1000 where sleeps.count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(sleeps.count >= count, "expected \(count) waiting requests, saw \(sleeps.count)")
    }
}

private let host = "127.0.0.1:6443"

private func get(_ path: String = "/api/v1/namespaces/default/configmaps/x") -> HTTPRequest {
    HTTPRequest(method: "get", path: path)
}

private func limited(_ inner: any HTTPTransport, _ limits: ClientRequestLimits, clock: any WatchClock,
                     metrics: RecordingMetricsFactory = RecordingMetricsFactory()) throws -> RateLimitedTransport {
    try RateLimitedTransport(wrapping: inner, limits: limits, metrics: RESTClientMetrics(host: host, factory: metrics),
                             clock: clock)
}

private let ok = ScriptedReply.json(200, ["kind": "ConfigMap"])

private func tooMany(_ retryAfter: String?) -> ScriptedReply {
    .json(429, ["kind": "Status", "code": 429, "reason": "TooManyRequests", "message": "slow down"],
          headers: retryAfter.map { ["retry-after": $0] } ?? [:])
}

/// `actual` is within a millisecond of `expected` (the bucket computes in floating point).
private func close(_ actual: Duration, _ expected: Duration) -> Bool {
    abs((actual - expected).seconds) < 0.001
}

@Suite("RateLimitedTransport: client-side rate limit")
struct RateLimitedTransportLimitTests {
    @Test("requests go at once up to the burst, then one every 1/qps")
    func burstThenSteadyRate() async throws {
        let inner = ScriptedTransport(always: ok)
        let clock = VirtualClock()
        let metrics = RecordingMetricsFactory()
        let transport = try limited(inner, ClientRequestLimits(qps: 10, burst: 5), clock: clock, metrics: metrics)
        for _ in 0..<40 {
            let response = try await transport.send(get())
            #expect(response.status == 200)
        }
        #expect(await inner.requests.count == 40)
        let sleeps = await clock.sleeps
        #expect(sleeps.count == 35, "the first 5 requests are the burst")
        #expect(sleeps.allSatisfy { close($0, .milliseconds(100)) }, "\(sleeps)")
        #expect(close(await clock.now(), .milliseconds(3500)))

        let waits = metrics.timerValues(RESTClientMetrics.rateLimiterDuration)
        #expect(waits.count == 40)
        #expect(waits.prefix(5).allSatisfy { $0 == .zero })
        #expect(waits.dropFirst(5).allSatisfy { close($0, .milliseconds(100)) })

        // After a quiet period the burst is back, and no more than the burst.
        await clock.advance(by: .seconds(60))
        for _ in 0..<6 { _ = try await transport.send(get()) }
        #expect(await clock.sleeps.count == 36)
    }

    @Test("concurrent requests beyond the burst queue one 1/qps after another")
    func concurrentRequestsQueue() async throws {
        let inner = ScriptedTransport(always: ok)
        let clock = ParkingClock()
        let transport = try limited(inner, ClientRequestLimits(qps: 10, burst: 3), clock: clock)
        let tasks = (0..<8).map { _ in Task { try await transport.send(get()) } }
        try await clock.waitForSleeps(5)
        for _ in 0..<1000 where await inner.requests.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await inner.requests.count == 3, "only the burst was sent")
        let waits = await clock.sleeps.sorted()
        let expected: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(300), .milliseconds(400),
                                    .milliseconds(500)]
        #expect(waits.count == 5 && zip(waits, expected).allSatisfy { close($0, $1) }, "\(waits)")
        for task in tasks { task.cancel() }
        var cancelled = 0
        for task in tasks {
            do { _ = try await task.value } catch is CancellationError { cancelled += 1 }
        }
        #expect(cancelled == 5)
        #expect(await inner.requests.count == 3, "a cancelled waiter sends nothing")
    }

    @Test("a request waiting for a token ends with CancellationError when cancelled, and gives its token back")
    func cancellationWhileWaiting() async throws {
        let inner = ScriptedTransport(always: ok)
        let clock = ParkingClock()
        let transport = try limited(inner, ClientRequestLimits(qps: 0.125, burst: 1), clock: clock)
        _ = try await transport.send(get())

        let waiting = Task { try await transport.send(get()) }
        try await clock.waitForSleeps(1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(await inner.requests.count == 1)

        // The next request waits as long as the cancelled one would have, not twice as long.
        let next = Task { try await transport.send(get()) }
        try await clock.waitForSleeps(2)
        next.cancel()
        await #expect(throws: CancellationError.self) { _ = try await next.value }
        #expect(await clock.sleeps == [.seconds(8), .seconds(8)])
    }

    @Test("a watch stream takes one token to open; its events are not limited")
    func watchStreamTakesOneToken() async throws {
        let events = (0..<50).map { Data("{\"type\":\"ADDED\",\"object\":{\"n\":\($0)}}\n".utf8) }
        let inner = ScriptedTransport { _, request in
            request.path.contains("watch=true") ? .stream(status: 200, chunks: events, end: .finish) : ok
        }
        let clock = VirtualClock()
        let transport = try limited(inner, ClientRequestLimits(qps: 1, burst: 2), clock: clock)
        let watch = try await transport.stream(get("/api/v1/configmaps?watch=true"))
        let body = try await collect(watch.body)
        #expect(body.count == events.reduce(0) { $0 + $1.count })
        _ = try await transport.send(get())
        #expect(await clock.sleeps.isEmpty, "the stream and one request used the burst of 2")
        _ = try await transport.send(get())
        #expect(await clock.sleeps == [.seconds(1)])
    }
}

@Suite("RateLimitedTransport: 429 and Retry-After")
struct RateLimitedTransportRetryTests {
    @Test("429 twice, then 200: retried after each Retry-After (1 s default when absent)")
    func retriesTooManyRequests() async throws {
        let replies = [tooMany("2"), tooMany(nil)]
        let inner = ScriptedTransport { index, _ in index < replies.count ? replies[index] : ok }
        let clock = VirtualClock()
        let transport = try limited(inner, .generous, clock: clock)
        let response = try await transport.send(HTTPRequest(method: "POST", path: "/api/v1/namespaces/default/configmaps",
                                                            body: Data("{}".utf8)))
        #expect(response.status == 200)
        #expect(await inner.requests.count == 3)
        #expect(await inner.requests.allSatisfy { $0.method == "POST" && $0.body == Data("{}".utf8) })
        #expect(await clock.sleeps == [.seconds(2), .seconds(1)])
    }

    @Test("a Retry-After longer than the cap waits only the cap")
    func capsRetryAfter() async throws {
        let inner = ScriptedTransport { index, _ in index == 0 ? tooMany("3600") : ok }
        let clock = VirtualClock()
        let transport = try limited(inner, .generous, clock: clock)
        #expect(try await transport.send(get()).status == 200)
        #expect(await clock.sleeps == [.seconds(10)])
    }

    @Test("after 10 retries the last 429 is returned; RESTClient reports it as KubeAPIError 429")
    func givesUp() async throws {
        let inner = ScriptedTransport(always: tooMany("1"))
        let clock = VirtualClock()
        let transport = try limited(inner, .generous, clock: clock)
        let client = RESTClient(transport: transport)
        let error = await #expect(throws: KubeAPIError.self) {
            _ = try await client.get(.configMaps, namespace: "default", name: "x")
        }
        #expect(error?.code == 429)
        #expect(error?.isTooManyRequests == true)
        #expect(error?.retryAfter == .seconds(1))
        #expect(error?.message == "slow down")
        #expect(await inner.requests.count == 11)
        #expect(await clock.sleeps == Array(repeating: .seconds(1), count: 10))

        let fewer = try limited(ScriptedTransport(always: tooMany("1")), ClientRequestLimits(maxRetries: 2), clock: clock)
        #expect(try await fewer.send(get()).status == 429)
        #expect(await clock.sleeps.count == 12)
    }

    @Test("503 with Retry-After is retried; 503 without it and 500 are returned at once")
    func serviceUnavailable() async throws {
        let unavailable = ScriptedReply.json(503, ["kind": "Status", "code": 503], headers: ["retry-after": "3"])
        let retried = ScriptedTransport { index, _ in index == 0 ? unavailable : ok }
        let clock = VirtualClock()
        #expect(try await limited(retried, .generous, clock: clock).send(get()).status == 200)
        #expect(await clock.sleeps == [.seconds(3)])

        for reply in [ScriptedReply.json(503, ["kind": "Status"]), .json(500, ["kind": "Status"], headers: ["retry-after": "1"])] {
            let inner = ScriptedTransport { index, _ in index == 0 ? reply : ok }
            let response = try await limited(inner, .generous, clock: clock).send(get())
            #expect(response.status >= 500)
            #expect(await inner.requests.count == 1)
        }
        #expect(await clock.sleeps == [.seconds(3)])
    }

    @Test("a watch answered 429 is reopened after Retry-After")
    func streamRetry() async throws {
        let inner = ScriptedTransport { index, _ in
            index == 0 ? tooMany("1") : .stream(status: 200, chunks: [Data("{\"type\":\"ADDED\"}\n".utf8)], end: .finish)
        }
        let clock = VirtualClock()
        let response = try await limited(inner, .generous, clock: clock).stream(get("/api/v1/configmaps?watch=true"))
        #expect(response.status == 200)
        #expect(String(decoding: try await collect(response.body), as: UTF8.self) == "{\"type\":\"ADDED\"}\n")
        #expect(await clock.sleeps == [.seconds(1)])
    }

    @Test("cancelling during a Retry-After wait ends the request with CancellationError")
    func cancelDuringRetryWait() async throws {
        let inner = ScriptedTransport(always: tooMany("5"))
        let clock = ParkingClock()
        let transport = try limited(inner, .generous, clock: clock)
        let task = Task { try await transport.send(get()) }
        try await clock.waitForSleeps(1)
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(await clock.sleeps == [.seconds(5)])
        #expect(await inner.requests.count == 1)
    }
}

@Suite("RateLimitedTransport: rest_client metrics")
struct RateLimitedTransportMetricsTests {
    @Test("every attempt is counted by code, upper-case method and host; transport errors as <error>")
    func requestCounts() async throws {
        let inner = ScriptedTransport { index, request in
            if request.method == "post" { return .fail("connection refused") }
            return index < 2 ? tooMany("0") : ok
        }
        let metrics = RecordingMetricsFactory()
        let transport = try limited(inner, .generous, clock: VirtualClock(), metrics: metrics)
        #expect(try await transport.send(get()).status == 200)
        await #expect(throws: TransportFailure.self) {
            _ = try await transport.send(HTTPRequest(method: "post", path: "/api/v1/namespaces/default/configmaps"))
        }

        let name = RESTClientMetrics.requestsTotal
        #expect(metrics.counter(name, [("code", "429"), ("method", "GET"), ("host", host)]) == 2)
        #expect(metrics.counter(name, [("code", "200"), ("method", "GET"), ("host", host)]) == 1)
        #expect(metrics.counter(name, [("code", "<error>"), ("method", "POST"), ("host", host)]) == 1)
        #expect(metrics.counterKeys(name).count == 3)
        #expect(metrics.timerValues(RESTClientMetrics.requestDuration, [("verb", "GET")]).count == 3)
        #expect(metrics.timerValues(RESTClientMetrics.requestDuration, [("verb", "POST")]).count == 1)
        #expect(metrics.timerValues(RESTClientMetrics.rateLimiterDuration).count == 4)
    }

    @Test("against LocalCluster: requests succeed through the limiter and are counted with the server's host:port")
    func localCluster() async throws {
        let cluster = try await LocalCluster.start(LocalClusterOptions())
        do {
            let server = cluster.baseURL.absoluteString
            let metrics = RecordingMetricsFactory()
            let label = RESTClientMetrics.hostLabel(server: server)
            let transport = try RateLimitedTransport(
                wrapping: KubeHTTPTransport(config: ClusterConfig(server: server)),
                limits: ClientRequestLimits(qps: 10, burst: 1),
                metrics: RESTClientMetrics(host: label, factory: metrics))
            let client = RESTClient(transport: transport)
            let started = ContinuousClock.now
            for index in 0..<4 {
                _ = try await client.create(.configMaps, namespace: "default", body: [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("limited-\(index)")],
                ])
            }
            let listed = try await client.list(.configMaps, namespace: "default")
            let names = listed.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            #expect(names.filter { $0.hasPrefix("limited-") }.count == 4)
            // Burst 1 at 10 qps: the fifth token is free 0.4 s after the first (a lower bound, whatever the load).
            #expect(ContinuousClock.now - started >= .milliseconds(390))

            #expect(label.hasPrefix("127.0.0.1:") || label.hasPrefix("[::1]:"))
            let name = RESTClientMetrics.requestsTotal
            #expect(metrics.counter(name, [("code", "201"), ("method", "POST"), ("host", label)]) == 4)
            #expect(metrics.counter(name, [("code", "200"), ("method", "GET"), ("host", label)]) == 1)
            let waits = metrics.timerValues(RESTClientMetrics.rateLimiterDuration)
            #expect(waits.count == 5)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}
