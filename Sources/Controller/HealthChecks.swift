/// Named health checks behind `/healthz` (liveness) and `/readyz` (readiness), answered the
/// way controller-runtime answers them: 200 "ok" when every check passes, else 500 listing
/// each failing check and why.
public actor HealthChecks {
    public typealias Check = @Sendable () async -> String?

    private var liveness: [(String, Check)] = []
    private var readiness: [(String, Check)] = []

    public init() {}

    /// Adds a liveness check; it returns nil when healthy or a reason when not.
    public func addLivenessCheck(_ name: String, _ check: @escaping Check) { liveness.append((name, check)) }

    /// Adds a readiness check; it returns nil when ready or a reason when not.
    public func addReadinessCheck(_ name: String, _ check: @escaping Check) { readiness.append((name, check)) }

    public func healthz() async -> EndpointResponse { await Self.evaluate(liveness) }
    public func readyz() async -> EndpointResponse { await Self.evaluate(readiness) }

    private static func evaluate(_ checks: [(String, Check)]) async -> EndpointResponse {
        var failures: [String] = []
        for (name, check) in checks {
            if let reason = await check() { failures.append("[-]\(name) failed: \(reason)") }
        }
        if failures.isEmpty { return EndpointResponse(status: 200, body: "ok") }
        return EndpointResponse(status: 500, body: failures.joined(separator: "\n") + "\n")
    }

    /// The routes to serve: `/healthz`, `/livez` and `/readyz`.
    public nonisolated var routes: [String: HTTPEndpointServer.Handler] {
        [
            "/healthz": { await self.healthz() },
            "/livez": { await self.healthz() },
            "/readyz": { await self.readyz() },
        ]
    }
}
