import Controller
import KubeClient
import Logging
import ModelAPI

/// Watches the race's namespace (InferenceModels, Deployments, Services) through informers, so
/// progress is read from caches instead of listing thousands of objects on every poll.
final class RaceObserver: Sendable {
    /// What exists in the namespace now.
    struct Progress: Sendable, CustomStringConvertible {
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

    private let models: Informer<InferenceModel>
    private let deployments: Informer<Deployment>
    private let services: Informer<Service>

    init(client: RESTClient, namespace: String, logger: Logger) {
        models = Informer(client: client, namespace: namespace, logger: logger)
        deployments = Informer(client: client, namespace: namespace, logger: logger)
        services = Informer(client: client, namespace: namespace, logger: logger)
    }

    func start() async throws {
        await models.start()
        await deployments.start()
        await services.start()
        try await models.waitForSync()
        try await deployments.waitForSync()
        try await services.waitForSync()
    }

    func progress() async -> Progress {
        var progress = Progress()
        for model in await models.list() {
            progress.models += 1
            if model.status?.url != nil { progress.modelsWithURL += 1 }
            if model.status?.conditions?.isTrue(.ready) == true { progress.modelsReady += 1 }
        }
        progress.deployments = await deployments.count
        progress.services = await services.count
        return progress
    }

    func stop() async {
        await models.stop()
        await deployments.stop()
        await services.stop()
    }
}
