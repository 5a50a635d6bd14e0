import ServiceLifecycle

/// Serves one bound `HTTPEndpointServer` (probes, metrics) until shutdown, then closes it.
struct EndpointService: LifecycleService, CustomStringConvertible {
    let server: HTTPEndpointServer

    func run() async throws {
        // Ends on graceful shutdown, or with CancellationError when cancelled: close either way.
        try? await gracefulShutdown()
        await server.stop()
    }

    var description: String { "endpoint(:\(server.port))" }
}
