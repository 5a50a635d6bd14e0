import Foundation
import KubeClient
import KubeModel
import Logging
import Testing
@testable import Controller

/// `InMemoryCluster` answers as a kube-apiserver does where a controller can tell.
@Suite struct InMemoryClusterTests {
    static func deployment(_ name: String, image: String = "serve:1") -> Deployment {
        Deployment(metadata: ObjectMeta(name: name, namespace: "apps", labels: ["app": name]),
                   spec: DeploymentSpec(selector: LabelSelector(matchLabels: ["app": name]),
                                        template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": name]),
                                                                  spec: PodSpec(containers: [Container(name: "serve", image: image)]))))
    }

    @Test("a create assigns uid, resourceVersion, generation and defaults, and drops the status it was sent")
    func createAsTheServerStores() async throws {
        let cluster = InMemoryCluster()
        var sent = Self.deployment("web")
        sent.status = DeploymentStatus(readyReplicas: 3)
        let created = try await cluster.create(sent)
        #expect(created.metadata.uid?.isEmpty == false)
        #expect(created.metadata.resourceVersion?.isEmpty == false)
        #expect(created.metadata.generation == 1)
        #expect(created.status == nil, "status is written through /status only")
        #expect(created.spec == sent.spec?.withServerDefaults(), "stored with the server's defaults")
        #expect(try await cluster.get(Deployment.self, namespace: "apps", name: "web") == created)
        #expect(await cluster.writes.map(\.description) == ["create deployments apps/web"])
    }

    @Test("a second create of a name is 409 AlreadyExists, worded as the server words it")
    func createOfAnExistingName() async throws {
        let cluster = InMemoryCluster()
        _ = try await cluster.create(Self.deployment("web"))
        let error = await #expect(throws: KubeAPIError.self) { _ = try await cluster.create(Self.deployment("web")) }
        #expect(error?.isAlreadyExists == true)
        #expect(error?.code == 409)
        #expect(error?.message == "deployments.apps \"web\" already exists")
        #expect(await cluster.writes.count == 1, "a refused write is not a write")
    }

    @Test("an update from a stale resourceVersion is 409 Conflict; from the current one it bumps version and generation")
    func optimisticConcurrency() async throws {
        let cluster = InMemoryCluster()
        let created = try await cluster.create(Self.deployment("web"))
        var changed = created
        changed.spec?.replicas = 3
        let updated = try await cluster.update(changed)
        #expect(updated.metadata.generation == 2)
        #expect(updated.metadata.resourceVersion != created.metadata.resourceVersion)
        var stale = created
        stale.spec?.replicas = 5
        let error = await #expect(throws: KubeAPIError.self) { _ = try await cluster.update(stale) }
        #expect(error?.isConflict == true)
        #expect(try await cluster.get(Deployment.self, namespace: "apps", name: "web")?.spec?.replicas == 3)
    }

    @Test("a no-op update keeps the resourceVersion (deployment-update-noop) and is still logged as sent")
    func noOpUpdate() async throws {
        let cluster = InMemoryCluster()
        let created = try await cluster.create(Self.deployment("web"))
        let again = try await cluster.update(created)
        #expect(again.metadata.resourceVersion == created.metadata.resourceVersion)
        #expect(await cluster.writes.map(\.verb) == [.create, .update])
    }

    @Test("update keeps the stored status; updateStatus changes only the status")
    func statusSubresource() async throws {
        let cluster = InMemoryCluster()
        var created = try await cluster.create(Self.deployment("web"))
        created.status = DeploymentStatus(readyReplicas: 2)
        created.spec?.replicas = 7
        let afterStatus = try await cluster.updateStatus(created)
        #expect(afterStatus.status?.readyReplicas == 2)
        #expect(afterStatus.spec?.replicas == 1, "the spec in a status update is ignored (defaulted 1 stays)")
        #expect(afterStatus.metadata.generation == 1)
        var withoutStatus = afterStatus
        withoutStatus.status = nil
        withoutStatus.spec?.replicas = 4
        let afterUpdate = try await cluster.update(withoutStatus)
        #expect(afterUpdate.status?.readyReplicas == 2)
        #expect(afterUpdate.spec?.replicas == 4)
    }

    @Test("reads, writes and deletes of a missing object are 404 (reads: nil)")
    func missingObjects() async throws {
        let cluster = InMemoryCluster()
        #expect(try await cluster.get(Deployment.self, namespace: "apps", name: "nope") == nil)
        var ghost = Self.deployment("nope")
        ghost.metadata.resourceVersion = "5"
        let update = await #expect(throws: KubeAPIError.self) { _ = try await cluster.update(ghost) }
        #expect(update?.isNotFound == true)
        #expect(update?.message == "deployments.apps \"nope\" not found")
        let delete = await #expect(throws: KubeAPIError.self) {
            try await cluster.delete(Deployment.self, namespace: "apps", name: "nope")
        }
        #expect(delete?.isNotFound == true)
    }

    @Test("a scripted failure is thrown in place of the call, the given number of times, for the given name only")
    func scriptedFailures() async throws {
        let cluster = InMemoryCluster()
        await cluster.failNext(.create, .deployments, name: "web", times: 2,
                               with: KubeAPIError.forbidden(.deployments, verb: "create", namespace: "apps"))
        _ = try await cluster.create(Self.deployment("other"))
        for _ in 0..<2 {
            let error = await #expect(throws: KubeAPIError.self) { _ = try await cluster.create(Self.deployment("web")) }
            #expect(error?.isForbidden == true)
        }
        _ = try await cluster.create(Self.deployment("web"))
        #expect(await cluster.writes.map(\.description) == ["create deployments apps/other", "create deployments apps/web"])
    }

    @Test("a Service gets a cluster IP and port defaults, and keeps its cluster IP across updates")
    func serviceDefaults() async throws {
        let cluster = InMemoryCluster()
        let service = Service(metadata: ObjectMeta(name: "web", namespace: "apps"),
                              spec: ServiceSpec(selector: ["app": "web"], ports: [ServicePort(port: 80, name: "http")]))
        let created = try await cluster.create(service)
        let clusterIP = try #require(created.spec?.clusterIP)
        #expect(created.spec?.type == "ClusterIP")
        #expect(created.spec?.ports?.first?.targetPort == .int(80))
        #expect(created.spec?.ports?.first?.protocol == "TCP")
        var edited = created
        edited.spec = ServiceSpec(selector: ["app": "web2"], ports: created.spec?.ports)
        let updated = try await cluster.update(edited)
        #expect(updated.spec?.clusterIP == clusterIP)
    }

    @Test("lists are sorted by key, narrowed by namespace, and indexed lookups evaluate the index")
    func listsAndIndexes() async throws {
        let cluster = InMemoryCluster()
        var owned = Self.deployment("b")
        owned.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Thing", name: "t", uid: "owner-1",
                                                         controller: true)]
        try await cluster.seed(owned)
        try await cluster.seed(Self.deployment("a"))
        var elsewhere = Self.deployment("c")
        elsewhere.metadata.namespace = "other"
        try await cluster.seed(elsewhere)
        #expect(try await cluster.list(Deployment.self).map(\.key) == ["apps/a", "apps/b", "other/c"])
        #expect(try await cluster.list(Deployment.self, namespace: "apps").map(\.key) == ["apps/a", "apps/b"])
        #expect(try await cluster.list(Deployment.self, index: .controllerUID, value: "owner-1").map(\.key) == ["apps/b"])
        #expect(await cluster.writes.isEmpty, "seeding is not a write of the code under test")
    }

    @Test("edit changes an object as someone else would: new resourceVersion, generation bumped for a spec change")
    func editBySomeoneElse() async throws {
        let cluster = InMemoryCluster()
        let created = try await cluster.create(Self.deployment("web"))
        await cluster.forgetWrites()
        let edited = try await cluster.edit(Deployment.self, namespace: "apps", name: "web") {
            $0.spec?.template.spec?.containers[0].image = "other:2"
        }
        #expect(edited.metadata.generation == 2)
        #expect(edited.metadata.resourceVersion != created.metadata.resourceVersion)
        #expect(await cluster.writes.isEmpty)
    }

    @Test("cluster-scoped objects are found whatever namespace a caller names")
    func clusterScoped() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"]], in: .nodes)
        #expect(try await cluster.get(.nodes, namespace: "ignored", name: "n1") != nil)
        #expect(try await cluster.list(.nodes, namespace: "ignored").count == 1)
        #expect(await cluster.remove(.nodes, namespace: nil, name: "n1"))
        #expect(try await cluster.list(.nodes).isEmpty)
    }
}

