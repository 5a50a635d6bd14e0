import ServiceLifecycle

/// Runs one informer as a service: its watch lives in the service's task and ends on graceful
/// shutdown or cancellation (every subscriber's stream ends with it).
struct InformerService: LifecycleService, CustomStringConvertible {
    let informer: any ManagedInformer

    func run() async throws {
        let informer = self.informer
        await cancelWhenGracefulShutdown { await informer.run() }
    }

    var description: String { "informer(\(informer.gvr))" }
}
