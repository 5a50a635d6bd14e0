import KubeModel
import LocalCluster
import ModelAPI
import Synchronization

/// Follows the race on the in-process LocalCluster through in-process watches of its models,
/// Deployments and Services: the stored objects themselves, no HTTP and no JSON. Observing
/// through informers (``RaceObserver``) cost the benchmark's process a watch of every model,
/// Deployment and Service, encoded and decoded, CPU that the operator it measures then lacked
/// on a 2-core machine; counting the store on each poll held the store's actor instead.
final class LocalClusterRaceObserver: RaceObserving {
    /// The keys present, and the models with a `status.url` and Ready, kept current per change.
    private struct Tally {
        var models = Set<String>()
        var withURL = Set<String>()
        var ready = Set<String>()
        var deployments = Set<String>()
        var services = Set<String>()
    }

    private let cluster: LocalCluster
    private let namespace: String
    private let tally = Mutex(Tally())
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(cluster: LocalCluster, namespace: String) {
        self.cluster = cluster
        self.namespace = namespace
    }

    var pollInterval: Duration { .milliseconds(20) }

    func start() async throws {
        let models = try await cluster.changes(of: InferenceModel.gvr, namespace: namespace)
        let deployments = try await cluster.changes(of: .deployments, namespace: namespace)
        let services = try await cluster.changes(of: .services, namespace: namespace)
        let started = [
            Task { [self] in for await (type, model) in models { recordModel(type, model) } },
            Task { [self] in for await (type, object) in deployments { record(type, object, \Tally.deployments) } },
            Task { [self] in for await (type, object) in services { record(type, object, \Tally.services) } },
        ]
        tasks.withLock { $0 = started }
    }

    func progress() async -> RaceProgress {
        tally.withLock { tally in
            RaceProgress(models: tally.models.count, modelsWithURL: tally.withURL.count, modelsReady: tally.ready.count,
                         deployments: tally.deployments.count, services: tally.services.count)
        }
    }

    func stop() async {
        tasks.withLock { tasks in
            for task in tasks { task.cancel() }
            tasks = []
        }
    }

    private func recordModel(_ type: WatchEventType, _ model: JSONValue) {
        let name = model[path: ["metadata", "name"]]?.stringValue ?? ""
        let gone = type == .deleted
        let hasURL = !gone && model[path: ["status", "url"]]?.stringValue != nil
        let isReady = !gone && (model[path: ["status", "conditions"]]?.arrayValue ?? [])
            .contains { $0["type"] == "Ready" && $0["status"] == "True" }
        tally.withLock { tally in
            Self.set(&tally.models, name, !gone)
            Self.set(&tally.withURL, name, hasURL)
            Self.set(&tally.ready, name, isReady)
        }
    }

    private func record(_ type: WatchEventType, _ object: JSONValue, _ keys: WritableKeyPath<Tally, Set<String>>) {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        tally.withLock { Self.set(&$0[keyPath: keys], name, type != .deleted) }
    }

    private static func set(_ keys: inout Set<String>, _ name: String, _ present: Bool) {
        if present { keys.insert(name) } else { keys.remove(name) }
    }
}
