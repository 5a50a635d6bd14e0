import Foundation
import Testing
@testable import KubeModel

@Suite struct ModelRoundTripTests {
    @Test func deploymentDecodesTheFieldsAnOperatorReads() throws {
        let deployment = try JSONDecoder().decode(Deployment.self, from: Data(ModelFixtures.deployment.utf8))
        #expect(deployment.metadata.name == "resnet50-v4")
        #expect(deployment.metadata.generation == 3)
        #expect(deployment.metadata.ownerReferences?.first?.controller == true)
        #expect(deployment.key == "default/resnet50-v4")
        let spec = try #require(deployment.spec)
        #expect(spec.replicas == 2)
        #expect(spec.strategy?.rollingUpdate?.maxUnavailable == .int(0))
        #expect(spec.strategy?.rollingUpdate?.maxSurge == .string("25%"))
        #expect(spec.strategy?.rollingUpdate?.maxSurge?.scaledValue(total: 2, roundUp: true) == 1)
        let podSpec = try #require(spec.template.spec)
        let serving = try #require(podSpec.containers.first)
        #expect(serving.resources?.requests?["cpu"]?.milliValue == 500)
        #expect(serving.resources?.limits?["memory"]?.value == 4 << 30)
        #expect(serving.readinessProbe?.httpGet?.port == .string("http"))
        #expect(serving.livenessProbe?.tcpSocket?.port == .int(8080))
        #expect(podSpec.initContainers?.first?.terminationMessagePolicy == "FallbackToLogsOnError")
        #expect(podSpec.volumes?.map(\.name) == ["model", "cache", "config"])
        #expect(podSpec.volumes?.first?.emptyDir?.sizeLimit == Quantity(10 << 30, binary: true))
        #expect(podSpec.volumes?[1].hostPath?.type == "DirectoryOrCreate")
        #expect(podSpec.volumes?[2].configMap?.name == "serving-config")
        let required = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        #expect(required?.nodeSelectorTerms.first?.matchExpressions?.first?.operator == "Exists")
        #expect(podSpec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.first?.weight == 50)
        #expect(podSpec.tolerations?[1].tolerationSeconds == 300)
        #expect(deployment.status?.conditions?[type: "Available"]?.isTrue == false)
        #expect(deployment.status?.unavailableReplicas == 1)
    }

    @Test func deploymentRoundTripsWithoutNulls() throws {
        let original = try JSONValue.parse(ModelFixtures.deployment)
        let deployment = try original.decode(as: Deployment.self)
        let encoded = try wireJSON(deployment)
        #expect(!encoded.containsNull)
        // managedFields is deliberately not modelled; everything else survives, minus explicit nulls.
        #expect(jsonDifferences(encoded, original.removing(["metadata", "managedFields"]).removingNulls) == [])
    }

    @Test func nodeRoundTripsAndExposesPlacementInputs() throws {
        let original = try JSONValue.parse(ModelFixtures.node)
        let node = try original.decode(as: Node.self)
        #expect(node.isReady)
        #expect(node.metadata.labels?["nvidia.com/gpu.product"] == "Tesla-T4")
        #expect(node.status?.nodeInfo?.architecture == "amd64")
        #expect(node.status?.allocatable?["cpu"]?.milliValue == 7800)
        let memory = try #require(node.status?.allocatable?["memory"])
        #expect(memory.value == Int64(31_959_144) * 1024, "\(memory.decimal)")
        #expect(node.spec?.taints?.first?.effect == "NoSchedule")
        let encoded = try wireJSON(node)
        #expect(!encoded.containsNull)
        let expected = original.removing(["status", "images"]).removing(["status", "daemonEndpoints"])
        #expect(jsonDifferences(encoded, expected) == [])
    }

    @Test func podKeepsInitContainerTerminationMessages() throws {
        let original = try JSONValue.parse(ModelFixtures.pod)
        let pod = try original.decode(as: Pod.self)
        let fetch = try #require(pod.status?.initContainerStatuses?.first)
        #expect(fetch.lastState?.terminated?.message == "sha256 mismatch for version 4: want 108a…, got 3f2c…")
        #expect(fetch.lastState?.terminated?.exitCode == 1)
        #expect(fetch.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(fetch.restartCount == 2)
        #expect(pod.status?.phase == "Pending")
        #expect(pod.spec?.nodeName == "edge-gpu-1")
        let encoded = try wireJSON(pod)
        #expect(!encoded.containsNull)
        #expect(jsonDifferences(encoded, original.removingNulls) == [])
    }

