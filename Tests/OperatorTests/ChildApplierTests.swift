import Controller
import Foundation
import KubeClient
import KubeModel
import ModelAPI
@testable import Operator
import Testing

/// The applier against a cluster in memory that stores objects with the server's defaults.
@Suite struct ChildApplierTests {
    let cluster = InMemoryCluster()
    var applier: ChildApplier { ChildApplier(client: cluster) }

    /// A model as stored (with a uid) and the Deployment and Service it wants.
    func desired() async throws -> (model: InferenceModel, deployment: Deployment, service: Service) {
        let model = try await cluster.seed(ClusterScenario.imageModel())
        let state = DesiredState.render(model: model, choice: .image("registry.local/detector:1"), scheduling: .byScheduler,
                                        settings: OperatorSettings(fetchImage: "model-operator:test"))
        return (model, try #require(state.deployments.first), state.service)
    }

    @Test("a missing child is created")
    func create() async throws {
        let (model, deployment, _) = try await desired()
        let (applied, outcome) = try await applier.apply(deployment, existing: nil, owner: model)
        #expect(outcome == .created)
        #expect(applied.metadata.uid != nil)
        #expect(await cluster.writes.map(\.description) == ["create deployments vision/detector"])
    }

    @Test("a child that holds what the operator wants (as the server stored it, defaults and all) costs no write")
    func unchanged() async throws {
        let (model, deployment, service) = try await desired()
        let (storedDeployment, _) = try await applier.apply(deployment, existing: nil, owner: model)
        let (storedService, _) = try await applier.apply(service, existing: nil, owner: model)
        let serverCopy = try await cluster.get(Deployment.self, namespace: "vision", name: "detector")
        #expect(serverCopy?.spec != deployment.spec, "the server added its defaults")
        #expect(storedDeployment.metadata.uid == serverCopy?.metadata.uid)
        await cluster.forgetWrites()
        #expect(try await applier.apply(deployment, existing: storedDeployment, owner: model).1 == .unchanged)
        #expect(try await applier.apply(service, existing: storedService, owner: model).1 == .unchanged)
        #expect(await cluster.writes.isEmpty)
    }

    @Test("a child of this model that the cache has not seen yet is read, not created again")
    func createdButNotCachedYet() async throws {
        let (model, deployment, _) = try await desired()
        _ = try await applier.apply(deployment, existing: nil, owner: model)
        await cluster.forgetWrites()
        #expect(try await applier.apply(deployment, existing: nil, owner: model).1 == .unchanged)
        #expect(await cluster.writes.isEmpty)
    }

    @Test("drift is updated from the read resourceVersion, keeping what others added and the cluster IP")
    func drift() async throws {
        let (model, deployment, service) = try await desired()
        _ = try await applier.apply(deployment, existing: nil, owner: model)
        _ = try await applier.apply(service, existing: nil, owner: model)
        let assignedIP = try #require(try await cluster.get(Service.self, namespace: "vision", name: "detector")?.spec?.clusterIP)
        let editedDeployment = try await cluster.edit(Deployment.self, namespace: "vision", name: "detector") {
            $0.spec?.replicas = 5
            $0.metadata.annotations = ["team": "vision"]
        }
        let editedService = try await cluster.edit(Service.self, namespace: "vision", name: "detector") {
            $0.spec?.ports?[0].port = 9999
        }
        await cluster.forgetWrites()

        let (appliedDeployment, deploymentOutcome) = try await applier.apply(deployment, existing: CachedDeployment(editedDeployment),
                                                                               owner: model)
        #expect(deploymentOutcome == .updated)
        #expect(appliedDeployment.spec?.replicas == 1)
        #expect(appliedDeployment.metadata.annotations?["team"] == "vision")
        let (appliedService, serviceOutcome) = try await applier.apply(service, existing: CachedService(editedService),
                                                                       owner: model)
        #expect(serviceOutcome == .updated)
        #expect(appliedService.spec?.ports?.map(\.port) == [8080])
        let stored = try await cluster.get(Service.self, namespace: "vision", name: "detector")
        #expect(stored?.spec?.ports?.map(\.port) == [8080])
        #expect(stored?.spec?.clusterIP == assignedIP, "the update carried the cluster IP it read back")
        #expect(await cluster.writes.map(\.description) == ["update deployments vision/detector", "update services vision/detector"])
    }

    @Test("a Service is updated from a fresh read: what the cache does not keep, or has not seen yet, is sent back")
    func serviceUpdateReadsTheWholeService() async throws {
        let (model, _, service) = try await desired()
        let (cached, _) = try await applier.apply(service, existing: nil, owner: model)
        #expect(cached.spec?.clusterIP == nil && cached.spec?.ipFamilies == nil, "the cache keeps the owned spec only")
        let drifted = try await cluster.edit(Service.self, namespace: "vision", name: "detector") {
            $0.spec?.selector = ["app": "someone-else"]
        }
        let stale = CachedService(drifted)
        _ = try await cluster.edit(Service.self, namespace: "vision", name: "detector") {
            $0.metadata.labels?["team"] = "vision"  // Added after the cache's copy.
            $0.spec?.sessionAffinity = "ClientIP"
        }
        await cluster.forgetWrites()
        let (applied, outcome) = try await applier.apply(service, existing: stale, owner: model)
        #expect(outcome == .updated)
        #expect(applied.spec?.selector == service.spec?.selector)
        let stored = try #require(try await cluster.get(Service.self, namespace: "vision", name: "detector"))
        #expect(stored.spec?.selector == service.spec?.selector)
        #expect(stored.metadata.labels?["team"] == "vision", "a label added since the cache's copy is kept")
        #expect(stored.spec?.sessionAffinity == "ClientIP" && stored.spec?.clusterIP != nil)
        #expect(await cluster.writes.map(\.description) == ["update services vision/detector"])
    }

    @Test("an update from a stale read is a Conflict, and nothing is written")
    func staleRead() async throws {
        let (model, deployment, _) = try await desired()
        _ = try await applier.apply(deployment, existing: nil, owner: model)
        var stale = try #require(try await cluster.get(Deployment.self, namespace: "vision", name: "detector"))
        try await cluster.edit(Deployment.self, namespace: "vision", name: "detector") { $0.spec?.replicas = 3 }
        // The cache still holds an older, drifted version: the update carries its resourceVersion.
        stale.spec?.replicas = 4
        await cluster.forgetWrites()
        let error = await #expect(throws: KubeAPIError.self) {
            _ = try await applier.apply(deployment, existing: CachedDeployment(stale), owner: model)
        }
        #expect(error?.isConflict == true)
        #expect(await cluster.writes.isEmpty)
    }

    @Test("a child of the same name that another owner (or nobody) controls is a ChildConflict and is left alone")
    func foreignOwner() async throws {
        let (model, deployment, service) = try await desired()
        var foreignDeployment = deployment
        foreignDeployment.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "x",
                                                                     uid: "someone-else", controller: true)]
        let stored = try await cluster.seed(foreignDeployment)
        var unowned = service
        unowned.metadata.ownerReferences = nil
        try await cluster.seed(unowned)

        let fromCache = await #expect(throws: ChildConflict.self) { _ = try await applier.apply(deployment, existing: CachedDeployment(stored), owner: model) }
        #expect(fromCache?.message == "Deployment detector exists and is not owned by this InferenceModel; delete it or rename the model")
        await #expect(throws: ChildConflict.self) { _ = try await applier.apply(service, existing: nil, owner: model) }
        #expect(await cluster.writes.isEmpty)
        #expect(try await cluster.get(Deployment.self, namespace: "vision", name: "detector") == stored)
    }
}
