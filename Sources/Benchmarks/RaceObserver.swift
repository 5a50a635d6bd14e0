import Controller
import KubeClient
import KubeModel
import Logging
import ModelAPI
import Synchronization

/// What exists in the race's namespace now.
struct RaceProgress: Sendable, CustomStringConvertible {
    var models = 0
    var modelsWithURL = 0
    var modelsReady = 0
    var deployments = 0
    var services = 0

    /// Every model has its Deployment, its Service and `status.url`.
    func converged(models count: Int) -> Bool {
        modelsWithURL >= count && deployments >= count && services >= count
    }

    var description: String {
        "\(models) models (\(modelsWithURL) with status.url, \(modelsReady) Ready), \(deployments) Deployments, \(services) Services"
    }
}

/// How the race follows the models' progress while it measures the operator.
protocol RaceObserving: Sendable {
    /// How often the race asks for progress.
    var pollInterval: Duration { get }
    func start() async throws
    func progress() async -> RaceProgress
    func stop() async
}

/// Watches the race's namespace (InferenceModels, Deployments, Services) through informers and
/// tallies the models' progress as changes arrive, so a poll costs next to nothing: the
/// benchmark's process shares the machine with the operator it measures (listing the informer's
/// cache sorts it on every call). For a cluster the benchmark reaches only over its API.
final class RaceObserver: RaceObserving {
    /// The models with a `status.url` and the Ready ones, kept current from the informer's changes.
    private struct Tally {
        var withURL = Set<ObjectKey>()
        var ready = Set<ObjectKey>()

        mutating func record(_ change: InformerChange<ObservedModel>) {
            let status = change.new?.status
            if status?.url != nil { withURL.insert(change.key) } else { withURL.remove(change.key) }
            if status?.isReady == true { ready.insert(change.key) } else { ready.remove(change.key) }
        }
    }

    private let models: Informer<ObservedModel>
    private let deployments: Informer<ObservedChild<Deployment>>
    private let services: Informer<ObservedChild<Service>>
    private let tally = Mutex(Tally())
    private let tallyTask = Mutex<Task<Void, Never>?>(nil)

    var pollInterval: Duration { .milliseconds(20) }

    init(client: RESTClient, namespace: String, logger: Logger) {
        models = Informer(client: client, namespace: namespace, logger: logger)
        deployments = Informer(client: client, namespace: namespace, logger: logger)
        services = Informer(client: client, namespace: namespace, logger: logger)
    }

    func start() async throws {
        let changes = await models.changes()
        let task = Task { [self] in
            for await change in changes { tally.withLock { $0.record(change) } }
        }
        tallyTask.withLock { $0 = task }
        await models.start()
        await deployments.start()
        await services.start()
        try await models.waitForSync()
        try await deployments.waitForSync()
        try await services.waitForSync()
    }

    func progress() async -> RaceProgress {
        var progress = RaceProgress()
        progress.models = await models.count
        (progress.modelsWithURL, progress.modelsReady) = tally.withLock { ($0.withURL.count, $0.ready.count) }
        progress.deployments = await deployments.count
        progress.services = await services.count
        return progress
    }

    func stop() async {
        tallyTask.withLock { $0?.cancel() }
        await models.stop()
        await deployments.stop()
        await services.stop()
    }
}
