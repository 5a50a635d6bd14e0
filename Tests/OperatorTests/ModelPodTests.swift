import FastJSON
import Foundation
import KubeModel
import Testing
@testable import Operator

/// The model-pod cache keeps what the operator reads of a pod, not its spec.
@Suite struct ModelPodTests {
    private let pod = Pod(
        metadata: ObjectMeta(name: "detector-7d9-x1", generateName: "detector-7d9-", namespace: "vision", uid: "p1",
                             resourceVersion: "12", creationTimestamp: "2026-12-05T04:26:58Z",
                             labels: ["ai.kubeedge.io/inferencemodel": "detector"],
                             annotations: ["note": "not read"],
                             ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "detector-7d9",
                                                              uid: "rs-1", controller: true)]),
        spec: PodSpec(containers: [Container(name: "server", image: "registry.local/server:1")],
                      initContainers: [Container(name: "fetch-model", image: "registry.local/operator:1")],
                      nodeName: "edge-1"),
        status: PodStatus(phase: "Pending", conditions: [
            Condition(type: "PodScheduled", status: "True"),
            Condition(type: "Ready", status: "False", reason: "ContainersNotReady"),
        ], initContainerStatuses: [ContainerStatus(name: "fetch-model")]))

    @Test func theProjectionKeepsWhatTheOperatorReads() {
        let kept = ModelPod(pod)
        #expect(kept.metadata.name == "detector-7d9-x1" && kept.metadata.uid == "p1" && kept.metadata.resourceVersion == "12")
        #expect(kept.metadata.labels == pod.metadata.labels)
        #expect(kept.metadata.ownerReferences == pod.metadata.ownerReferences)
        #expect(kept.metadata.annotations == nil && kept.metadata.generateName == nil)
        #expect(kept.spec?.nodeName == "edge-1")
        #expect(kept.status?.phase == "Pending")
        #expect(kept.status?.conditions?.map(\.type) == ["Ready"], "only the conditions that do not hold")
        #expect(kept.status?.initContainerStatuses?.map(\.name) == ["fetch-model"])
    }

    @Test func decodingTheServersJSONGivesTheSameProjectionAndItIsNeverWritten() throws {
        let json = try JSONEncoder().encode(pod)
        let decoded = try JSONDecoder().decode(ModelPod.self, from: json)
        #expect(decoded == ModelPod(pod))
        #expect(try FastJSONDecoder().decode(ModelPod.self, from: json) == ModelPod(pod), "the informers' decoder")
        let bare = Pod(metadata: ObjectMeta(name: "p", namespace: "vision"))
        #expect(try FastJSONDecoder().decode(ModelPod.self, from: try JSONEncoder().encode(bare)) == ModelPod(bare))
        let nulls = Data(#"{"metadata":{"name":"p"},"spec":null,"status":null}"#.utf8)
        #expect(try FastJSONDecoder().decode(ModelPod.self, from: nulls) == ModelPod(try JSONDecoder().decode(Pod.self, from: nulls)))
        #expect(throws: EncodingError.self) { _ = try JSONEncoder().encode(decoded) }
    }
}
