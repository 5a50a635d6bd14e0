import Foundation
import TestSupport
import Testing
@testable import KubeClient
import KubeModel
import LocalCluster

/// A valid Deployment for LocalCluster.
private func webDeployment(_ name: String = "web", namespace: String = "it", replicas: Int = 1,
                           owner: OwnerReference? = nil) -> Deployment {
    let labels = ["app": name]
    return Deployment(
        metadata: ObjectMeta(name: name, namespace: namespace, labels: labels, ownerReferences: owner.map { [$0] }),
        spec: DeploymentSpec(
            replicas: replicas, selector: LabelSelector(matchLabels: labels),
            template: PodTemplateSpec(metadata: ObjectMeta(labels: labels),
                                      spec: PodSpec(containers: [Container(name: "serving", image: "registry.local/serving:1.2")])),
            strategy: DeploymentStrategy(type: "RollingUpdate",
                                         rollingUpdate: RollingUpdateDeployment(maxUnavailable: 0, maxSurge: 1))))
}

private func configMap(_ name: String, namespace: String, data: [String: String] = [:]) -> JSONValue {
    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
     "data": .object(data.mapValues { .string($0) })]
}

@Suite(.serialized) struct RESTClientIntegrationTests {
    @Test func listAllFollowsPagesFromTheServer() async throws {
        try await withClusterClient { _, client, transport in
            for index in 0..<25 {
                _ = try await client.create(.configMaps, namespace: "paging",
                                            body: configMap(String(format: "cm-%02d", index), namespace: "paging"))
            }
            let before = await transport.requests.count
            let all = try await client.listAll(.configMaps, namespace: "paging", options: ListOptions(limit: 7))
            #expect(all.items.map(\.objectKey.name) == (0..<25).map { String(format: "cm-%02d", $0) })
            #expect(all.metadata.resourceVersion?.isEmpty == false)
            let pages = await transport.requests.dropFirst(before).map(\.path)
            #expect(pages.count == 4)
            #expect(pages.dropFirst().allSatisfy { queryItems(of: $0)["continue"]?.isEmpty == false })
            let firstPage = try await client.list(.configMaps, namespace: "paging", options: ListOptions(limit: 7))
            #expect(firstPage.items.count == 7)
            #expect(firstPage.metadata.continue?.isEmpty == false)
            let selected = try await client.listAll(ConfigMapProbe.self, namespace: "paging",
                                                    options: ListOptions(fieldSelector: "metadata.name=cm-03"))
            #expect(selected.items.map(\.metadata.name) == ["cm-03"])
        }
    }

    @Test func typedCreateGetUpdateAndStaleConflict() async throws {
        try await withClusterClient { _, client, _ in
            let created = try await client.create(webDeployment())
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.generation == 1)
            await #expect {
                _ = try await client.create(webDeployment())
            } throws: { ($0 as? KubeAPIError)?.isAlreadyExists == true }

