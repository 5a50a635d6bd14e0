import Metrics
import Prometheus

/// Wires swift-metrics to a Prometheus registry and serves it as `/metrics` in the text format.
public enum PrometheusEndpoint {
    /// Bootstraps the process-wide metrics system with a Prometheus registry (once per process)
    /// and returns the registry to serve.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// The `/metrics` route for a registry.
    public static func routes(_ registry: PrometheusCollectorRegistry) -> [String: HTTPEndpointServer.Handler] {
        ["/metrics": {
            EndpointResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                             bytes: registry.emitToBuffer())
        }]
    }
}
