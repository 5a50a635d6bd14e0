import Controller
import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Logging
import Operator
import Placement

/// What it costs the operator to know every pod's node and requests (issue 12): 50,000 pods on
/// 5,000 nodes, each a realistic Pod as a real API server returns it (about 3.5 KB of JSON).
///
/// 1. Decoding: watch events into `PodFootprint` (what the operator keeps), against the full
///    typed `Pod` and a `JSONValue` tree, and what holding 50,000 of each adds to resident memory.
/// 2. The per-node sums a placement batch reads: the initial list, a steady stream of changes
///    that leave the requests alone (status updates), and reading the sums out.
/// 3. The informer itself against LocalCluster over loopback HTTP: list (pages of 500) and watch
///    with the field selector `spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed`.
///
/// `PLACEMENT_BENCH_PODS` and `PLACEMENT_BENCH_NODES` shrink it.
enum PlacementPodWatchBenchmark {
    static let benchmark = Benchmark(name: "placement-pod-watch") {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["PLACEMENT_BENCH_PODS"].flatMap(Int.init) ?? 50_000
        let nodes = environment["PLACEMENT_BENCH_NODES"].flatMap(Int.init) ?? 5_000
        let pods = (0..<count).map { pod($0, nodes: nodes) }
        let lines = try pods.map { try JSONValue.object(["type": "ADDED", "object": $0]).jsonData() }
        let bytes = lines.reduce(0) { $0 + $1.count }
        print(String(format: "  %d pods on %d nodes, %.1f KB of JSON each on average", count, nodes,
                     Double(bytes) / Double(count) / 1000))

        // 1. Decoding and what the cache holds.
        let decoder = JSONDecoder()
        var footprints: [PodFootprint] = []
        footprints.reserveCapacity(count)
        let beforeFootprints = ResidentMemory.current
        let footprintTime = try measure {
            for line in lines {
                if case .added(let pod) = try decoder.decode(WatchEnvelope<PodFootprint>.self, from: line) { footprints.append(pod) }
            }
        }
        let footprintMemory = ResidentMemory.current - beforeFootprints
        var typed: [Pod] = []
        typed.reserveCapacity(count)
        let beforeTyped = ResidentMemory.current
        let typedTime = try measure {
            for line in lines {
                if case .added(let pod) = try decoder.decode(WatchEnvelope<Pod>.self, from: line) { typed.append(pod) }
            }
        }
        let typedMemory = ResidentMemory.current - beforeTyped
        typed = []
        let treeTime = try measure {
            for line in lines { _ = try decoder.decode(WatchEnvelope<JSONValue>.self, from: line) }
        }
        guard footprints.count == count else { throw BenchmarkFailure("decoded \(footprints.count) of \(count) pods") }
        print(String(format: "  decode into PodFootprint: %.0f ms (%.1f µs/pod); full Pod: %.0f ms; JSONValue: %.0f ms",
                     footprintTime * 1000, footprintTime / Double(count) * 1e6, typedTime * 1000,
                     treeTime * 1000))
        print(String(format: "  resident memory held: %.1f MiB for %d PodFootprints (%.0f B/pod); %.1f MiB for full Pods (%.0f B/pod)",
                     Double(footprintMemory) / 1_048_576, count, Double(footprintMemory) / Double(count),
                     Double(typedMemory) / 1_048_576, Double(typedMemory) / Double(count)))

        // 2. The per-node sums.
        var loads = PodLoads(gpuResource: "nvidia.com/gpu")
        let listTime = measure { for footprint in footprints { _ = loads.apply(old: nil, new: footprint) } }
        let updateTime = measure {
            for footprint in footprints {
                var updated = footprint
                updated.resourceVersion = "\(count + 1)"
                _ = loads.apply(old: footprint, new: updated)
            }
        }
        var entries = 0
        let readTime = measure { entries = loads.pods.count }
        print(String(format: "  sums: initial list %.1f ms, %d status-only changes %.1f ms (%.2f µs each), "
                     + "a batch reads %d per-node sums in %.2f ms", listTime * 1000, count, updateTime * 1000,
                     updateTime / Double(count) * 1e6, entries, readTime * 1000))

        // 3. The informer over HTTP.
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let cluster = try await LocalCluster.start(LocalClusterOptions(historyWindow: count + 1000, logger: logger))
        for (index, pod) in pods.enumerated() {
            // Without the owner reference: LocalCluster's garbage collector would delete pods of a missing ReplicaSet.
            var orphan = pod
            orphan[path: ["metadata", "ownerReferences"]] = nil
            _ = try await cluster.create(.pods, namespace: "team-\(index % 20)", orphan)
        }
        let client = RESTClient(transport: KubeHTTPTransport(config: ClusterConfig(server: cluster.baseURL.absoluteString)))
        let before = ResidentMemory.current
        let started = ContinuousClock.now
        let informer = Informer<PodFootprint>(client: client, gvr: .pods, fieldSelector: PodFootprint.boundAndNotFinished,
                                              logger: logger)
        await informer.start()
        try await informer.waitForSync()
        let synced = (ContinuousClock.now - started).inSeconds
        let cached = await informer.count
        let after = ResidentMemory.current
        await informer.stop()
        await cluster.stop()
        guard cached == count else { throw BenchmarkFailure("the informer cached \(cached) of \(count) pods") }
        print(String(format: "  informer (all namespaces, field selector): %d pods listed and watched in %.2f s (%.0f pods/s); "
                     + "resident memory +%.1f MiB after sync", cached, synced, Double(cached) / synced,
                     Double(after - before) / 1_048_576))
    }