            var first = try await client.get(Deployment.self, namespace: "it", name: "web")
            var second = first
            first.spec?.replicas = 2
            let updated = try await client.update(first)
            #expect(updated.spec?.replicas == 2)
            #expect(updated.metadata.resourceVersion != second.metadata.resourceVersion)
            second.spec?.replicas = 5
            await #expect {
                _ = try await client.update(second)
            } throws: { error in
                guard let error = error as? KubeAPIError else { return false }
                return error.code == 409 && error.isConflict && !error.message.isEmpty
            }
            await #expect {
                _ = try await client.get(Deployment.self, namespace: "it", name: "missing")
            } throws: { ($0 as? KubeAPIError)?.isNotFound == true }
        }
    }

    @Test func generationMovesWithSpecOnlyAndStatusIsASeparateSubresource() async throws {
        try await withClusterClient { _, client, _ in
            let created = try await client.create(webDeployment("gen"))
            #expect(created.metadata.generation == 1)

            var labelled = created
            labelled.metadata.labels?["tier"] = "edge"
            let afterLabels = try await client.update(labelled)
            #expect(afterLabels.metadata.generation == 1)

            var scaled = afterLabels
            scaled.spec?.replicas = 3
            let afterSpec = try await client.update(scaled)
            #expect(afterSpec.metadata.generation == 2)

            // The status subresource takes status and ignores spec.
            var statusWrite = afterSpec
            statusWrite.status = DeploymentStatus(observedGeneration: 2, replicas: 3, readyReplicas: 3)
            statusWrite.spec?.replicas = 9
            let afterStatus = try await client.updateStatus(statusWrite)
            #expect(afterStatus.status?.readyReplicas == 3)
            #expect(afterStatus.spec?.replicas == 3)
            #expect(afterStatus.metadata.generation == 2)

            // The main resource ignores status.
            var mainWrite = afterStatus
            mainWrite.status?.readyReplicas = 0
            mainWrite.spec?.replicas = 4
            let afterMain = try await client.update(mainWrite)
            #expect(afterMain.spec?.replicas == 4)
            #expect(afterMain.status?.readyReplicas == 3)
            #expect(afterMain.metadata.generation == 3)

            let status = try await client.getStatus(Deployment.self, namespace: "it", name: "gen")
            #expect(status.status?.readyReplicas == 3)
            let patched = try await client.patchStatus(Deployment.self, namespace: "it", name: "gen",
                                                       patch: .merge(["status": ["availableReplicas": 3]]))
            #expect(patched.status?.availableReplicas == 3)
            #expect(patched.metadata.generation == 3)
        }
    }

    @Test func patchesOfEveryKind() async throws {
        try await withClusterClient { _, client, _ in
            _ = try await client.create(webDeployment("patched"))
            let merged = try await client.patch(Deployment.self, namespace: "it", name: "patched",
                                                patch: .merge(["metadata": ["labels": ["tier": "edge"]]]))
            #expect(merged.metadata.labels == ["app": "patched", "tier": "edge"])

            let jsonPatched = try await client.patch(Deployment.self, namespace: "it", name: "patched", patch: .json([
                .test("/spec/replicas", 1), .replace("/spec/replicas", 2), .remove("/metadata/labels/tier"),
            ]))
            #expect(jsonPatched.spec?.replicas == 2)
            #expect(jsonPatched.metadata.labels == ["app": "patched"])

            let strategic = try await client.patch(Deployment.self, namespace: "it", name: "patched", patch: .strategicMerge(
                ["spec": ["template": ["spec": ["containers": [["name": "serving", "image": "registry.local/serving:1.3"]]]]]]))
            #expect(strategic.spec?.template.spec?.containers.map(\.image) == ["registry.local/serving:1.3"])

            var desired = webDeployment("applied", replicas: 2)
            desired.metadata.labels?["app.kubernetes.io/managed-by"] = "model-operator"
            let applied = try await client.apply(desired, fieldManager: "model-operator")
            #expect(applied.spec?.replicas == 2)
            desired.spec?.replicas = 3
            let reapplied = try await client.apply(desired, fieldManager: "model-operator", force: true)
            #expect(reapplied.spec?.replicas == 3)
            #expect(reapplied.metadata.uid == applied.metadata.uid)
        }
    }

    @Test func deletePreconditionsAndOwnerGarbageCollection() async throws {
        try await withClusterClient { _, client, _ in
            let owner = try await client.create(.configMaps, namespace: "it", body: configMap("owner", namespace: "it"))
            let ownerUID = try #require(owner[path: ["metadata", "uid"]]?.stringValue)
            let reference = OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: ownerUID,
                                           controller: true, blockOwnerDeletion: true)
            _ = try await client.create(webDeployment("dependent", owner: reference))

            await #expect {
                try await client.delete(.configMaps, namespace: "it", name: "owner",
                                        options: DeleteOptions(preconditionUID: "not-the-uid"))
            } throws: { ($0 as? KubeAPIError)?.code == 409 }
            _ = try await client.get(.configMaps, namespace: "it", name: "owner")

            try await client.delete(.configMaps, namespace: "it", name: "owner",
                                    options: DeleteOptions(propagationPolicy: .background, preconditionUID: ownerUID))
            try await eventually("the dependent Deployment to be garbage-collected") {
                do {
                    _ = try await client.get(Deployment.self, namespace: "it", name: "dependent")
                    return false
                } catch let error as KubeAPIError where error.isNotFound {
                    return true
                }
            }
        }
    }
}

/// A minimal typed view of a ConfigMap, to exercise typed lists of a resource without a model.
private struct ConfigMapProbe: KubeObject {
    static let gvr = GroupVersionResource.configMaps
    static let gvk = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
}
