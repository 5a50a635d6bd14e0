import KubeClient
import KubeModel
import ModelAPI
import Placement

/// Test clusters (the random ones from KubeClient's seeded SplitMix64, so every random case can
/// be replayed from its seed). GPU servers run the NVIDIA device plugin with time-slicing (`sliced` replicas
/// per GPU: allocatable `nvidia.com/gpu` is the GPU count times that), so replicas can share a
/// GPU as far as its memory allows; `sliced: 1` is a stock device plugin (one pod per GPU).
enum Clusters {
    static let edgeTaint = PlacementTaint(key: "node-role.kubernetes.io/edge", effect: .noSchedule)
    static let gib: Int64 = 1 << 30
    /// Time-slicing replicas of the test clusters' GPUs: more than any GPU's memory in GiB.
    static let slices = 16

    static func t4(_ name: String, gpus: Int = 1, edge: Bool = false, labels: [String: String] = [:], sliced: Int = slices) -> PlacementNode {
        PlacementNode(name: name, cpuMillis: 32_000, memoryBytes: 128 * gib, allocatableGPUs: gpus * sliced, architecture: "amd64",
                      isEdge: edge, taints: edge ? [edgeTaint] : [], labels: labels,
                      gpuProduct: "Tesla-T4", gpuMemoryMiB: 15360, gpuCountLabel: gpus)
    }

    static func p4(_ name: String, edge: Bool = true, labels: [String: String] = [:], sliced: Int = slices) -> PlacementNode {
        PlacementNode(name: name, cpuMillis: 8_000, memoryBytes: 32 * gib, allocatableGPUs: sliced, architecture: "amd64",
                      isEdge: edge, taints: edge ? [edgeTaint] : [], labels: labels,
                      gpuProduct: "Tesla-P4", gpuMemoryMiB: 7611, gpuCountLabel: 1)
    }

    static func arm(_ name: String, edge: Bool = true) -> PlacementNode {
        PlacementNode(name: name, cpuMillis: 4_000, memoryBytes: 8 * gib, architecture: "arm64",
                      isEdge: edge, taints: edge ? [edgeTaint] : [])
    }

    static func model(_ name: String, replicas: Int = 1, gpuGiB: Int64 = 0, products: [String] = [], layer: PlacementLayer? = nil,
                      exclusive: Bool = false, cpu: Int64 = 100, memory: Int64 = 256 << 20) -> PlacementWorkload {
        // A GPU workload when it asks for GPU memory or a whole GPU, as these tests always wrote it.
        let gpu = gpuGiB > 0 || exclusive ? GPUWorkload(memoryMiB: gpuGiB * 1024, products: products, exclusive: exclusive) : nil
        return PlacementWorkload(key: ModelKey(namespace: "default", name: name), replicas: replicas, cpuMillis: cpu,
                                 memoryBytes: memory, gpu: gpu, layer: layer)
    }

