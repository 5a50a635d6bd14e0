import Foundation
import Metrics

/// The REST client's metrics under client-go's names, through swift-metrics:
/// `rest_client_requests_total{code,method,host}` (code is the HTTP status, or `<error>` when no
/// response came), `rest_client_request_duration_seconds{verb}` and
/// `rest_client_rate_limiter_duration_seconds`; and, because client-go's request counter has no
/// resource label, `kube_client_writes_total{method,resource,code}`: every write (POST, PUT,
/// PATCH, DELETE) by the resource its path names (`deployments`, `inferencemodels/status`).
public struct RESTClientMetrics: Sendable {
    public static let requestsTotal = "rest_client_requests_total"
    public static let writesTotal = "kube_client_writes_total"
    public static let requestDuration = "rest_client_request_duration_seconds"
    public static let rateLimiterDuration = "rest_client_rate_limiter_duration_seconds"

    /// The `host` label: the API server's `host:port`.
    public let host: String
    /// Where the metrics go; nil for the process-wide `MetricsSystem` (tests pass their own).
    private let factory: (any MetricsFactory)?

    public init(host: String, factory: (any MetricsFactory)? = nil) {
        self.host = host
        self.factory = factory
    }

    /// The `host` label for an API server URL (`https://10.0.0.1:6443` → `10.0.0.1:6443`).
    public static func hostLabel(server: String) -> String {
        guard let components = URLComponents(string: server), let host = components.host else { return server }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return components.port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    /// One attempt's outcome: its status (nil for a transport error) and how long it took.
    func recordRequest(method: String, path: String = "", status: Int?, duration: Duration) {
        let verb = method.uppercased()
        let code = status.map(String.init) ?? "<error>"
        let dimensions = [("code", code), ("method", verb), ("host", host)]
        counter(RESTClientMetrics.requestsTotal, dimensions).increment()
        if verb != "GET", verb != "HEAD" {
            let resource = APIResourceLabel.resource(ofPath: path)
            counter(RESTClientMetrics.writesTotal, [("method", verb), ("resource", resource), ("code", code)]).increment()
        }
        timer(RESTClientMetrics.requestDuration, [("verb", verb)]).record(duration: duration)
    }

    /// How long a request waited for the client-side rate limiter (zero included).
    func recordRateLimiterWait(_ duration: Duration) {
        timer(RESTClientMetrics.rateLimiterDuration, []).record(duration: duration)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        if let factory { return Counter(label: label, dimensions: dimensions, factory: factory) }
        return Counter(label: label, dimensions: dimensions)
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        if let factory { return Metrics.Timer(label: label, dimensions: dimensions, factory: factory) }
        return Metrics.Timer(label: label, dimensions: dimensions, preferredDisplayUnit: .seconds)
    }
}
