import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI
import ModelFetch
import Placement

/// The running operator: informers for InferenceModels, the Deployments and Services it emits
/// and the Nodes it places on; a work queue fed by their changes; the verification gate; the
/// placement coordinator; and the reconcile workers.
public actor OperatorRuntime {
    public nonisolated let writes = WriteCounter()
    public nonisolated let queue = WorkQueue<ObjectKey>(metrics: WorkQueueMetrics(name: "inferencemodel"))
    private let client: RESTClient
    private let options: OperatorOptions
    private let logger: Logger
    private let models: Informer<InferenceModel>
    private let deployments: Informer<Deployment>
    private let services: Informer<Service>
    private let nodes: Informer<JSONValue>
    private let pods: Informer<Pod>
    /// Every bound, unfinished pod of the cluster, reduced to what placement counts.
    private let podFootprints: Informer<PodFootprint>
    /// The namespaces' labels: the archive cache a namespace chooses, its PodSecurity level.
    private let namespaces: Informer<JSONValue>
    /// ConfigMaps that list the namespace's model URLs (`ModelDirectory`).
    private let directories: Informer<JSONValue>
    private var directory: ModelDirectory?
    private var coordinator: PlacementCoordinator?
    private var feeders: [Task<Void, Never>] = []
    private var gate: VerificationGate?
    private var synced = false

    /// The label every emitted object carries; the informers of owned objects select on it.
    public static let managedSelector = "app.kubernetes.io/managed-by=\(ModelLabels.managedBy)"

    public init(client: RESTClient, options: OperatorOptions, logger: Logger) {
        self.client = client
        self.options = options
        self.logger = logger
        models = Informer<InferenceModel>(client: client, namespace: options.namespace, logger: logger)
        deployments = Informer<Deployment>(client: client, namespace: options.namespace,
                                           labelSelector: Self.managedSelector, logger: logger)
        services = Informer<Service>(client: client, namespace: options.namespace,
                                     labelSelector: Self.managedSelector, logger: logger)
        nodes = Informer<JSONValue>(client: client, gvr: .nodes, logger: logger)
        pods = Informer<Pod>(client: client, namespace: options.namespace, labelSelector: Self.managedSelector,
                             logger: logger)
        // All namespaces: capacity is taken by every pod of a node, whoever runs it.
        podFootprints = Informer<PodFootprint>(client: client, gvr: .pods, fieldSelector: PodFootprint.boundAndNotFinished,
                                               logger: logger)
        namespaces = Informer<JSONValue>(client: client, gvr: .namespaces,
                                         fieldSelector: options.namespace.map { "metadata.name=\($0)" }, logger: logger)
        directories = Informer<JSONValue>(client: client, gvr: .configMaps, namespace: options.namespace,
                                          labelSelector: ModelDirectory.selector, logger: logger)
    }

    /// Whether every informer has loaded its initial list (readiness).
    public var isSynced: Bool { synced }

    /// Runs until `stop()` drains the queue; returns after in-flight reconciles finished.
    public func run() async throws {
        let queue = self.queue
        let requeue: @Sendable (ObjectKey) async -> Void = { await queue.add($0) }
        let networks = ClusterNetworks()
        let discovery = ClusterNetworkDiscovery(networks: networks, logger: logger)
        let verifier = ModelVerifier(downloader: ArchiveDownloader(options: options.download, client: CurlArchiveClient(),
                                                                   clusterNetworks: networks))
        let cache = await InformerCache().adding(models).adding(deployments, indexes: ModelCaches.deploymentIndexes)
            .adding(services).adding(pods, indexes: ModelCaches.podIndexes).adding(nodes).adding(namespaces)
            .adding(directories)
        let api = APIClient(client: client, cache: cache)
        let gate = VerificationGate(verifier: verifier, credentialsSource: SecretCredentialsSource(reader: api),
                                    maxConcurrent: options.maxConcurrentDownloads,
                                    deadline: options.downloadDeadline, requeue: requeue)
        self.gate = gate
        let coordinator = PlacementCoordinator(cache: cache, settings: options.settings,
                                               window: options.placementWindow, logger: logger, requeue: requeue)
        self.coordinator = coordinator
        let events = EventRecorder(writer: api, component: "model-operator", logger: logger)
        let directory = ModelDirectory(cache: cache, writer: api, writes: writes, logger: logger)
        self.directory = directory
        let reconciler = InferenceModelReconciler(
            caches: ModelCaches(cache), client: api, gate: gate, scheduler: coordinator, events: events,
            settings: options.settings, writes: writes, directory: directory, logger: logger)

        await feed(coordinator: coordinator, networks: discovery, directory: directory)
        await discovery.discoverServiceCIDRs(client: client)
        for informer in [models, deployments, services, pods, podFootprints, namespaces, directories]
            as [any StartableInformer] {
            await informer.begin()
        }
        await nodes.start()
        try await models.waitForSync()
        try await deployments.waitForSync()
        try await services.waitForSync()
        try await nodes.waitForSync()
        try await pods.waitForSync()
        try await podFootprints.waitForSync()
        try await namespaces.waitForSync()
        try await directories.waitForSync()
        synced = true
        await directory.checkAll()
        let modelCount = await models.count
        logger.info("caches synced; reconciling", metadata: [
            "models": "\(modelCount)", "workers": "\(options.workers)",
            "namespace": "\(options.namespace ?? "(all)")",
        ])
        let models = self.models
        feeders.append(Task { await ModelConditionGauge().run(models: models, interval: .seconds(5)) })
        let loop = ControllerLoop(name: "inferencemodel", queue: queue, reconciler: reconciler, workers: options.workers,
                                  logger: logger)
        await loop.run()
    }

    /// Stops taking new work; `run()` returns once in-flight reconciles finished.
    public func stop() async {
        await queue.shutDown()
        for feeder in feeders { feeder.cancel() }
        await gate?.stop()
        await models.stop()
        await deployments.stop()
        await services.stop()
        await nodes.stop()
        await pods.stop()
        await podFootprints.stop()
        await namespaces.stop()
        await directory?.stop()
        await directories.stop()
        await coordinator?.stop()
    }

    /// Subscribes the queue to the informers' changes: model changes by their key (initial-list
    /// items behind real changes), emitted objects by their controlling model, and placement-
    /// relevant node changes to the placement coordinator.
    private func feed(coordinator: PlacementCoordinator, networks: ClusterNetworkDiscovery,
                      directory: ModelDirectory) async {
        let queue = self.queue
        let modelChanges = await models.changes(replayExisting: false)
        feeders.append(Task {
            for await change in modelChanges {
                guard Self.matters(change) else { continue }
                await queue.add(change.key, priority: Self.priority(change))
            }
        })
        let deploymentChanges = await deployments.changes(replayExisting: false)
        feeders.append(Task {
            for await change in deploymentChanges {
                if let key = change.object?.controllingModelKey { await queue.add(key, priority: Self.priority(change)) }
            }
        })
        let serviceChanges = await services.changes(replayExisting: false)
        feeders.append(Task {
            // Updates count too: a hand-edited port, selector or type is corrected like Deployment drift.
            for await change in serviceChanges {
                if let key = change.object?.controllingModelKey { await queue.add(key, priority: Self.priority(change)) }
            }
        })
        let podChanges = await pods.changes(replayExisting: false)
        feeders.append(Task {
            for await change in podChanges {
                guard let pod = change.object, let name = pod.metadata.labels?[ModelLabels.model],
                      Self.fetchStateChanged(change) || Self.schedulingChanged(change) else { continue }
                await queue.add(ObjectKey(namespace: pod.metadata.namespace, name: name), priority: Self.priority(change))
            }
        })
        let directoryChanges = await directories.changes(replayExisting: false)
        feeders.append(Task {
            // A directory created or edited by someone else: fill in (or restore) the URLs.
            for await change in directoryChanges where !change.fromInitialList {
                await directory.namespaceChanged(change.key.namespace)
            }
        })
        let nodeNetworkChanges = await nodes.changes(replayExisting: true)
        feeders.append(Task {
            // The pod networks: the operator's downloads must not reach pods.
            var perNode: [String: [CIDRBlock]] = [:]
            for await change in nodeNetworkChanges {
                networks.nodeChanged(name: change.key.name, node: change.new, perNode: &perNode)
            }
        })
        let gpuResource = options.settings.gpuResource
        let nodeChanges = await nodes.changes(replayExisting: false)
        feeders.append(Task {
            for await change in nodeChanges {
                let before = change.old.flatMap { try? PlacementNode(node: $0, gpuResource: gpuResource) }
                let after = change.new.flatMap { try? PlacementNode(node: $0, gpuResource: gpuResource) }
                guard before != after else { continue }
                // A node taking work again (not one of the initial list: a restart reshuffles nothing).
                let reopened = !change.fromInitialList && after?.isOpen == true && before?.isOpen != true
                await coordinator.nodesChanged(reopened: reopened ? after?.name : nil)
            }
        })
        let namespaceChanges = await namespaces.changes(replayExisting: false)
        let models = self.models
        feeders.append(Task {
            // A namespace relabelled for the archive cache or PodSecurity: its models render anew.
            for await change in namespaceChanges {
                guard !change.fromInitialList, Self.storageLabels(change.old) != Self.storageLabels(change.new),
                      let name = (change.new ?? change.old)?[path: ["metadata", "name"]]?.stringValue else { continue }
                for model in await models.list(namespace: name) {
                    await queue.add(ObjectKey(namespace: name, name: model.metadata.name ?? ""))
                }
            }
        })
        // The initial list too: the sums start from every pod already bound.
        let footprintChanges = await podFootprints.changes(replayExisting: true)
        feeders.append(Task {
            for await change in footprintChanges {
                await coordinator.podChanged(old: change.kind == .added ? nil : change.old, new: change.new)
            }
        })
    }

    /// The namespace labels that change how a model's pods keep their archive.
    private static func storageLabels(_ namespace: JSONValue?) -> [String?] {
        let labels = namespace?[path: ["metadata", "labels"]]
        return [ArchiveCacheMode.namespaceLabel, ArchiveStorage.podSecurityEnforceLabel].map { labels?[$0]?.stringValue }
    }

    /// Items of an informer's initial list wait behind real changes. Classified when the informer
    /// saw the event, not when a feeder gets to it: a feeder lagging behind a long initial list
    /// must not turn its items into changes, and a change arriving while another informer still
    /// lists must not wait behind the whole list.
    private static func priority<Object>(_ change: InformerChange<Object>) -> WorkQueuePriority {
        change.fromInitialList ? .background : .change
    }

    /// Only a change of a pod's fetch container state matters to the model's status.
    private static func fetchStateChanged(_ change: InformerChange<Pod>) -> Bool {
        func fetchState(_ pod: Pod?) -> ContainerStatus? {
            pod?.status?.initContainerStatuses?.first { $0.name == ContainerRenderer.fetchContainerName }
        }
        return change.kind == .deleted ? fetchState(change.old) != nil : fetchState(change.old) != fetchState(change.new)
    }

    /// Whether kube-scheduler's verdict on a pod changed (it found no node, or then found one).
    private static func schedulingChanged(_ change: InformerChange<Pod>) -> Bool {
        change.old?.unschedulableMessage != change.new?.unschedulableMessage
    }

    /// Status-only updates (the operator's own writes) need no reconcile.
    private static func matters(_ change: InformerChange<InferenceModel>) -> Bool {
        guard change.kind == .updated, let old = change.old, let new = change.new else { return true }
        return old.spec != new.spec || old.metadata.generation != new.metadata.generation
            || old.metadata.deletionTimestamp != new.metadata.deletionTimestamp
            || old.metadata.labels != new.metadata.labels || old.metadata.annotations != new.metadata.annotations
    }
}

/// Lets the runtime start informers of different object types alike.
protocol StartableInformer: Sendable {
    func begin() async
}

extension Informer: StartableInformer {
    func begin() async { start() }
}
