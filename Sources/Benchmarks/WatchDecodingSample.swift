import Foundation
import KubeClient
import KubeModel

/// The objects the watch-decoding benchmark decodes: realistic Deployments (about 3 KB of JSON
/// each) as the operator renders them, as watch-event lines and as list pages.
enum WatchDecodingSample {
    /// A MODIFIED watch event (one line, without its newline) of `deployment(index:)`.
    static func eventLine(index: Int) throws -> Data {
        Data(#"{"type":"MODIFIED","object":"#.utf8) + (try encode(deployment(index: index))) + Data("}".utf8)
    }

    /// A list page (`DeploymentList`) of `count` Deployments; items without kind and apiVersion,
    /// as the API server sends them for built-in resources.
    static func listBody(count: Int) throws -> Data {
        let items = try (0..<count).map { index -> Data in
            var item = deployment(index: index)
            item.apiVersion = nil
            item.kind = nil
            return try encode(item)
        }
        return Data(#"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"200000"},"items":["#.utf8)
            + Data(items.joined(separator: Data(",".utf8))) + Data("]}".utf8)
    }

    private static func encode(_ deployment: Deployment) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(deployment)
    }

    /// A realistic Deployment (labels, owner reference, probes, resources, init container, volumes,
    /// affinity, status conditions).
    static func deployment(index: Int) -> Deployment {
        let name = "model-\(index % 500)-v\(index % 7)"
        let labels = ["app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "model-operator",
                      "app.kubernetes.io/instance": "model-\(index % 500)", "app.kubernetes.io/version": "\(index % 7)"]
        let serving = Container(
            name: "serving", image: "registry.local/serving:1.2", imagePullPolicy: "IfNotPresent",
            command: ["/usr/bin/serve"], args: ["--port=8080", "--model-dir=/models", "--model-name=\(name)"],
            env: [EnvVar(name: "MODEL_NAME", value: name)],
            ports: [ContainerPort(containerPort: 8080, name: "http", protocol: "TCP")],
            resources: ResourceRequirements(requests: ["cpu": "500m", "memory": "2Gi"],
                                            limits: ["cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "1"]),
            volumeMounts: [VolumeMount(name: "model", mountPath: "/models", readOnly: true)],
            readinessProbe: Probe(httpGet: HTTPGetAction(port: "http", path: "/healthz", scheme: "HTTP"),
                                  initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1,
                                  failureThreshold: 3),
            terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File")
        let fetch = Container(
            name: "fetch", image: "registry.local/model-operator:0.1", imagePullPolicy: "IfNotPresent",
            command: ["model-operator"],
            args: ["fetch", "--url", "http://127.0.0.1:8000/\(name).tar.gz", "--dest", "/models"],
            volumeMounts: [VolumeMount(name: "model", mountPath: "/models")],
            terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "FallbackToLogsOnError")
        let edgeToleration = Toleration(key: "node-role.kubernetes.io/edge", operator: "Exists", effect: "NoSchedule")
        let podSpec = PodSpec(
            containers: [serving], initContainers: [fetch],
            volumes: [Volume(name: "model", emptyDir: EmptyDirVolumeSource(sizeLimit: "10Gi"))],
            nodeSelector: ["kubernetes.io/arch": "amd64"],
            affinity: Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(
                nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [
                    NodeSelectorRequirement(key: "node-role.kubernetes.io/edge", operator: "Exists")])]))),
            tolerations: [edgeToleration],
            serviceAccountName: "inference", restartPolicy: "Always", terminationGracePeriodSeconds: 30,
            schedulerName: "default-scheduler", dnsPolicy: "ClusterFirst")
        return Deployment(
            metadata: ObjectMeta(
                name: name, namespace: "models", uid: "0d5b3f8c-7a61-4a6b-8f0e-\(String(format: "%012d", index))",
                resourceVersion: "\(100_000 + index)", generation: Int64(index % 9 + 1),
                creationTimestamp: "2024-05-01T09:12:44Z", labels: labels,
                annotations: ["deployment.kubernetes.io/revision": "\(index % 7 + 1)"],
                ownerReferences: [OwnerReference(apiVersion: "ai.kubeedge.io/v1alpha1", kind: "InferenceModel",
                                                 name: "model-\(index % 500)", uid: "6f1c1d5e-2b53-4a8e-9a57-0f1b9a0d4c11",
                                                 controller: true, blockOwnerDeletion: true)]),
            spec: DeploymentSpec(
                replicas: 2, selector: LabelSelector(matchLabels: ["app.kubernetes.io/name": name]),
                template: PodTemplateSpec(metadata: ObjectMeta(labels: labels), spec: podSpec),
                strategy: DeploymentStrategy(type: "RollingUpdate",
                                             rollingUpdate: RollingUpdateDeployment(maxUnavailable: 0, maxSurge: 1)),
                revisionHistoryLimit: 10, progressDeadlineSeconds: 600),
            status: DeploymentStatus(
                observedGeneration: Int64(index % 9 + 1), replicas: 2, updatedReplicas: 2, readyReplicas: 2,
                availableReplicas: 2,
                conditions: [
                    Condition(type: "Available", status: "True", reason: "MinimumReplicasAvailable",
                              message: "Deployment has minimum availability.",
                              lastTransitionTime: "2024-05-01T09:12:50Z", lastUpdateTime: "2024-05-01T09:12:50Z"),
                ]))
    }
}
