import KubeModel
import LocalCluster
import ModelAPI

/// Follows the race on the in-process LocalCluster by counting its stored objects directly:
/// no watch, no JSON. Observing through informers (``RaceObserver``) cost the benchmark's
/// process a watch of every model, Deployment and Service, encoded and decoded, CPU that the
/// operator it measures then lacked on a 2-core machine. A poll reads every model once (about
/// a millisecond per 10,000), so it polls every ``pollInterval``.
final class LocalClusterRaceObserver: RaceObserving {
    private let cluster: LocalCluster
    private let namespace: String

    init(cluster: LocalCluster, namespace: String) {
        self.cluster = cluster
        self.namespace = namespace
    }

    var pollInterval: Duration { .milliseconds(100) }

    func start() async throws {}

    func progress() async -> RaceProgress {
        var progress = RaceProgress()
        progress.deployments = (try? await cluster.count(.deployments, namespace: namespace)) ?? 0
        progress.services = (try? await cluster.count(.services, namespace: namespace)) ?? 0
        progress.models = (try? await cluster.count(InferenceModel.gvr, namespace: namespace)) ?? 0
        progress.modelsWithURL = (try? await cluster.count(InferenceModel.gvr, namespace: namespace) { model in
            model[path: ["status", "url"]]?.stringValue != nil
        }) ?? 0
        progress.modelsReady = (try? await cluster.count(InferenceModel.gvr, namespace: namespace) { model in
            (model[path: ["status", "conditions"]]?.arrayValue ?? [])
                .contains { $0["type"] == "Ready" && $0["status"] == "True" }
        }) ?? 0
        return progress
    }

    func stop() async {}
}