    /// A random heterogeneous cluster: T4 servers, P4 edge servers, Arm boxes, with taints,
    /// zones, cordoned and NotReady nodes mixed in.
    static func randomNodes(_ rng: inout SplitMix64, count: Int) -> [PlacementNode] {
        (0..<count).map { i in
            let zone = ["zone-a", "zone-b", "zone-c"].randomElement(using: &rng) ?? "zone-a"
            var node: PlacementNode
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<4: node = t4("t4-\(i)", gpus: Int.random(in: 1...4, using: &rng), edge: Bool.random(using: &rng) && Bool.random(using: &rng))
            case 4..<7: node = p4("p4-\(i)", edge: Int.random(in: 0..<4, using: &rng) != 0)
            case 7..<9: node = arm("arm-\(i)", edge: Int.random(in: 0..<4, using: &rng) != 0)
            default:
                node = PlacementNode(name: "cpu-\(i)", cpuMillis: 16_000, memoryBytes: 64 * gib, architecture: "amd64")
            }
            node.labels["topology.kubernetes.io/zone"] = zone
            node.cpuMillis = Int64.random(in: 1...16, using: &rng) * 1000
            node.memoryBytes = Int64.random(in: 2...64, using: &rng) * gib
            if node.isEdge && Int.random(in: 0..<5, using: &rng) == 0 { node.taints = [] }
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: node.taints.append(PlacementTaint(key: "dedicated", value: "vision", effect: .noSchedule))
            case 1: node.taints.append(PlacementTaint(key: "maintenance", effect: .noExecute))
            case 2: node.taints.append(PlacementTaint(key: "spot", value: "true", effect: .preferNoSchedule))
            default: break
            }
            if Int.random(in: 0..<15, using: &rng) == 0 { node.ready = false }
            if Int.random(in: 0..<15, using: &rng) == 0 { node.unschedulable = true }
            return node
        }
    }

    /// A random batch of models whose constraints touch every filter.
    static func randomWorkloads(_ rng: inout SplitMix64, count: Int, nodeNames: [String], prefix: String = "m") -> [PlacementWorkload] {
        (0..<count).map { i in
            var workload = PlacementWorkload(key: ModelKey(namespace: ["default", "vision"].randomElement(using: &rng) ?? "default", name: "\(prefix)-\(i)"),
                                             replicas: Int.random(in: 0...4, using: &rng))
            workload.cpuMillis = Int64.random(in: 1...20, using: &rng) * 100
            workload.memoryBytes = Int64.random(in: 1...16, using: &rng) * (256 << 20)
            // A GPU workload (3 in 10) asks for GPU memory, sometimes a whole GPU and a product.
            var gpuMiB: Int64
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<3: gpuMiB = 0
            case 3..<8: gpuMiB = Int64.random(in: 1...8, using: &rng) * 1024
            default: gpuMiB = Int64.random(in: 1...12, using: &rng) * 512
            }
            let exclusive = gpuMiB > 0 && Int.random(in: 0..<8, using: &rng) == 0
            var products: [String] = []
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: products = ["Tesla-P4"]
            case 1: products = ["Tesla-T4"]
            default: break
            }
            if gpuMiB > 0 { workload.gpu = GPUWorkload(memoryMiB: gpuMiB, products: products, exclusive: exclusive) }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: workload.architectures = ["arm64"]
            case 1: workload.architectures = ["amd64"]
            case 2: workload.architectures = ["amd64", "arm64"]
            default: break
            }
            workload.layer = [PlacementLayer.edge, .cloud, nil].randomElement(using: &rng) ?? nil
            if Int.random(in: 0..<5, using: &rng) == 0 {
                workload.nodeSelector = ["topology.kubernetes.io/zone": ["zone-a", "zone-b", "zone-c"].randomElement(using: &rng) ?? "zone-a"]
            }
            if Int.random(in: 0..<12, using: &rng) == 0 {
                workload.nodeName = Bool.random(using: &rng) ? nodeNames.randomElement(using: &rng) : "no-such-node"
            }
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: workload.tolerations = [PlacementToleration(key: "dedicated", value: "vision", effect: .noSchedule)]
            case 1: workload.tolerations = [PlacementToleration(key: "spot", operator: .exists)]
            case 2: workload.tolerations = [PlacementToleration(key: "node-role.kubernetes.io/edge", operator: .exists)]
            default: break
            }
            return workload
        }
    }
}

