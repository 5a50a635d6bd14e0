import Foundation
import Testing
@testable import KubeClient
import KubeModel

/// A stored-looking Deployment for replies.
private let storedDeployment: JSONValue = [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": ["name": "web", "namespace": "prod", "resourceVersion": "42", "uid": "u-1", "generation": 2],
    "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web"]], "template": [:]],
]

/// A transport that answers every request with `reply` and records it.
private func recording(_ reply: ScriptedReply = .json(200, storedDeployment)) -> (RESTClient, ScriptedTransport) {
    let transport = ScriptedTransport(always: reply)
    return (RESTClient(transport: transport), transport)
}

private func bodyJSON(_ request: HTTPRequest?) throws -> JSONValue {
    try JSONValue.parse(try #require(request?.body))
}

@Suite struct RESTClientRequestTests {
    @Test func getBuildsTheObjectPath() async throws {
        let (client, transport) = recording()
        let deployment = try await client.get(Deployment.self, namespace: "prod", name: "web")
        #expect(deployment.spec?.replicas == 3)
        let request = try #require(await transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.body == nil)
    }

    @Test func coreAndClusterScopedPaths() async throws {
        let (client, transport) = recording(.json(200, ["metadata": ["name": "n1"]]))
        _ = try await client.get(.nodes, name: "n1")
        _ = try await client.get(.pods, namespace: "kube-system", name: "p", subresource: "status")
        _ = try await client.get(.inferenceModels, namespace: "default", name: "resnet50")
        let paths = await transport.requests.map(\.path)
        #expect(paths == ["/api/v1/nodes/n1", "/api/v1/namespaces/kube-system/pods/p/status",
                          "/apis/ai.kubeedge.io/v1alpha1/namespaces/default/inferencemodels/resnet50"])
    }

    @Test func listQueryCarriesSelectorsPagingAndVersion() async throws {
        let (client, transport) = recording(.json(200, ["kind": "PodList", "metadata": ["resourceVersion": "5"], "items": []]))
        let options = ListOptions(labelSelector: "app=web,tier in (a,b)", fieldSelector: "spec.nodeName=n1", limit: 50,
                                  continueToken: "abc=", resourceVersion: "0")
        _ = try await client.list(.pods, namespace: "prod", options: options)
        let request = try #require(await transport.requests.first)
        #expect(pathOnly(request.path) == "/api/v1/namespaces/prod/pods")
        #expect(queryItems(of: request.path) == ["labelSelector": "app=web,tier in (a,b)", "fieldSelector": "spec.nodeName=n1",
                                                 "limit": "50", "continue": "abc=", "resourceVersion": "0"])
        // Reserved characters are escaped rather than sent raw.
        #expect(request.path.contains("labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29"))
    }

    @Test func listAllFollowsContinueTokens() async throws {
        let transport = ScriptedTransport { index, _ in
            switch index {
            case 0: return .json(200, ["metadata": ["resourceVersion": "100", "continue": "t1", "remainingItemCount": 3],
                                       "items": [["metadata": ["name": "a"]], ["metadata": ["name": "b"]]]])
            case 1: return .json(200, ["metadata": ["resourceVersion": "100", "continue": "t2"],
                                       "items": [["metadata": ["name": "c"]], ["metadata": ["name": "d"]]]])
            default: return .json(200, ["metadata": ["resourceVersion": "100"], "items": [["metadata": ["name": "e"]]]])
            }
        }
        let list = try await RESTClient(transport: transport).listAll(.configMaps, namespace: "prod",
                                                                       options: ListOptions(limit: 2))
        #expect(list.items.map(\.objectKey.name) == ["a", "b", "c", "d", "e"])
        #expect(list.metadata.resourceVersion == "100")
        #expect(list.metadata.continue == nil)
        let queries = await transport.requests.map { queryItems(of: $0.path) }
        #expect(queries == [["limit": "2"], ["limit": "2", "continue": "t1"], ["limit": "2", "continue": "t2"]])
    }

    @Test func createPostsToTheCollectionWithoutNulls() async throws {
        let (client, transport) = recording()
        var deployment = Deployment(metadata: ObjectMeta(name: "web", namespace: "prod", labels: ["app": "web"]),
                                    spec: DeploymentSpec(replicas: 3, selector: LabelSelector(matchLabels: ["app": "web"])))
        deployment.apiVersion = nil
        _ = try await client.create(deployment, options: WriteOptions(fieldManager: "model-operator"))
        let request = try #require(await transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments?fieldManager=model-operator")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try bodyJSON(request)
        #expect(!body.containsNull)
        #expect(body == [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "prod", "labels": ["app": "web"]],
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web"]], "template": [:]],
        ])
    }

    @Test func updatePutsTheObjectWithItsResourceVersion() async throws {
        let (client, transport) = recording()
        var deployment = try storedDeployment.decode(as: Deployment.self)
        deployment.spec?.replicas = 5
        _ = try await client.update(deployment)
        let request = try #require(await transport.requests.first)
        #expect(request.method == "PUT")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web")
        let body = try bodyJSON(request)
        #expect(body[path: ["metadata", "resourceVersion"]] == "42")
        #expect(body[path: ["spec", "replicas"]] == 5)
        #expect(!body.containsNull)
    }

    @Test func updateWithoutResourceVersionIsRefusedBeforeSending() async throws {
        let (client, transport) = recording()
        let blind = Deployment(metadata: ObjectMeta(name: "web", namespace: "prod"))
        await #expect(throws: KubeClientError.self) { try await client.update(blind) }
        await #expect(throws: KubeClientError.self) {
            try await client.update(.configMaps, namespace: "prod", body: ["metadata": ["name": "c"]])
        }
        #expect(await transport.requests.isEmpty)
    }

    @Test func namespacedResourcesNeedANamespace() async throws {
        let (client, _) = recording()
        do {
            _ = try await client.get(.deployments, name: "web")
            Issue.record("sent a namespaced get without namespace")
        } catch {
            #expect("\(error)".contains("deployments are namespaced"))
        }
    }

    @Test(arguments: [
        (Patch.merge(["spec": ["replicas": 2]]), "application/merge-patch+json"),
        (Patch.strategicMerge(["spec": ["replicas": 2]]), "application/strategic-merge-patch+json"),
    ])
    func mergePatchesCarryTheirContentType(patch: Patch, contentType: String) async throws {
        let (client, transport) = recording()
        _ = try await client.patch(.deployments, namespace: "prod", name: "web", patch: patch)
        let request = try #require(await transport.requests.first)
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web")
        #expect(request.headers["Content-Type"] == contentType)
        #expect(try bodyJSON(request) == ["spec": ["replicas": 2]])
    }

    @Test func jsonPatchSendsOperations() async throws {
        let (client, transport) = recording()
        _ = try await client.patch(.deployments, namespace: "prod", name: "web", patch: .json([
            .test("/metadata/resourceVersion", "42"), .replace("/spec/replicas", 4),
            .remove("/metadata/labels/app.kubernetes.io~1name"),
        ]))
        let request = try #require(await transport.requests.first)
        #expect(request.headers["Content-Type"] == "application/json-patch+json")
        #expect(try bodyJSON(request) == [
            ["op": "test", "path": "/metadata/resourceVersion", "value": "42"],
            ["op": "replace", "path": "/spec/replicas", "value": 4],
            ["op": "remove", "path": "/metadata/labels/app.kubernetes.io~1name"],
        ])
    }

    @Test func serverSideApplySendsFieldManagerAndForce() async throws {
        let (client, transport) = recording()
        let desired = Deployment(metadata: ObjectMeta(name: "web", namespace: "prod"),
                                 spec: DeploymentSpec(replicas: 3))
        _ = try await client.apply(desired, fieldManager: "model-operator", force: true)
        let request = try #require(await transport.requests.first)
        #expect(request.method == "PATCH")
        #expect(pathOnly(request.path) == "/apis/apps/v1/namespaces/prod/deployments/web")
        #expect(queryItems(of: request.path) == ["fieldManager": "model-operator", "force": "true"])
        #expect(request.headers["Content-Type"] == "application/apply-patch+yaml")
        let body = try bodyJSON(request)
        #expect(body["apiVersion"] == "apps/v1" && body["kind"] == "Deployment")
        #expect(!body.containsNull)
        #expect(body["status"] == nil)
    }

    @Test func applyWithoutFieldManagerIsRefused() async throws {
        let (client, transport) = recording()
        await #expect(throws: KubeClientError.self) {
            try await client.patch(.deployments, namespace: "prod", name: "web", patch: .apply(["spec": [:]]))
        }
        #expect(await transport.requests.isEmpty)
    }

    @Test func statusSubresourceVerbs() async throws {
        let (client, transport) = recording()
        var deployment = try storedDeployment.decode(as: Deployment.self)
        deployment.status = DeploymentStatus(observedGeneration: 2, readyReplicas: 3)
        _ = try await client.updateStatus(deployment)
        _ = try await client.getStatus(Deployment.self, namespace: "prod", name: "web")
        _ = try await client.patchStatus(.inferenceModels, namespace: "default", name: "m",
                                         patch: .merge(["status": ["url": "http://m.default.svc:8080"]]))
        let requests = await transport.requests
        #expect(requests.map(\.method) == ["PUT", "GET", "PATCH"])
        #expect(requests.map(\.path) == [
            "/apis/apps/v1/namespaces/prod/deployments/web/status",
            "/apis/apps/v1/namespaces/prod/deployments/web/status",
            "/apis/ai.kubeedge.io/v1alpha1/namespaces/default/inferencemodels/m/status",
        ])
        #expect(try bodyJSON(requests[0])[path: ["status", "readyReplicas"]] == 3)
    }

    @Test func deleteSendsPropagationAndPreconditions() async throws {
        let (client, transport) = recording(.json(200, ["kind": "Status", "status": "Success"]))
        try await client.delete(Deployment.self, namespace: "prod", name: "web",
                                options: DeleteOptions(propagationPolicy: .foreground, preconditionUID: "u-1",
                                                       preconditionResourceVersion: "42"))
        let request = try #require(await transport.requests.first)
        #expect(request.method == "DELETE")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web?propagationPolicy=Foreground")
        #expect(try bodyJSON(request) == [
            "apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Foreground",
            "preconditions": ["uid": "u-1", "resourceVersion": "42"],
        ])
    }

    @Test func undecodableSuccessBodiesNameTheField() async throws {
        let (client, _) = recording(.json(200, ["metadata": ["name": "web"], "spec": ["replicas": "three"]]))
        do {
            _ = try await client.get(Deployment.self, namespace: "prod", name: "web")
            Issue.record("decoded a bad body")
        } catch let error as KubeClientError {
            #expect("\(error)".contains("spec.replicas"))
        }
    }
}