/// The event recorder writes through a `ClusterWriter`: Events are created, and repeats within
/// the window bump the count of the first one (a merge patch) instead of creating another.
@Suite struct EventRecorderTests {
    @Test func repeatsAggregateIntoOneEvent() async throws {
        let cluster = InMemoryCluster()
        let recorder = EventRecorder(writer: cluster, component: "test", host: "h", logger: Logger(label: "test"))
        let object = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps", uid: "u1")
        let start = Date()
        await recorder.record(object, type: .warning, reason: "Broken", message: "it broke", now: start)
        await recorder.record(object, type: .warning, reason: "Broken", message: "it broke", now: start.addingTimeInterval(5))
        await recorder.record(object, type: .normal, reason: "Fixed", message: "it works", now: start.addingTimeInterval(6))
        let events = try await cluster.list(Event.self, namespace: "apps")
        #expect(events.count == 2)
        let broken = try #require(events.first { $0.reason == "Broken" })
        #expect(broken.count == 2)
        #expect(broken.involvedObject.name == "web")
        #expect(await cluster.writes.map(\.verb) == [.create, .patch, .create])
    }

    @Test("a failed write is logged and swallowed: recording an event never fails the caller")
    func failedWriteIsSwallowed() async throws {
        let cluster = InMemoryCluster()
        await cluster.failNext(.create, .events, with: KubeAPIError.forbidden(.events, verb: "create", namespace: "apps"))
        let recorder = EventRecorder(writer: cluster, component: "test", host: "h", logger: Logger(label: "test"))
        await recorder.record(ObjectReference(kind: "Deployment", name: "web", namespace: "apps"), type: .normal,
                              reason: "R", message: "m")
        #expect(try await cluster.list(Event.self).isEmpty)
    }
}
