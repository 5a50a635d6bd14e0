import KubeClient
import ModelAPI
import Placement

/// The benchmark's heterogeneous cluster and model batch.
///
/// Nodes: cloud servers with 1 to 4 Tesla T4s (some dedicated to a team by a NoSchedule taint,
/// some spot nodes with a PreferNoSchedule taint), edge servers with one Tesla P4 and Arm edge
/// boxes without GPUs (both carrying the edge-role taint), spread over three zones.
/// Models: cloud models on T4s (sizes per `SizeMix`, a few exclusive), edge models on P4s,
/// CPU-only Arm models at the edge; some pinned to a zone by nodeSelector, some tolerating the
/// dedicated taint. GPU memory is requested in whole GiB.
/// GPU servers run the NVIDIA device plugin with time-slicing (each T4 advertised 16 times in
/// allocatable `nvidia.com/gpu`, each P4 8 times), so every replica takes a unit and up to that
/// many share a GPU; every node allows 110 pods.
/// Foreign pods: other workloads already bound to the nodes (see `foreignPods`).
/// Every input comes from a seeded SplitMix64, so it can be regenerated from its seed.
enum PlacementBenchmarkCluster {
    static let t4Slices = 16
    static let p4Slices = 8
    static let gib: Int64 = 1 << 30
    static let zones = ["zone-a", "zone-b", "zone-c"]
    static let dedicated = PlacementTaint(key: "dedicated", value: "vision", effect: .noSchedule)
    static let spot = PlacementTaint(key: "spot", value: "true", effect: .preferNoSchedule)

    /// GPU memory ranges of shared models, in GiB.
    struct SizeMix: Sendable {
        var name: String
        var t4GiB: ClosedRange<Int64>
        var p4GiB: ClosedRange<Int64>
    }

    static let mixes = [
        SizeMix(name: "T4 requests 1-12 GiB, P4 requests 1-5 GiB", t4GiB: 1...12, p4GiB: 1...5),
        SizeMix(name: "T4 requests 2-7 GiB, P4 requests 1-3 GiB", t4GiB: 2...7, p4GiB: 1...3),
    ]

    static func workloads(replicas target: Int, seed: UInt64, mix: SizeMix) -> [PlacementWorkload] {
        var rng = SplitMix64(seed: seed)
        var workloads: [PlacementWorkload] = []
        var total = 0
        while total < target {
            let index = workloads.count
            var workload = PlacementWorkload(key: ModelKey(namespace: "team-\(index % 17)", name: "model-\(index)"), replicas: 1)
            let kind = Int.random(in: 0..<100, using: &rng)
            switch kind {
            case 0..<55:  // cloud, shared T4
                workload.layer = .cloud
                workload.gpu = GPUWorkload(memoryMiB: Int64.random(in: mix.t4GiB, using: &rng) * 1024, products: ["Tesla-T4"])
                workload.replicas = Int.random(in: 1...4, using: &rng)
                workload.cpuMillis = Int64.random(in: 1...4, using: &rng) * 250
                workload.memoryBytes = Int64.random(in: 1...4, using: &rng) * gib
            case 55..<57:  // cloud, a whole T4
                workload.layer = .cloud
                workload.gpu = GPUWorkload(memoryMiB: Int64.random(in: 8...14, using: &rng) * 1024, products: ["Tesla-T4"],
                                           exclusive: true)
                workload.replicas = Int.random(in: 1...2, using: &rng)
                workload.cpuMillis = 2000
                workload.memoryBytes = 8 * gib
            case 57..<82:  // edge, shared P4
                workload.layer = .edge
                workload.gpu = GPUWorkload(memoryMiB: Int64.random(in: mix.p4GiB, using: &rng) * 1024, products: ["Tesla-P4"])
                workload.replicas = Int.random(in: 1...3, using: &rng)
                workload.cpuMillis = Int64.random(in: 1...2, using: &rng) * 250
                workload.memoryBytes = Int64.random(in: 1...2, using: &rng) * gib
                workload.architectures = ["amd64"]
            default:  // edge, CPU only, Arm
                workload.layer = .edge
                workload.replicas = Int.random(in: 1...3, using: &rng)
                workload.cpuMillis = Int64.random(in: 1...4, using: &rng) * 250
                workload.memoryBytes = Int64.random(in: 1...4, using: &rng) * (512 << 20)
                workload.architectures = Bool.random(using: &rng) ? ["arm64"] : ["arm64", "amd64"]
            }
            if Int.random(in: 0..<10, using: &rng) == 0 {
                workload.nodeSelector = ["topology.kubernetes.io/zone": zones[Int.random(in: 0..<3, using: &rng)]]
            }
            if workload.layer == .cloud && Int.random(in: 0..<20, using: &rng) == 0 {
                workload.tolerations = [PlacementToleration(key: "dedicated", value: "vision", effect: .noSchedule)]
            }
            workload.replicas = min(workload.replicas, target - total)
            total += workload.replicas
            workloads.append(workload)
        }
        return workloads
    }

