import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI
import ModelFetch
import Placement

/// The running operator, built on the `Manager`: informers for InferenceModels, the Deployments
/// and Services it emits, the Nodes it places on and what placement and storage read (on every
/// replica); the cluster networks its downloads must not reach (every replica, from the node
/// cache); and, while this replica leads, the verification gate, the placement coordinator, the
/// model directory, the condition gauge and the InferenceModel controller (`InferenceModelController`).
public actor OperatorRuntime {
    public nonisolated let manager: Manager
    /// The work queue of the current (or first) leader term.
    public private(set) var queue: WorkQueue<ObjectKey>
    private let client: RESTClient
    private let options: OperatorOptions
    private let logger: Logger
    private let caches: OperatorCaches
    private let networks = ClusterNetworks()
    private var termsBuilt = 0

    /// The label every emitted object carries; the informers of owned objects select on it.
    public static let managedSelector = OperatorCaches.managedSelector

    /// - Parameter manager: how the process runs (signals, leader election, grace); in-process
    ///   by default (no signals, always leading).
    public init(client: RESTClient, options: OperatorOptions, manager: ManagerOptions = .inProcess, logger: Logger) {
        self.client = client
        self.options = options
        self.logger = logger
        self.manager = Manager(client: client, options: manager, logger: logger)
        caches = OperatorCaches(client: client, namespace: options.namespace, logger: logger)
        queue = Self.makeQueue()
    }

    /// Whether every informer has loaded its initial list (readiness).
    public var isSynced: Bool { get async { await manager.cachesSynced } }

    /// Runs until `stop()` (or a signal, when the manager handles them) drained the in-flight
    /// reconciles; throws when the operator failed.
    public func run() async throws {
        for informer in caches.all { await manager.add(informer: informer) }
        let discovery = ClusterNetworkDiscovery(networks: networks, logger: logger)
        await discovery.discoverServiceCIDRs(client: client)
        let nodes = caches.nodes
        await manager.addService(RunUntilShutdown("cluster networks") {
            // The pod networks: the operator's downloads must not reach pods.
            var perNode: [String: [CIDRBlock]] = [:]
            for await change in await nodes.changes(replayExisting: true) {
                discovery.nodeChanged(name: change.key.name, node: change.new, perNode: &perNode)
            }
        })
        await manager.whileLeading { [self] in try await self.leaderTerm() }
        try await manager.run()
    }

    /// Stops taking new work; `run()` returns once in-flight reconciles finished.
    public func stop() async {
        await manager.shutDown()
    }

    /// What runs while this replica leads, in start order (the controller last, so it drains first).
    private func leaderTerm() async throws -> [any LifecycleService] {
        termsBuilt += 1
        if termsBuilt > 1 { queue = Self.makeQueue() }
        let queue = self.queue
        let requeue: @Sendable (ObjectKey) async -> Void = { await queue.add($0) }
        let verifier = ModelVerifier(downloader: ArchiveDownloader(options: options.download, client: CurlArchiveClient(),
                                                                   clusterNetworks: networks))
        let cache = await InformerCache().adding(caches.models, indexes: ModelCaches.modelIndexes)
            .adding(caches.deployments, indexes: ModelCaches.deploymentIndexes, recordingWritesOf: Deployment.self,
                    as: CachedDeployment.init(returnedByServer:))
            .adding(caches.services, recordingWritesOf: Service.self, as: CachedService.init)
            .adding(caches.pods, indexes: ModelCaches.podIndexes).adding(caches.nodes).adding(caches.namespaces)
            .adding(caches.directories)
        let api = APIClient(client: client, cache: cache)
        let gate = VerificationGate(verifier: verifier, credentialsSource: SecretCredentialsSource(reader: api),
                                    maxConcurrent: options.maxConcurrentDownloads,
                                    deadline: options.downloadDeadline, requeue: requeue)
        let coordinator = PlacementCoordinator(cache: cache, settings: options.settings,
                                               window: options.placementWindow, logger: logger, requeue: requeue)
        let events = EventRecorder(writer: api, component: "model-operator", logger: logger)
        let directory = ModelDirectory(cache: cache, writer: api, logger: logger)
        let reconciler = InferenceModelReconciler(
            caches: ModelCaches(cache), client: api, gate: gate, scheduler: coordinator, events: events,
            settings: options.settings, directory: directory, logger: logger)
        await directory.checkAll()
        let modelCount = await caches.models.count
        logger.info("leading: starting the InferenceModel controller", metadata: [
            "models": "\(modelCount)", "namespace": "\(options.namespace ?? "(all)")",
        ])
        let models = caches.models
        let controller = InferenceModelController.declare(
            caches: caches, queue: queue, reconciler: reconciler, coordinator: coordinator, directory: directory,
            settings: options.settings, workers: options.workers, logger: logger)
        return [
            ShutdownAction("verification gate") { await gate.stop() },
            ShutdownAction("placement coordinator") { await coordinator.stop() },
            ShutdownAction("model directory") { await directory.stop() },
            RunUntilShutdown("model condition gauge") { await ModelConditionGauge().run(models: models, interval: .seconds(5)) },
            controller,
        ]
    }

    private static func makeQueue() -> WorkQueue<ObjectKey> {
        WorkQueue<ObjectKey>(metrics: WorkQueueMetrics(name: "inferencemodel"))
    }
}