/// Checks a plan against the nodes and workloads with its own reading of the rules, so a bug
/// in the planner's filters is not repeated here. Returns every violation found.
enum PlanChecker {
    /// `pods` are other pods bound to the nodes; all of them count.
    static func violations(nodes: [PlacementNode], workloads: [PlacementWorkload], plan: PlacementPlan,
                           pods: [PlacementPod] = []) -> [String] {
        var problems: [String] = []
        let byName = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let byKey = Dictionary(workloads.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var cpu: [String: Int64] = [:]
        var memory: [String: Int64] = [:]
        var devices: [String: Int] = [:]
        var podCount: [String: Int] = [:]
        for pod in pods {
            cpu[pod.node, default: 0] += pod.cpuMillis
            memory[pod.node, default: 0] += pod.memoryBytes
            devices[pod.node, default: 0] += pod.gpuDevices
            podCount[pod.node, default: 0] += pod.count
        }
        var gpuMemory: [String: Int64] = [:]
        var gpuExclusiveUse: [String: Int] = [:]
        var gpuSharedUse: [String: Int] = [:]
        for model in plan.models {
            guard let workload = byKey[model.key] else { problems.append("\(model.key) is not in the batch"); continue }
            if model.placedReplicas > max(0, workload.replicas) { problems.append("\(model.key) has more replicas than requested") }
            if (model.unplaceable != nil) != (model.placedReplicas < max(0, workload.replicas)) {
                problems.append("\(model.key): a reason must be given exactly when replicas are missing")
            }
            for a in model.assignments {
                let at = "\(model.key) on \(a.node)"
                guard let node = byName[a.node] else { problems.append("\(at): no such node"); continue }
                if a.replicas <= 0 { problems.append("\(at): empty assignment") }
                if !node.ready || node.unschedulable { problems.append("\(at): node not ready or cordoned") }
                if let name = workload.nodeName, name != node.name { problems.append("\(at): nodeName \(name)") }
                if workload.layer == .edge && !node.isEdge { problems.append("\(at): edge model on cloud node") }
                if workload.layer == .cloud && node.isEdge { problems.append("\(at): cloud model on edge node") }
                for (k, v) in workload.nodeSelector where node.labels[k] != v { problems.append("\(at): nodeSelector \(k)=\(v)") }
                if !workload.architectures.isEmpty && !workload.architectures.contains(node.architecture) { problems.append("\(at): architecture \(node.architecture)") }
                for taint in node.taints where taint.effect != .preferNoSchedule {
                    let edgeOK = workload.layer == .edge && taint.key == "node-role.kubernetes.io/edge"
                    let tolerated = workload.tolerations.contains { t in
                        (t.effect == nil || t.effect == taint.effect)
                            && (t.operator == .exists ? (t.key.isEmpty || t.key == taint.key) : (t.key == taint.key && t.value == taint.value))
                    }
                    if !edgeOK && !tolerated { problems.append("\(at): untolerated taint \(taint)") }
                }
                cpu[a.node, default: 0] += workload.cpuMillis * Int64(a.replicas)
                memory[a.node, default: 0] += workload.memoryBytes * Int64(a.replicas)
                podCount[a.node, default: 0] += a.replicas
                let needsGPU = workload.gpu != nil
                if needsGPU && (workload.gpuAllocation == .devicePlugin || workload.gpuExclusive) {
                    devices[a.node, default: 0] += a.replicas
                }
                if needsGPU {
                    guard let slot = a.gpuIndex else { problems.append("\(at): GPU model without a GPU slot"); continue }
                    let count = min(node.gpuCountLabel ?? Int.max, node.allocatableGPUs ?? Int.max)
                    if slot < 0 || slot >= count || count == Int.max { problems.append("\(at): GPU slot \(slot) does not exist") }
                    if !workload.gpuProducts.isEmpty && !workload.gpuProducts.contains(node.gpuProduct ?? "") {
                        problems.append("\(at): GPU product \(node.gpuProduct ?? "none") not allowed")
                    }
                    if a.gpuMemoryMiB != workload.gpuMemoryMiB { problems.append("\(at): GPU memory recorded wrongly") }
                    let gpuKey = "\(a.node)#\(slot)"
                    if workload.gpuExclusive {
                        gpuExclusiveUse[gpuKey, default: 0] += a.replicas
                        if workload.gpuMemoryMiB > (node.gpuMemoryMiB ?? 0) { problems.append("\(at): GPU too small") }
                    } else {
                        gpuSharedUse[gpuKey, default: 0] += a.replicas
                        gpuMemory[gpuKey, default: 0] += workload.gpuMemoryMiB * Int64(a.replicas)
                        if gpuMemory[gpuKey, default: 0] > (node.gpuMemoryMiB ?? 0) { problems.append("\(at): GPU \(slot) memory overcommitted") }
                    }
                } else if a.gpuIndex != nil {
                    problems.append("\(at): CPU-only model given a GPU")
                }
            }
        }
        for (name, used) in cpu where used > byName[name]?.cpuMillis ?? 0 { problems.append("\(name): CPU overcommitted") }
        for (name, used) in memory where used > byName[name]?.memoryBytes ?? 0 { problems.append("\(name): memory overcommitted") }
        for (name, used) in devices where used > byName[name]?.allocatableGPUs ?? 0 { problems.append("\(name): GPU device units overcommitted") }
        for (name, used) in podCount where used > byName[name]?.allocatablePods ?? Int.max { problems.append("\(name): too many pods") }
        for (gpu, count) in gpuExclusiveUse where count > 1 || gpuSharedUse[gpu] != nil { problems.append("\(gpu): exclusive GPU shared") }
        return problems
    }
}

/// InferenceModels as users write them, decoded and validated by ModelAPI, then read by placement:
/// the one path every caller takes.
enum Models {
    /// A valid model named `name`: `spec` holds the fields under test (YAML lines, `deployToLayer`
    /// among them), and the model gets the modelName, image and servingPort every valid model has.
    static func model(_ name: String, namespace: String = "default", spec: String) throws -> InferenceModel {
        let fields = spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return try InferenceModel.decode(from: YAML.parse("""
            apiVersion: ai.kubeedge.io/v1alpha1
            kind: InferenceModel
            metadata: {name: \(name), namespace: \(namespace)}
            spec:
              modelName: \(name)
              image: registry.example.com/models/\(name):1
              servingPort: 8080
            \(fields)
            """))
    }

    /// The placement workload of `model(name, spec:)`.
    static func workload(_ name: String, namespace: String = "default", spec: String) throws -> PlacementWorkload {
        try PlacementWorkload(model: model(name, namespace: namespace, spec: spec))
    }
}