    /// `count` nodes. With `tightness`, GPU servers are added only until each GPU class has that
    /// many times the GPUs the batch needs at least (memory ÷ usable per-GPU memory, plus
    /// exclusive GPUs); the rest are Arm boxes. Without it, a roomy mix: 40% cloud T4 servers,
    /// 30% edge P4 servers, 30% Arm boxes.
    static func nodes(count: Int, seed: UInt64, tightFor workloads: [PlacementWorkload]? = nil, tightness: Double = 1.03) -> [PlacementNode] {
        var rng = SplitMix64(seed: seed)
        var t4Target = Int.max, p4Target = Int.max
        if let workloads {
            var t4Units = 0, p4Units = 0, exclusive = 0
            for w in workloads where w.needsGPU {
                if w.gpuExclusive { exclusive += w.replicas } else if w.layer == .cloud { t4Units += w.replicas * Int(w.gpuMemoryMiB / 1024) } else { p4Units += w.replicas * Int(w.gpuMemoryMiB / 1024) }
            }
            t4Target = Int((Double((t4Units + 14) / 15 + exclusive) * tightness).rounded(.up))
            p4Target = Int((Double((p4Units + 6) / 7) * tightness).rounded(.up))
        }
        var nodes: [PlacementNode] = []
        var t4s = 0, p4s = 0
        for i in 0..<count {
            let zone = zones[Int.random(in: 0..<3, using: &rng)]
            let roll = Int.random(in: 0..<10, using: &rng)
            let wantT4 = workloads == nil ? roll < 4 : t4s < t4Target
            let wantP4 = workloads == nil ? (roll >= 4 && roll < 7) : (!wantT4 && p4s < p4Target)
            var node: PlacementNode
            if wantT4 {
                let gpus = Int.random(in: 1...4, using: &rng)
                t4s += gpus
                node = PlacementNode(
                    name: "cloud-\(i)", cpuMillis: 64_000, memoryBytes: 256 * gib, allocatableGPUs: gpus * t4Slices, architecture: "amd64",
                    labels: ["kubernetes.io/arch": "amd64", "topology.kubernetes.io/zone": zone],
                    gpuProduct: "Tesla-T4", gpuMemoryMiB: 15360, gpuCountLabel: gpus, allocatablePods: 110)
                switch Int.random(in: 0..<50, using: &rng) {
                case 0: node.taints = [dedicated]
                case 1..<4: node.taints = [spot]
                default: break
                }
            } else if wantP4 {
                p4s += 1
                node = PlacementNode(
                    name: "edge-p4-\(i)", cpuMillis: 16_000, memoryBytes: 64 * gib, allocatableGPUs: p4Slices, architecture: "amd64",
                    isEdge: true, taints: [.edgeRole],
                    labels: ["kubernetes.io/arch": "amd64", PlacementNode.edgeRoleLabel: "", "topology.kubernetes.io/zone": zone],
                    gpuProduct: "Tesla-P4", gpuMemoryMiB: 7611, gpuCountLabel: 1, allocatablePods: 110)
            } else {
                node = PlacementNode(
                    name: "edge-arm-\(i)", cpuMillis: 4_000, memoryBytes: 8 * gib, architecture: "arm64",
                    isEdge: true, taints: [.edgeRole],
                    labels: ["kubernetes.io/arch": "arm64", PlacementNode.edgeRoleLabel: "", "topology.kubernetes.io/zone": zone],
                    allocatablePods: 110)
            }
            nodes.append(node)
        }
        return nodes
    }

    /// `count` pods of other workloads bound to `nodes`: two DaemonSet pods per node (100m CPU,
    /// 128 MiB), the rest spread at random: services on the cloud servers (250m to 1 CPU, 512 MiB
    /// to 2 GiB; one in fifty a training job holding a GPU unit, at most two per server), agents
    /// on the edge servers (100m to 250m, 256 MiB), small helpers on the Arm boxes (50m, 64 MiB).
    static func foreignPods(count: Int, nodes: [PlacementNode], seed: UInt64) -> [PlacementPod] {
        guard !nodes.isEmpty else { return [] }
        var rng = SplitMix64(seed: seed)
        var pods: [PlacementPod] = []
        pods.reserveCapacity(count)
        for node in nodes where pods.count + 2 <= count {
            for _ in 0..<2 { pods.append(PlacementPod(node: node.name, cpuMillis: 100, memoryBytes: 128 << 20)) }
        }
        var training: [Int: Int] = [:]
        while pods.count < count {
            let index = Int.random(in: 0..<nodes.count, using: &rng)
            let node = nodes[index]
            var pod = PlacementPod(node: node.name)
            if node.gpuProduct == "Tesla-T4" {
                pod.cpuMillis = Int64.random(in: 1...4, using: &rng) * 250
                pod.memoryBytes = Int64.random(in: 1...4, using: &rng) * (512 << 20)
                if Int.random(in: 0..<50, using: &rng) == 0 && training[index, default: 0] < 2 {
                    pod.gpuDevices = 1
                    training[index, default: 0] += 1
                }
            } else if node.gpuProduct == "Tesla-P4" {
                pod.cpuMillis = Int64.random(in: 2...5, using: &rng) * 50
                pod.memoryBytes = 256 << 20
            } else {
                pod.cpuMillis = 50
                pod.memoryBytes = 64 << 20
            }
            pods.append(pod)
        }
        return pods
    }
}
