import Foundation
import KubeClient
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Lists and watches against the recorded kube-apiserver 1.25 fixtures: TypeMeta on items and events.
@Suite("Conformance: TypeMeta in lists and watch events")
struct ConformanceListTests {
    @Test("items of built-in lists carry no kind/apiVersion; the list itself does (deployment, service, pod, RS lists)")
    func builtinListItemsHaveNoTypeMeta() async throws {
        try await withCluster(LocalClusterOptions(deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(50)))) { cluster, api in
            try await cluster.addNode(SimulatedNode.plain(name: "node-1"))
            #expect(try await api.replay(try Fixture.load("deployment-create")).status == 201)
            #expect(try await api.replay(try Fixture.load("service-create")).status == 201)
            _ = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/replicasets", body: [
                "metadata": ["name": "rs1"],
                "spec": ["selector": ["matchLabels": ["a": "b"]],
                         "template": ["metadata": ["labels": ["a": "b"]],
                                      "spec": ["containers": [["name": "c", "image": "reg.example/serving:1"]]]]],
            ])
            try await eventually { try await api.get("/api/v1/namespaces/fixtures/pods").body["items"]?.arrayValue?.isEmpty == false }
            for name in ["deployment-list", "service-list", "pod-list", "replicaset-list"] {
                let fixture = try Fixture.load(name)
                let path = fixture.path.split(separator: "?").first.map(String.init) ?? fixture.path
                let response = try await api.raw("GET", path)
                #expect(response.status == 200)
                #expect(response.body["kind"] == fixture.body["kind"], "\(name): list kind")
                #expect(response.body["apiVersion"] == fixture.body["apiVersion"], "\(name): list apiVersion")
                let items = try #require(response.body["items"]?.arrayValue, "\(name)")
                #expect(!items.isEmpty, "\(name) lists something")
                for item in (fixture.body["items"]?.arrayValue ?? []) + items {
                    #expect(item["kind"] == nil && item["apiVersion"] == nil, "\(name): an item carries TypeMeta: \(item.metaName)")
                }
                // Like the real server, a list that is complete has no `continue` key (custom resources excepted).
                #expect(response.body[path: ["metadata", "continue"]] == fixture.body[path: ["metadata", "continue"]])
            }
        }
    }

    @Test("custom resource list items carry kind/apiVersion, and the list says continue \"\" (inferencemodel-list)")
    func customResourceListItemsKeepTypeMeta() async throws {
        try await withCluster { _, api in
            #expect(try await api.raw("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      body: try Fixture.inferenceModelCRD()).status == 201)
            #expect(try await api.replay(try Fixture.load("inferencemodel-create")).status == 201)
            let fixture = try Fixture.load("inferencemodel-list")
            let response = try await api.raw("GET", fixture.path)
            let item = try #require(response.body["items"]?[0])
            #expect(item["kind"] == "InferenceModel")
            #expect(item["apiVersion"] == "ai.kubeedge.io/v1alpha1")
            #expect(fixture.body["items"]?[0]?["kind"] == "InferenceModel")
            #expect(response.body["kind"] == fixture.body["kind"])
            #expect(response.body[path: ["metadata", "continue"]] == fixture.body[path: ["metadata", "continue"]])
        }
    }

    @Test("the typed client decodes list items without TypeMeta: the recorded lists and LocalCluster's")
    func typedClientToleratesMissingTypeMeta() async throws {
        for name in ["deployment-list", "pod-list", "service-list"] {
            let body = try Fixture.load(name).body
            switch name {
            case "deployment-list":
                let list = try body.decode(as: KubeList<Deployment>.self)
                #expect(list.items.map { $0.metadata.name } == ["m1"])
                #expect(list.items.first?.kind == nil)
                #expect(list.items.first?.spec?.template.spec?.containers.first?.image == "reg.example/serving:1")
            case "pod-list":
                #expect(try body.decode(as: KubeList<Pod>.self).items.count == 2)
            default:
                #expect(try body.decode(as: KubeList<Service>.self).items.first?.spec?.clusterIP == "10.96.210.50")
            }
        }
        try await withCluster { cluster, _ in
            let client = RESTClient(transport: KubeHTTPTransport(config: ClusterConfig(server: cluster.baseURL.absoluteString)))
            _ = try await client.create(Deployment(metadata: ObjectMeta(name: "typed", namespace: "default"), spec: DeploymentSpec(
                selector: KubeModel.LabelSelector(matchLabels: ["app": "typed"]),
                template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "typed"]),
                                          spec: PodSpec(containers: [Container(name: "c", image: "nginx:1.25")])))))
            let list = try await client.list(Deployment.self, namespace: "default")
            #expect(list.kind == "DeploymentList")
            let item = try #require(list.items.first)
            #expect(item.kind == nil && item.apiVersion == nil, "as a real server sends it")
            #expect(item.metadata.name == "typed")
            #expect(item.spec?.template.spec?.containers.first?.imagePullPolicy == "IfNotPresent")
        }
    }

    @Test("watch events carry kind and apiVersion on every object (deployment-watch-from-list-rv)")
    func watchEventsCarryTypeMeta() async throws {
        let recorded = try Fixture.watchEvents("deployment-watch-from-list-rv")
        #expect(recorded.allSatisfy { $0[path: ["object", "kind"]] == "Deployment" && $0[path: ["object", "apiVersion"]] == "apps/v1" })
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let list = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments")
            let rv = list.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let watch = try CurlWatch("\(cluster.baseURL.absoluteString)/apis/apps/v1/namespaces/fixtures/deployments?watch=true&resourceVersion=\(rv)", in: dir)
            defer { watch.stop() }
            #expect(try await api.replay(try Fixture.load("deployment-create")).status == 201)
            #expect(try await api.raw("PATCH", "/apis/apps/v1/namespaces/fixtures/deployments/m1",
                                      body: ["metadata": ["labels": ["x": "y"]]],
                                      contentType: "application/merge-patch+json").status == 200)
            #expect(try await api.raw("DELETE", "/apis/apps/v1/namespaces/fixtures/deployments/m1").status == 200)
            let events = try await watch.waitForEvents(count: 3)
            #expect(events.map { $0["type"]?.stringValue ?? "" } == ["ADDED", "MODIFIED", "DELETED"])
            for event in events {
                #expect(event[path: ["object", "kind"]] == "Deployment")
                #expect(event[path: ["object", "apiVersion"]] == "apps/v1")
            }
        }
    }

    @Test("BOOKMARK events carry kind, apiVersion and the resourceVersion (difference, named: no empty object around them)")
    func bookmarkShape() async throws {
        let recorded = try #require(try Fixture.watchEvents("deployment-watch-from-list-rv").last)
        #expect(recorded["type"] == "BOOKMARK")
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster(LocalClusterOptions(bookmarkInterval: .milliseconds(200))) { cluster, api in
            let list = try await api.raw("GET", "/apis/apps/v1/namespaces/fixtures/deployments")
            let rv = list.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let watch = try CurlWatch("\(cluster.baseURL.absoluteString)/apis/apps/v1/namespaces/fixtures/deployments"
                                      + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(rv)", in: dir)
            defer { watch.stop() }
            let bookmark = try #require(try await watch.waitForEvents(count: 1).first)
            #expect(bookmark["type"] == recorded["type"])
            #expect(bookmark[path: ["object", "kind"]] == recorded[path: ["object", "kind"]])
            #expect(bookmark[path: ["object", "apiVersion"]] == recorded[path: ["object", "apiVersion"]])
            #expect(bookmark[path: ["object", "metadata", "resourceVersion"]]?.stringValue == rv)
            // Difference: the real server wraps the resourceVersion in an empty Deployment (spec, status,
            // creationTimestamp: null); LocalCluster sends only metadata.resourceVersion, all a client reads.
            #expect(recorded[path: ["object", "spec"]] != nil)
            #expect(bookmark[path: ["object", "spec"]] == nil)
        }
    }
}
