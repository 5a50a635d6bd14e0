import Controller
import Foundation
import KubeClient
import KubeModel
import ModelAPI
@testable import Operator
import Testing

/// The reconciler against a cluster in memory: what it writes, and what it leaves alone.
@Suite struct InferenceModelReconcilerTests {
    typealias Scenario = ClusterScenario

    private static func image(of deployment: Deployment?) -> [String?] {
        deployment?.spec?.template.spec?.containers.map(\.image) ?? []
    }

    /// An image model applied, reconciled, rolled out and reconciled again: serving and Ready.
    private func serving(_ scenario: Scenario, _ model: InferenceModel = Scenario.imageModel()) async throws -> ObjectKey {
        let key = Scenario.key(try await scenario.apply(model))
        _ = try await scenario.reconcile(key)
        try await scenario.rollOut([model.metadata.name ?? ""])
        _ = try await scenario.reconcile(key)
        return key
    }

    @Test("a valid image model gets a Deployment and a Service it controls, a status, and its URL once it serves")
    func validImageModel() async throws {
        let scenario = Scenario()
        let model = try await scenario.apply(Scenario.imageModel())
        let key = Scenario.key(model)
        #expect(try await scenario.reconcile(key) == .done)

        let deployment = try #require(try await scenario.deployment("detector"))
        #expect(Self.image(of: deployment) == ["registry.local/detector:1"])
        #expect(deployment.metadata.ownerReferences?.first { $0.controller == true }?.uid == model.metadata.uid)
        let service = try #require(try await scenario.service("detector"))
        #expect(service.spec?.ports?.map(\.port) == [8080])
        #expect(service.metadata.ownerReferences?.first { $0.controller == true }?.uid == model.metadata.uid)
        let status = try #require(try await scenario.model(key)?.status)
        #expect(status.url == nil, "nothing serves yet")
        #expect(status.observedGeneration == 1)
        #expect(status.condition(.verified)?.reason == .imageBased)
        #expect(await scenario.objectWrites() == [
            "create services vision/detector", "create deployments vision/detector",
            "updateStatus inferencemodels vision/detector",
        ])

        try await scenario.rollOut(["detector"])
        _ = try await scenario.reconcile(key)
        #expect(try await scenario.condition(.ready, of: key)?.status == .true)
        #expect(try await scenario.model(key)?.status?.url == "http://detector.vision.svc:8080")
    }

    @Test("bad input: the status says InvalidSpec and the serving Deployment and Service are not touched")
    func badInput() async throws {
        let scenario = Scenario()
        let key = try await serving(scenario)
        let deployment = try await scenario.deployment("detector")
        let service = try await scenario.service("detector")
        try await scenario.cluster.edit(InferenceModel.self, namespace: key.namespace, name: key.name) {
            $0.spec.servingPort = 70000
        }
        await scenario.cluster.forgetWrites()

        #expect(try await scenario.reconcile(key) == .done)
        let ready = try #require(try await scenario.condition(.ready, of: key))
        #expect(ready.status == .false)
        #expect(ready.reason == .invalidSpec)
        #expect(ready.message.contains("servingPort"), "\(ready.message)")
        #expect(await scenario.objectWrites() == ["updateStatus inferencemodels vision/detector"])
        #expect(try await scenario.deployment("detector") == deployment)
        #expect(try await scenario.service("detector") == service)
    }

    @Test("a conflict on update fails the reconcile as a Conflict (the controller retries it), and the retry writes")
    func conflictIsRetried() async throws {
        let scenario = Scenario()
        let key = try await serving(scenario)
        try await scenario.cluster.edit(InferenceModel.self, namespace: key.namespace, name: key.name) {
            $0.spec.image = "registry.local/detector:2"
        }
        await scenario.cluster.failNext(.update, .deployments, name: "detector",
                                        with: KubeAPIError.conflict(.deployments, name: "detector"))
        let error = await #expect(throws: KubeAPIError.self) { _ = try await scenario.reconcile(key) }
        #expect(error?.isConflict == true)
        #expect(Self.image(of: try await scenario.deployment("detector")) == ["registry.local/detector:1"])

        _ = try await scenario.reconcile(key)
        #expect(Self.image(of: try await scenario.deployment("detector")) == ["registry.local/detector:2"])
    }

    @Test("a target version that fails verification: Verified=False with the reason, the Deployment keeps serving the old version")
    func verificationFailure() async throws {
        let scenario = Scenario()
        let key = Scenario.key(try await scenario.apply(Scenario.archiveModel(target: "3")))
        try await scenario.reconcileThroughVerification(key)
        let annotations = { (deployment: Deployment?) in deployment?.spec?.template.metadata?.annotations ?? [:] }
        #expect(annotations(try await scenario.deployment("classifier"))[ModelLabels.servingVersionAnnotation] == "3")
        try await scenario.rollOut(["classifier"])
        _ = try await scenario.reconcile(key)
        #expect(try await scenario.model(key)?.status?.servingVersion == "3")
        let before = try await scenario.deployment("classifier")

        try await scenario.cluster.edit(InferenceModel.self, namespace: key.namespace, name: key.name) {
            $0.spec.targetVersion = "4"
        }
        await scenario.cluster.forgetWrites()
        try await scenario.reconcileThroughVerification(key)

        let verified = try #require(try await scenario.condition(.verified, of: key))
        #expect(verified.status == .false)
        #expect(verified.reason == .checksumMismatch)
        #expect(verified.message.contains("version 4"), "\(verified.message)")
        #expect(try await scenario.condition(.available, of: key)?.status == .true, "version 3 still serves")
        #expect(try await scenario.deployment("classifier") == before)
        #expect(await scenario.objectWrites().allSatisfy { $0.hasPrefix("updateStatus inferencemodels") })
    }

    @Test("a Service of the same name that another owner has: NotOwned in the status, nothing taken over, looked at again later")
    func foreignService() async throws {
        let scenario = Scenario()
        let foreign = try await scenario.cluster.seed(Service(
            metadata: ObjectMeta(name: "detector", namespace: Scenario.namespace, labels: ["app": "someone-else"]),
            spec: ServiceSpec(selector: ["app": "someone-else"], ports: [ServicePort(port: 80)])))
        let key = Scenario.key(try await scenario.apply(Scenario.imageModel()))

        #expect(try await scenario.reconcile(key) == ReconcileResult(requeueAfter: .seconds(30)))
        let ready = try #require(try await scenario.condition(.ready, of: key))
        #expect(ready.reason == .notOwned)
        #expect(ready.message.contains("Service detector exists and is not owned by this InferenceModel"), "\(ready.message)")
        #expect(try await scenario.service("detector") == foreign)
        #expect(try await scenario.deployment("detector") == nil)
        #expect(await scenario.objectWrites() == ["updateStatus inferencemodels vision/detector"])
    }

    @Test("a hand edit of the Deployment's pod template is reverted, with an Event that says so")
    func driftIsReverted() async throws {
        let scenario = Scenario()
        let key = try await serving(scenario)
        try await scenario.cluster.edit(Deployment.self, namespace: Scenario.namespace, name: "detector") {
            $0.spec?.template.spec?.containers[0].image = "elsewhere/miner:1"
            $0.spec?.template.metadata?.labels?["added-by-hand"] = "yes"
        }
        await scenario.cluster.forgetWrites()

        _ = try await scenario.reconcile(key)
        let deployment = try await scenario.deployment("detector")
        #expect(Self.image(of: deployment) == ["registry.local/detector:1"])
        #expect(deployment?.spec?.template.metadata?.labels?["added-by-hand"] == "yes", "labels others add are kept")
        #expect(await scenario.objectWrites().contains("update deployments vision/detector"))
        #expect(try await scenario.eventReasons().contains("CorrectedDeployment"))
    }

    @Test("a restart with everything up to date writes nothing and downloads nothing")
    func restartWritesNothing() async throws {
        let scenario = Scenario()
        let image = try await serving(scenario)
        let archive = Scenario.key(try await scenario.apply(Scenario.archiveModel(target: "3")))
        try await scenario.reconcileThroughVerification(archive)
        try await scenario.rollOut(["classifier"])
        _ = try await scenario.reconcile(archive)
        #expect(try await scenario.condition(.ready, of: archive)?.status == .true)

        let restarted = scenario.restarted()
        await restarted.cluster.forgetWrites()
        #expect(try await restarted.reconcile(image) == .done)
        #expect(try await restarted.reconcile(archive) == .done)
        #expect(await restarted.cluster.writes == [])
        #expect(restarted.verifier.started.isEmpty, "status.verified vouches for version 3")
    }

    @Test("a model that is gone is forgotten without a write")
    func deletedModel() async throws {
        let scenario = Scenario()
        #expect(try await scenario.reconcile(ObjectKey("vision/nothing")) == .done)
        #expect(await scenario.cluster.writes == [])
    }
}

