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
    }

    /// Whether every informer has loaded its initial list (readiness).
    public var isSynced: Bool { synced }

    /// Runs until `stop()` drains the queue; returns after in-flight reconciles finished.
    public func run() async throws {
        let queue = self.queue
        let requeue: @Sendable (ObjectKey) async -> Void = { await queue.add($0) }
        let verifier = ModelVerifier(downloader: ArchiveDownloader(options: options.download, client: CurlArchiveClient()))
        let gate = VerificationGate(verifier: verifier, maxConcurrent: options.maxConcurrentDownloads,
                                    deadline: options.downloadDeadline, requeue: requeue)
        self.gate = gate
        let coordinator = PlacementCoordinator(nodes: nodes, models: models, settings: options.settings,
                                               window: options.placementWindow, logger: logger, requeue: requeue)
        self.coordinator = coordinator
        let events = EventRecorder(client: client, component: "model-operator", logger: logger)
        let caches = ModelCaches(models: models, deployments: deployments, services: services, pods: pods)
        await caches.addIndexes()
        let reconciler = InferenceModelReconciler(
            client: client, caches: caches, gate: gate, scheduler: coordinator, events: events, settings: options.settings, writes: writes,
            logger: logger)

        await feed(coordinator: coordinator)
        for informer in [models, deployments, services, pods, podFootprints] as [any StartableInformer] {
            await informer.begin()
        }
        await nodes.start()
        try await models.waitForSync()
        try await deployments.waitForSync()
        try await services.waitForSync()
        try await nodes.waitForSync()
        try await pods.waitForSync()
        try await podFootprints.waitForSync()
        synced = true
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
        await coordinator?.stop()
    }

    /// Subscribes the queue to the informers' changes: model changes by their key (initial-list
    /// items behind real changes), emitted objects by their controlling model, and placement-
    /// relevant node changes to the placement coordinator.
    private func feed(coordinator: PlacementCoordinator) async {
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
        // The initial list too: the sums start from every pod already bound.
        let footprintChanges = await podFootprints.changes(replayExisting: true)
        feeders.append(Task {
            for await change in footprintChanges {
                await coordinator.podChanged(old: change.kind == .added ? nil : change.old, new: change.new)
            }
        })
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
