import Foundation
import KubeClient
import KubeModel

/// Watch decoding: Deployment-sized watch events (about 3 KB each) through the watch path —
/// chunked bytes → line splitting → JSON → typed `Deployment` — reported as events/s and MB/s.
/// The baseline decodes the same lines, already split, straight with JSONDecoder; the ratio shows
/// what chunking and line splitting cost on top. `WATCH_BENCH_EVENTS` overrides the event count.
enum WatchDecodingBenchmark {
    static let benchmark = Benchmark(name: "watch-decoding") {
        let count = ProcessInfo.processInfo.environment["WATCH_BENCH_EVENTS"].flatMap(Int.init) ?? 10_000
        let lines = try (0..<count).map { try eventLine(index: $0) }
        let stream = Data(lines.map { $0 + [0x0A] }.joined())
        let chunks = chunked(stream, sizes: [16_384, 1_460, 8_192, 333, 65_536])
        let megabytes = Double(stream.count) / 1_000_000

        // Warm up once, then measure.
        _ = try decodeStream(chunks.prefix(4), finish: false)
        let start = ContinuousClock.now
        let decoded = try decodeStream(chunks[...], finish: true)
        let elapsed = seconds(ContinuousClock.now - start)
        guard decoded == count else {
            throw BenchmarkFailure("decoded \(decoded) of \(count) events")
        }

        let baselineStart = ContinuousClock.now
        let decoder = JSONDecoder()
        for line in lines { _ = try decoder.decode(WatchEnvelope<Deployment>.self, from: line) }
        let baseline = seconds(ContinuousClock.now - baselineStart)

        print("events: \(count), average event size: \(stream.count / max(count, 1)) bytes, chunks: \(chunks.count)")
        print(String(format: "watch path: %.0f events/s, %.1f MB/s (%.3f s)", Double(count) / elapsed,
                     megabytes / elapsed, elapsed))
        print(String(format: "baseline (pre-split lines, JSONDecoder only): %.0f events/s, %.1f MB/s (%.3f s)",
                     Double(count) / baseline, megabytes / baseline, baseline))
        print(String(format: "ratio watch path / baseline throughput: %.2f", baseline / elapsed))
    }

    private static func decodeStream(_ chunks: ArraySlice<Data>, finish: Bool) throws -> Int {
        var decoder = WatchStreamDecoder<Deployment>()
        var count = 0
        for chunk in chunks {
            for event in try decoder.decode(chunk) {
                if case .modified(let deployment) = event, deployment.spec?.replicas != nil { count += 1 }
            }
        }
        if finish { count += try decoder.finish().count }
        return count
    }

    private static func chunked(_ data: Data, sizes: [Int]) -> [Data] {
        var chunks: [Data] = []
        var index = data.startIndex
        var turn = 0
        while index < data.endIndex {
            let end = data.index(index, offsetBy: sizes[turn % sizes.count], limitedBy: data.endIndex) ?? data.endIndex
            chunks.append(Data(data[index..<end]))
            index = end
            turn += 1
        }
        return chunks
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A MODIFIED event of a realistic Deployment (labels, owner reference, probes, resources, init container,
    /// volumes, affinity, status conditions).
    static func eventLine(index: Int) throws -> Data {
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
        let deployment = Deployment(
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let object = try encoder.encode(deployment)
        return Data(#"{"type":"MODIFIED","object":"#.utf8) + object + Data("}".utf8)
    }
}
