import Foundation
import KubeModel
import ModelAPI
@testable import Operator
import Testing

/// The applier's comparison against what a real kube-apiserver 1.25 returned
/// (`../shared/fixtures/kube-apiserver-1.25/`): server defaults, canonical quantities, objects
/// without `kind`/`apiVersion` (list items) and `managedFields` are no difference; hand edits are.
@Suite struct OwnedFieldsTests {
    static func fixture(_ name: String) throws -> JSONValue {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/kube-apiserver-1.25")
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue?) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(try #require(value)))
    }

    /// What was sent, and what the server returned for it.
    static func deploymentPair() throws -> (sent: Deployment, stored: Deployment, listed: Deployment) {
        let sent = try decode(Deployment.self, fixture("deployment-create")[path: ["request", "body"]])
        let stored = try decode(Deployment.self, fixture("deployment-get")["body"])
        let listed = try decode(Deployment.self, fixture("deployment-list")[path: ["body", "items"]]?[0])
        return (sent, stored, listed)
    }

    @Test func aDeploymentAsTheServerStoresItMatchesWhatWasSent() throws {
        let (sent, stored, listed) = try Self.deploymentPair()
        #expect(stored.spec?.template.spec?.containers[0].resources?.requests?["cpu"]?.description == "500m",
                "the server answered the quantity 0.5 in its canonical spelling")
        #expect(listed.kind == nil && listed.apiVersion == nil, "list items of built-in kinds carry no TypeMeta")
        #expect(OwnedFields.matches(sent, asCached(stored)))
        #expect(OwnedFields.matches(sent, asCached(listed)))
    }

    @Test func serverDefaultsAreIdempotentAndReproduceTheStoredSpec() throws {
        let (sent, stored, _) = try Self.deploymentPair()
        let defaulted = try #require(sent.spec?.withServerDefaults())
        #expect(defaulted.withServerDefaults() == defaulted)
        var storedSpec = try #require(stored.spec)
        storedSpec.template.metadata?.creationTimestamp = nil
        #expect(defaulted == storedSpec.withServerDefaults())
        #expect(defaulted.template.spec?.containers[0].imagePullPolicy == "IfNotPresent")
        #expect(defaulted.revisionHistoryLimit == 10 && defaulted.progressDeadlineSeconds == 600)
    }

    @Test func imagePullPolicyDefaultsAsTheServerDoes() {
        #expect(Container.defaultPullPolicy(image: "nginx") == "Always")
        #expect(Container.defaultPullPolicy(image: "nginx:latest") == "Always")
        #expect(Container.defaultPullPolicy(image: "reg.example:5000/nginx") == "Always")
        #expect(Container.defaultPullPolicy(image: "reg.example:5000/nginx:1.2") == "IfNotPresent")
        #expect(Container.defaultPullPolicy(image: "nginx@sha256:abc") == "IfNotPresent")
    }

    @Test func whatOthersAddToMetadataIsNoDifference() throws {
        let (sent, stored, _) = try Self.deploymentPair()
        var edited = stored
        edited.metadata.annotations = ["deployment.kubernetes.io/revision": "1"]
        edited.spec?.template.metadata?.annotations = ["kubectl.kubernetes.io/restartedAt": "2026-12-04T10:00:00Z"]
        edited.metadata.labels?["team"] = "vision"
        #expect(OwnedFields.matches(sent, asCached(edited)))
    }

    @Test func handEditsOfThePodTemplateAreDifferences() throws {
        let (sent, stored, _) = try Self.deploymentPair()
        var hostNetwork = stored
        hostNetwork.spec?.template.spec?.hostNetwork = true
        #expect(!OwnedFields.matches(sent, asCached(hostNetwork)))
        var selector = stored
        selector.spec?.template.spec?.nodeSelector = ["disk": "ssd"]
        #expect(!OwnedFields.matches(sent, asCached(selector)))
        var image = stored
        image.spec?.template.spec?.containers[0].image = "reg.example/serving:2"
        #expect(!OwnedFields.matches(sent, asCached(image)))
        var replicas = stored
        replicas.spec?.replicas = 5
        #expect(!OwnedFields.matches(sent, asCached(replicas)))
        var memory = stored
        memory.spec?.template.spec?.containers[0].resources?.limits?["memory"] = "2Gi"
        #expect(!OwnedFields.matches(sent, asCached(memory)))
        var label = stored
        label.metadata.labels?["ai.kubeedge.io/inferencemodel"] = "other"
        #expect(!OwnedFields.matches(sent, asCached(label)))
    }

    @Test func aServiceAsTheServerStoresItMatchesWhatWasSent() throws {
        let sent = try Self.decode(Service.self, Self.fixture("service-create")[path: ["request", "body"]])
        let stored = try Self.decode(Service.self, Self.fixture("service-get")["body"])
        let listed = try Self.decode(Service.self, Self.fixture("service-list")[path: ["body", "items"]]?[0])
        #expect(OwnedFields.matches(sent, asCached(stored)))
        #expect(OwnedFields.matches(sent, asCached(listed)))
        var assignedNodePort = stored
        assignedNodePort.spec?.ports?[0].nodePort = 30080
        #expect(OwnedFields.matches(sent, asCached(assignedNodePort)), "node ports are the server's")
    }

    @Test func handEditsOfAServiceAreDifferences() throws {
        let sent = try Self.decode(Service.self, Self.fixture("service-create")[path: ["request", "body"]])
        let stored = try Self.decode(Service.self, Self.fixture("service-get")["body"])
        var port = stored
        port.spec?.ports?[0].port = 9000
        #expect(!OwnedFields.matches(sent, asCached(port)))
        var target = stored
        target.spec?.ports?[0].targetPort = .int(9000)
        #expect(!OwnedFields.matches(sent, asCached(target)))
        var selector = stored
        selector.spec?.selector = ["app": "other"]
        #expect(!OwnedFields.matches(sent, asCached(selector)))
        var type = stored
        type.spec?.type = "NodePort"
        #expect(!OwnedFields.matches(sent, asCached(type)))
    }

    @Test func theOperatorsRenderedDeploymentMatchesItsServerDefaultedSelf() throws {
        let model = RenderFixtures.model()
        let desired = try #require(DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                                       scheduling: .byScheduler, settings: OperatorSettings()).deployments.first)
        var stored = desired
        stored.kind = nil
        stored.apiVersion = nil
        stored.metadata.uid = "server-uid"
        stored.metadata.resourceVersion = "42"
        stored.spec = desired.spec?.withServerDefaults()
        #expect(OwnedFields.matches(desired, asCached(stored)))
    }
}

/// A Deployment as the operator's cache keeps it (a projection with the owned-spec digest).
private func asCached(_ deployment: Deployment) -> CachedDeployment { CachedDeployment(deployment) }

/// A Service as the operator's cache keeps it (metadata and the owned spec).
private func asCached(_ service: Service) -> CachedService { CachedService(service) }
