import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI
@testable import Operator
import Synchronization
import Testing

/// An operator over an `InMemoryCluster`: the real reconciler, verification gate (with a
/// `ScriptedVerifier`), placement coordinator and event recorder, reading and writing the
/// cluster in memory. `restarted()` is a fresh operator (nothing remembered) over the same cluster.
struct ClusterScenario {
    static let namespace = "vision"

    let cluster: InMemoryCluster
    let verifier = ScriptedVerifier()
    let reconciler: InferenceModelReconciler
    let gate: VerificationGate
    /// The models the gate requeued: their verification settled.
    private let settled: KeyLog

    init(cluster: InMemoryCluster = InMemoryCluster()) {
        let settled = KeyLog()
        let logger = Logger(label: "test")
        let gate = VerificationGate(verifier: verifier, credentialsSource: SecretCredentialsSource(reader: cluster),
                                    requeue: { settled.append($0) })
        let coordinator = PlacementCoordinator(cache: cluster, window: .milliseconds(1), logger: logger, requeue: { _ in })
        self.cluster = cluster
        self.gate = gate
        self.settled = settled
        reconciler = InferenceModelReconciler(
            caches: ModelCaches(cluster), client: cluster, gate: gate, scheduler: coordinator,
            events: EventRecorder(writer: cluster, component: "model-operator", logger: logger),
            settings: OperatorSettings(fetchImage: "model-operator:test"), logger: logger)
    }

    /// A new operator process over the same cluster: no gate, placement or throttle memory.
    func restarted() -> ClusterScenario { ClusterScenario(cluster: cluster) }

    // MARK: Models

    static func imageModel(_ name: String = "detector", image: String = "registry.local/detector:1") -> InferenceModel {
        InferenceModel(metadata: ObjectMeta(name: name, namespace: namespace),
                       spec: InferenceModelSpec(modelName: name, deployToLayer: .cloud, frameworkType: "tensorflow",
                                                image: image, servingPort: 8080, replicas: 1))
    }

    static let digest = String(repeating: "a", count: 64)

    /// An archive model: version 3 verifies, version 4's archive does not match its digest.
    static func archiveModel(_ name: String = "classifier", target: String = "3") -> InferenceModel {
        InferenceModel(metadata: ObjectMeta(name: name, namespace: namespace),
                       spec: InferenceModelSpec(
                        modelName: name, deployToLayer: .cloud, frameworkType: "tensorflow",
                        manifest: [
                            InferenceModelFile(version: "3", downloadURL: "http://127.0.0.1:1/good-3.tgz", sha256sum: digest),
                            InferenceModelFile(version: "4", downloadURL: "http://127.0.0.1:1/mismatch-4.tgz", sha256sum: digest),
                        ],
                        targetVersion: target, servingPort: 8080, replicas: 1))
    }

    static func key(_ model: InferenceModel) -> ObjectKey {
        ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "")
    }

    // MARK: Running

    /// Creates the model in the cluster (as kubectl would) and returns it as stored.
    @discardableResult
    func apply(_ model: InferenceModel) async throws -> InferenceModel {
        try await cluster.seed(model)
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        try await reconciler.reconcile(key)
    }

    /// Reconciles, waits until the gate settled the verification it started (it requeues the
    /// model then), and reconciles again: what a controller does with the gate's requeue.
    func reconcileThroughVerification(_ key: ObjectKey) async throws {
        settled.removeAll()
        _ = try await reconcile(key)
        try await VerificationGateTests.waitFor { settled.contains(key) }
        _ = try await reconcile(key)
    }

    // MARK: Reading the cluster

    func model(_ key: ObjectKey) async throws -> InferenceModel? {
        try await cluster.get(InferenceModel.self, key)
    }

    func condition(_ type: ModelConditionType, of key: ObjectKey) async throws -> ModelCondition? {
        try await model(key)?.status?.condition(type)
    }

    func deployment(_ name: String) async throws -> Deployment? {
        try await cluster.get(Deployment.self, namespace: Self.namespace, name: name)
    }

    func service(_ name: String) async throws -> Service? {
        try await cluster.get(Service.self, namespace: Self.namespace, name: name)
    }

    /// The writes to anything but Events, as `verb resource namespace/name`.
    func objectWrites() async -> [String] {
        await cluster.writes.filter { $0.resource != .events }.map(\.description)
    }

    /// The reasons of the Events recorded so far.
    func eventReasons() async throws -> [String] {
        try await cluster.list(Event.self).compactMap(\.reason)
    }

    /// Marks the model's Deployments rolled out and available, as the deployment controller would.
    func rollOut(_ names: [String]) async throws {
        for name in names {
            try await cluster.edit(Deployment.self, namespace: Self.namespace, name: name) { deployment in
                let replicas = deployment.spec?.replicas ?? 1
                deployment.status = DeploymentStatus(observedGeneration: deployment.metadata.generation, replicas: replicas,
                                                     updatedReplicas: replicas, readyReplicas: replicas,
                                                     availableReplicas: replicas)
            }
        }
    }
}

/// Keys some callback was given, readable from the test.
final class KeyLog: Sendable {
    private let keys = Mutex<[ObjectKey]>([])

    func append(_ key: ObjectKey) { keys.withLock { $0.append(key) } }
    func contains(_ key: ObjectKey) -> Bool { keys.withLock { $0.contains(key) } }
    func removeAll() { keys.withLock { $0.removeAll() } }
    var all: [ObjectKey] { keys.withLock { $0 } }
}