/// Only the model's own pods speak for it: a fetch failure reaches the status when the pod's
/// ReplicaSet (read from the server) belongs to one of the model's Deployments, not when a pod
/// merely carries the model's labels.
@Suite struct FetchFailureOwnershipTests {
    typealias Scenario = ClusterScenario

    static func failingPod(_ name: String, replicaSet: String, replicaSetUID: String, message: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": .string(Scenario.namespace),
                      "labels": [ModelLabels.model: "classifier"],
                      "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(replicaSet),
                                           "uid": .string(replicaSetUID), "controller": true]]],
         "spec": ["nodeName": "node-1", "containers": [["name": "serve"]]],
         "status": ["initContainerStatuses": [["name": "fetch-model", "ready": false, "restartCount": 1,
                                               "state": ["terminated": ["exitCode": 1, "message": .string(message)]]]]]]
    }

    @Test func aPodOfTheModelsReplicaSetReportsAndALookalikeDoesNot() async throws {
        let scenario = Scenario()
        let key = Scenario.key(try await scenario.apply(Scenario.archiveModel(target: "3")))
        try await scenario.reconcileThroughVerification(key)
        let deployment = try #require(try await scenario.deployment("classifier"))
        try await scenario.cluster.seed(
            ["apiVersion": "apps/v1", "kind": "ReplicaSet",
             "metadata": ["name": "classifier-7d9", "namespace": .string(Scenario.namespace), "uid": "rs-1",
                          "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "classifier",
                                               "uid": .string(deployment.metadata.uid ?? ""), "controller": true]]]],
            in: ReplicaSetOwnership.replicaSets)
        try await scenario.cluster.seed(Self.failingPod("classifier-7d9-x1", replicaSet: "classifier-7d9", replicaSetUID: "rs-1",
                                                        message: "no space left on device"), in: .pods)
        try await scenario.cluster.seed(Self.failingPod("lookalike", replicaSet: "made-up", replicaSetUID: "rs-9",
                                                        message: "the archive is poisoned"), in: .pods)

        _ = try await scenario.reconcile(key)
        let message = try #require(try await scenario.model(key)?.status?.message)
        #expect(message.contains("pod classifier-7d9-x1 on node node-1: model fetch failed: no space left on device"), "\(message)")
        #expect(!message.contains("poisoned") && !message.contains("more pods"), "\(message)")
    }
}