    @Test func objectsBuiltInCodeEncodeOnlyWhatWasSet() throws {
        let service = Service(
            metadata: ObjectMeta(name: "resnet50", namespace: "default", labels: ["app": "resnet50"]),
            spec: ServiceSpec(selector: ["app": "resnet50"],
                              ports: [ServicePort(port: 80, name: "http", targetPort: .int(8080))]))
        let encoded = try wireJSON(service)
        #expect(encoded == [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "resnet50", "namespace": "default", "labels": ["app": "resnet50"]],
            "spec": ["selector": ["app": "resnet50"], "ports": [["port": 80, "name": "http", "targetPort": 8080]]],
        ])
    }

    @Test func leaseEventAndCRDRoundTrip() throws {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "model-operator", "namespace": "kube-system", "resourceVersion": "7"],
            "spec": ["holderIdentity": "pod-a_1234", "leaseDurationSeconds": 15,
                     "acquireTime": "2024-05-01T09:00:00.000000Z", "renewTime": "2024-05-01T09:10:02.123456Z",
                     "leaseTransitions": 3],
        ]
        let decodedLease = try lease.decode(as: Lease.self)
        #expect(decodedLease.spec?.holderIdentity == "pod-a_1234")
        #expect(try wireJSON(decodedLease) == lease)

        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": "resnet50.17c9a", "namespace": "default"],
            "involvedObject": ["apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel", "name": "resnet50",
                               "namespace": "default", "uid": "6f1c"],
            "reason": "VerificationFailed", "message": "sha256 mismatch", "type": "Warning",
            "source": ["component": "model-operator"], "count": 2,
            "firstTimestamp": "2024-05-01T09:00:00Z", "lastTimestamp": "2024-05-01T09:01:00Z",
            "reportingComponent": "model-operator",
        ]
        let decodedEvent = try event.decode(as: Event.self)
        #expect(decodedEvent.involvedObject.kind == "InferenceModel")
        #expect(decodedEvent.eventTime == nil)
        #expect(try wireJSON(decodedEvent) == event)

        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "inferencemodels.ai.kubeedge.io"],
            "spec": [
                "group": "ai.kubeedge.io", "scope": "Namespaced",
                "names": ["plural": "inferencemodels", "singular": "inferencemodel", "kind": "InferenceModel",
                          "listKind": "InferenceModelList", "shortNames": ["im"]],
                "versions": [[
                    "name": "v1alpha1", "served": true, "storage": true,
                    "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": [
                        "type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
                    "subresources": ["status": [:], "scale": ["specReplicasPath": ".spec.replicas",
                                                            "statusReplicasPath": ".status.replicas"]],
                    "additionalPrinterColumns": [["name": "Serving", "type": "string",
                                                  "jsonPath": ".status.servingVersion"]],
                ]],
            ],
            "status": ["acceptedNames": ["plural": "inferencemodels", "kind": "InferenceModel"],
                       "conditions": [["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                                       "lastTransitionTime": "2024-05-01T09:00:00Z"]],
                       "storedVersions": ["v1alpha1"]],
        ]
        let decodedCRD = try crd.decode(as: CustomResourceDefinition.self)
        #expect(decodedCRD.spec?.versions.first?.subresources?.status == [:])
        #expect(decodedCRD.status?.conditions?[type: "Established"]?.isTrue == true)
        #expect(try wireJSON(decodedCRD) == crd)
    }

    @Test func listsDecodeWithNullItems() throws {
        let list = try JSONValue.parse(#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":null}"#)
            .decode(as: KubeList<Pod>.self)
        #expect(list.items.isEmpty)
        #expect(list.metadata.resourceVersion == "9")
    }

    @Test func intOrStringRejectsOtherTypesClearly() {
        #expect(throws: DecodingError.self) { try JSONValue.parse(#"{"port": true}"#)["port"]?.decode(as: IntOrString.self) }
    }

    @Test func kubeTimeFormatsAndParses() throws {
        let date = try #require(KubeTime.parse("2024-05-01T09:12:44Z"))
        #expect(KubeTime.format(date) == "2024-05-01T09:12:44Z")
        let micro = try #require(KubeTime.parse("2024-05-01T09:12:44.123456Z"))
        #expect(KubeTime.formatMicro(micro) == "2024-05-01T09:12:44.123456Z")
        #expect(KubeTime.parse("2024-05-01T11:12:44+02:00") == date)
        #expect(KubeTime.parse("yesterday") == nil)
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