    private static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).inSeconds
    }

    /// A bound, running pod of a ReplicaSet, shaped as kube-apiserver returns it (managedFields included).
    static func pod(_ index: Int, nodes: Int) -> JSONValue {
        let app = "service-\(index % 2_000)"
        let name = JSONValue.string("\(app)-7d9f8c6b5-\(String(index, radix: 36))")
        let gpu = index % 50 == 0
        var limits: JSONValue = ["memory": "1Gi"]
        if gpu { limits["nvidia.com/gpu"] = "1" }
        let time: JSONValue = "2026-12-01T10:00:00Z"
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": name, "namespace": .string("team-\(index % 20)"), "uid": .string(UUID().uuidString.lowercased()),
                "resourceVersion": .string(String(1000 + index)), "creationTimestamp": time, "generateName": .string("\(app)-7d9f8c6b5-"),
                "labels": ["app": .string(app), "pod-template-hash": "7d9f8c6b5", "app.kubernetes.io/part-of": "shop",
                           "app.kubernetes.io/version": "1.4.2"],
                "annotations": ["kubectl.kubernetes.io/restartedAt": time],
                "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string("\(app)-7d9f8c6b5"),
                                     "uid": "2f0e6e1c-0d0a-4b8e-9a39-6c1d3c8f0b11", "controller": true, "blockOwnerDeletion": true]],
                "managedFields": [["manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": time,
                                   "fieldsType": "FieldsV1", "fieldsV1": ["f:metadata": ["f:generateName": [:], "f:labels": [
                                       ".": [:], "f:app": [:], "f:pod-template-hash": [:]]], "f:spec": ["f:containers": [
                                       "k:{\"name\":\"server\"}": [".": [:], "f:image": [:], "f:name": [:], "f:resources": [:]]]]]]],
            ],
            "spec": [
                "nodeName": .string("node-\(index % nodes)"), "restartPolicy": "Always", "schedulerName": "default-scheduler",
                "serviceAccountName": "default", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": [:], "priority": 0, "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority",
                "containers": [[
                    "name": "server", "image": "registry.local/shop/server:1.4.2", "imagePullPolicy": "IfNotPresent",
                    "args": ["--port=8080", "--log-level=info"],
                    "ports": [["containerPort": 8080, "name": "http", "protocol": "TCP"]],
                    "env": [["name": "APP", "value": .string(app)], ["name": "REGION", "value": "eu-west"]],
                    "resources": ["requests": ["cpu": "250m", "memory": "512Mi"], "limits": limits],
                    "readinessProbe": ["httpGet": ["path": "/healthz", "port": 8080, "scheme": "HTTP"], "periodSeconds": 5,
                                       "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3],
                    "volumeMounts": [["name": "kube-api-access-x7k2p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                      "readOnly": true]],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                ]],
                "tolerations": [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                                 "tolerationSeconds": 300],
                                ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                                 "tolerationSeconds": 300]],
                "volumes": [["name": "kube-api-access-x7k2p", "projected": ["defaultMode": 420, "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]]]]]],
            ],
            "status": [
                "phase": "Running", "hostIP": "10.0.3.17", "podIP": .string("10.244.\(index % 250).\(index % 200 + 2)"),
                "qosClass": "Burstable", "startTime": time,
                "conditions": [
                    ["type": "Initialized", "status": "True", "lastTransitionTime": time],
                    ["type": "Ready", "status": "True", "lastTransitionTime": time],
                    ["type": "ContainersReady", "status": "True", "lastTransitionTime": time],
                    ["type": "PodScheduled", "status": "True", "lastTransitionTime": time],
                ],
                "containerStatuses": [["name": "server", "ready": true, "restartCount": 0, "started": true,
                                       "image": "registry.local/shop/server:1.4.2",
                                       "imageID": "registry.local/shop/server@sha256:4a5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566778899",
                                       "containerID": "containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                       "state": ["running": ["startedAt": time]]]],
            ],
        ]
    }
}
