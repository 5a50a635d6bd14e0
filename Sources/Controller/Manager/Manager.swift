import KubeClient
import KubeModel
import Logging
import ServiceLifecycle

/// Runs controllers, controller-runtime style, and knows nothing about what they control.
///
/// Every long-running part is a `Service` in one `ServiceGroup`, started in this order and shut
/// down in reverse: the endpoints (probes, metrics), one informer per registered resource (they
/// start at once on every replica, leader or not, so a standby keeps its caches warm and a
/// takeover waits for no cache sync), services that every replica runs (read-only views of the
/// caches), then the leader-only part: on election (at once without leader election) it waits
/// for the caches, builds the term's services (controllers and whatever writes) and runs them
/// in a group of their own, stopped at once when leadership is lost. SIGTERM or SIGINT (or
/// `shutDown()`) shuts everything down gracefully within the grace period; a second signal
/// cancels at once. `run()` returns when every service has ended.
public actor Manager {
    public nonisolated let options: ManagerOptions
    /// `/healthz` and `/readyz`: live once running, ready once every informer synced.
    public nonisolated let health = HealthChecks()
    /// Leader terms begun and ended.
    public nonisolated let terms = TermCounter()
    private let client: RESTClient
    private let logger: Logger
    private var informers: [any ManagedInformer] = []
    private var endpoints: [HTTPEndpointServer] = []
    private var everyReplica: [any LifecycleService] = []
    private var buildTerm: (@Sendable () async throws -> [any LifecycleService])?
    private var group: ServiceGroup?
    private var shutdownRequested = false
    private var started = false

    public init(client: RESTClient, options: ManagerOptions, logger: Logger) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    // MARK: - Setup (before `run()`)

    /// Registers an informer (once, however often it is added): the manager runs it on every replica.
    public func add(informer: any ManagedInformer) {
        guard !informers.contains(where: { $0 === informer }) else { return }
        informers.append(informer)
    }

    /// An informer of a typed resource, created and registered.
    public func informer<Object: KubeObject>(_ type: Object.Type, namespace: String? = nil, labelSelector: String? = nil,
                                             fieldSelector: String? = nil) -> Informer<Object> {
        let informer = Informer<Object>(client: client, namespace: namespace, labelSelector: labelSelector,
                                        fieldSelector: fieldSelector, logger: logger)
        add(informer: informer)
        return informer
    }

    /// Serves a bound endpoint server (probes, metrics) until shutdown; it is the first to start
    /// and the last to stop.
    public func add(endpoint: HTTPEndpointServer) {
        endpoints.append(endpoint)
    }

    /// A service every replica runs after the informers (a read-only view of the caches).
    public func addService(_ service: any LifecycleService) {
        everyReplica.append(service)
    }

    /// What runs only while this replica leads, built anew for each term after the caches
    /// synced, in start order (shut down in reverse: put the controllers last so they drain first).
    public func whileLeading(_ build: @escaping @Sendable () async throws -> [any LifecycleService]) {
        buildTerm = build
    }

    // MARK: - State

    /// Whether every registered informer has loaded its initial list.
    public var cachesSynced: Bool {
        get async {
            for informer in informers where await !informer.hasSynced { return false }
            return true
        }
    }

    /// Waits until every registered informer synced (throws when they stopped first).
    public func waitForCacheSync() async throws {
        for informer in informers { try await informer.waitForSync() }
    }

    // MARK: - Running

    /// Runs until shutdown; throws when a service failed, the grace period expired with work
    /// in flight, or a second signal stopped it at once.
    public func run() async throws {
        precondition(!started, "a Manager runs once") // A second run would start every informer twice.
        started = true
        await health.addLivenessCheck("ping") { nil }
        await health.addReadinessCheck("informers-synced") { [self] in
            await self.cachesSynced ? nil : "caches are not synced yet"
        }
        let group = makeGroup()
        self.group = group
        if shutdownRequested { await group.triggerGracefulShutdown() }
        logger.debug("manager starting", metadata: ["informers": "\(informers.count)",
                                                   "leaderElection": "\(options.leaderElection != nil)"])
        let handlesSignals = options.handlesSignals
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if handlesSignals {
                tasks.addTask {
                    guard let signal = await SecondSignal.wait() else { return }
                    throw SecondSignalError(signal: "\(signal)")
                }
            }
            // The group ends (or the second signal throws): end the other task too.
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    /// Shuts down gracefully, as SIGTERM does (also before `run()` started).
    public func shutDown() async {
        shutdownRequested = true
        await group?.triggerGracefulShutdown()
    }

    private func makeGroup() -> ServiceGroup {
        let informers = self.informers
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        for endpoint in endpoints { services.append(.init(service: EndpointService(server: endpoint))) }
        for informer in informers { services.append(.init(service: InformerService(informer: informer))) }
        services.append(.init(service: CacheSyncReport(informers: informers, logger: logger),
                              successTerminationBehavior: .ignore))
        for service in everyReplica { services.append(.init(service: service)) }
        let elector = options.leaderElection.map { LeaderElector(client: client, config: $0, logger: logger) }
        let build = buildTerm ?? { [] }
        services.append(.init(service: LeaderTerms(
            elector: elector,
            waitForCaches: { for informer in informers { try await informer.waitForSync() } },
            buildTerm: build, terms: terms, logger: logger)))
        var configuration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: options.handlesSignals ? [.sigterm, .sigint] : [],
            cancellationSignals: [],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = options.gracefulShutdownTimeout
        return ServiceGroup(configuration: configuration)
    }
}

/// Logs once every informer synced ("caches synced"), then ends.
struct CacheSyncReport: LifecycleService, CustomStringConvertible {
    let informers: [any ManagedInformer]
    let logger: Logger

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await cancelWhenGracefulShutdown { [informers] in
                for informer in informers { try await informer.waitForSync() }
            }
        } catch {
            return
        }
        logger.info("caches synced", metadata: ["informers": "\(informers.count)", "after": "\(clock.now - started)"])
    }

    var description: String { "cache sync report" }
}
