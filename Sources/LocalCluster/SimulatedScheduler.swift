import KubeModel

/// A node as the simulated scheduler sees it in one cycle: the Node, and what the pods bound to
/// it (every pod with its `nodeName` that has not finished, whoever created it) request.
struct SchedulerNode: Sendable {
    let node: JSONValue
    let name: String
    let labels: [String: String]
    let allocatable: ResourceAmounts
    /// `spec.taints` and `spec.unschedulable`, read once per cycle rather than once per pod.
    let taints: [JSONValue]
    let unschedulable: Bool
    /// What the pods bound to it request, how many there are, and how many per controller.
    var usage: SchedulerCache.NodeUsage

    /// The node with what its bound pods already use (from the store's `SchedulerCache`).
    init(node: JSONValue, usage: SchedulerCache.NodeUsage? = nil) {
        self.node = node
        name = node.metaName
        labels = LabelSelector.labels(of: node)
        allocatable = ResourceAmounts.allocatable(of: node)
        taints = node[path: ["spec", "taints"]]?.arrayValue ?? []
        unschedulable = node[path: ["spec", "unschedulable"]]?.boolValue == true
        self.usage = usage ?? SchedulerCache.NodeUsage()
    }

    var requested: ResourceAmounts { usage.requested }
    var podCount: Int { usage.podCount }
    /// Bound pods per controller uid, for spreading a ReplicaSet's pods over nodes.
    var podsByController: [String: Int] { usage.podsByController }

    mutating func add(pod: JSONValue) { usage.add(pod) }
}

/// What the scheduler decided for one pod.
enum SchedulingDecision: Equatable {
    case bind(node: String)
    /// The `PodScheduled=False` condition's reason and message.
    case unschedulable(reason: String, message: String)
}

/// kube-scheduler's default profile, reduced to what decides feasibility for this project's pods.
///
/// Filters, in the default plugin order, the first failing one giving a node's reasons:
/// NodeUnschedulable (`spec.unschedulable` unless the pod tolerates the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint), TaintToleration (NoSchedule and NoExecute
/// taints; PreferNoSchedule only lowers the score), NodeAffinity (`nodeSelector` and required node
/// affinity), NodeResourcesFit (allocatable cpu, memory, ephemeral storage, extended resources such
/// as `nvidia.com/gpu`, and the `pods` count, minus what bound pods request).
/// Among feasible nodes it prefers, in order: more preferred-affinity weight, fewer untolerated
/// PreferNoSchedule taints, fewer pods of the same controller (spreading), the least allocated cpu
/// and memory, then the name.
///
/// A pod that fits nowhere gets kube-scheduler's FitError message, including the part the
/// DefaultPreemption plugin appends. Preemption itself is not simulated: every pod is treated as
/// priority 0, so no victims are ever found. PreFilter narrowing (newer schedulers report nodes
/// outside a `matchFields` node-name list as "filtered out by the prefilter result") is not
/// modelled: those nodes count as not matching the node affinity.
enum SimulatedScheduler {
    static let unschedulableTaint: JSONValue = ["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]

    /// Why one node cannot take the pod: the failing plugin's reasons, and whether preemption could help.
    struct Rejection: Equatable {
        var reasons: [String]
        var resolvable: Bool
    }

    static func decide(pod: JSONValue, nodes: [SchedulerNode]) -> SchedulingDecision {
        guard !nodes.isEmpty else {
            return .unschedulable(reason: "Unschedulable", message: "no nodes available to schedule pods")
        }
        let spec = pod["spec"] ?? [:]
        let request = PodRequest(spec: spec)
        let controller = pod.controllerUID
        var rejections: [Rejection] = []
        var best: (node: SchedulerNode, score: Score)?
        for node in nodes {
            if let rejection = filter(spec: spec, request: request, node: node) {
                rejections.append(rejection)
                continue
            }
            let score = Score(spec: spec, request: request, node: node, controller: controller)
            if best.map({ score.isBetter(than: $0.score) }) ?? true { best = (node, score) }
        }
        if let best { return .bind(node: best.node.name) }
        return .unschedulable(reason: "Unschedulable",
                              message: fitErrorMessage(nodeCount: nodes.count, rejections: rejections,
                                                       preemptionPolicy: spec["preemptionPolicy"]?.stringValue))
    }

    /// What one pod asks of every node, read from its spec once per scheduling decision.
    struct PodRequest {
        let requests: ResourceAmounts
        /// The requested resources the scheduler checks against allocatable, in name order.
        let checkedNames: [String]
        let tolerations: [JSONValue]

        init(spec: JSONValue) {
            let requests = ResourceAmounts.requests(ofPodSpec: spec)
            self.requests = requests
            checkedNames = requests.names.sorted().filter { ResourceAmounts.isChecked($0) && requests[$0] > 0 }
            tolerations = spec["tolerations"]?.arrayValue ?? []
        }
    }

    /// The first failing filter's verdict for the node, nil when the pod fits.
    static func filter(spec: JSONValue, request: PodRequest, node: SchedulerNode) -> Rejection? {
        let tolerations = request.tolerations
        if node.unschedulable,
           !tolerations.contains(where: { TaintToleration.tolerates($0, unschedulableTaint) }) {
            return Rejection(reasons: ["node(s) were unschedulable"], resolvable: false)
        }
        if let taint = TaintToleration.firstUntolerated(taints: node.taints, tolerations: tolerations,
                                                        effects: ["NoSchedule", "NoExecute"]) {
            let key = taint["key"]?.stringValue ?? ""
            let value = taint["value"]?.stringValue ?? ""
            return Rejection(reasons: ["node(s) had untolerated taint {\(key): \(value)}"], resolvable: false)
        }
        if !NodeAffinityMatch.matches(podSpec: spec, labels: node.labels, nodeName: node.name) {
            return Rejection(reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false)
        }
        var reasons: [String] = []
        if Int64(node.podCount) + 1 > node.allocatable["pods"] { reasons.append("Too many pods") }
        for name in request.checkedNames where request.requests[name] > node.allocatable[name] - node.requested[name] {
            reasons.append("Insufficient \(name)")
        }
        return reasons.isEmpty ? nil : Rejection(reasons: reasons, resolvable: true)
    }

    /// `FitError.Error()`: "0/N nodes are available: " and the reasons counted over nodes as
    /// "<count> <reason>" strings sorted as strings, then the DefaultPreemption PostFilter's message.
    static func fitErrorMessage(nodeCount: Int, rejections: [Rejection], preemptionPolicy: String?) -> String {
        var reasons: [String: Int] = [:]
        for rejection in rejections {
            for reason in rejection.reasons { reasons[reason, default: 0] += 1 }
        }
        let postFilter: String
        if preemptionPolicy == "Never" {
            postFilter = "not eligible due to preemptionPolicy=Never."
        } else {
            var verdicts: [String: Int] = [:]
            for rejection in rejections {
                let verdict = rejection.resolvable
                    ? "No preemption victims found for incoming pod." : "Preemption is not helpful for scheduling"
                verdicts[verdict, default: 0] += 1
            }
            postFilter = noNodeAvailable(nodeCount, verdicts)
        }
        return noNodeAvailable(nodeCount, reasons) + " preemption: " + postFilter
    }

    private static func noNodeAvailable(_ nodeCount: Int, _ histogram: [String: Int]) -> String {
        let sorted = histogram.map { "\($0.value) \($0.key)" }.sorted()
        return "0/\(nodeCount) nodes are available: \(sorted.joined(separator: ", "))."
    }

    /// How much the scheduler likes a feasible node.
    struct Score {
        var preferredWeight: Int64
        var untoleratedPreferNoSchedule: Int
        var sameController: Int
        var freeShare: Double
        var name: String

        init(spec: JSONValue, request: PodRequest, node: SchedulerNode, controller: String?) {
            let requests = request.requests
            preferredWeight = NodeAffinityMatch.preferredWeight(podSpec: spec, labels: node.labels, nodeName: node.name)
            untoleratedPreferNoSchedule = TaintToleration.untoleratedPreferNoSchedule(
                taints: node.taints, tolerations: request.tolerations)
            sameController = controller.map { node.podsByController[$0] ?? 0 } ?? 0
            func free(_ resource: String) -> Double {
                let allocatable = node.allocatable[resource]
                guard allocatable > 0 else { return 0 }
                return Double(allocatable - node.requested[resource] - requests[resource]) / Double(allocatable)
            }
            freeShare = (free("cpu") + free("memory")) / 2
            name = node.name
        }

        func isBetter(than other: Score) -> Bool {
            if preferredWeight != other.preferredWeight { return preferredWeight > other.preferredWeight }
            if untoleratedPreferNoSchedule != other.untoleratedPreferNoSchedule {
                return untoleratedPreferNoSchedule < other.untoleratedPreferNoSchedule
            }
            if sameController != other.sameController { return sameController < other.sameController }
            if freeShare != other.freeShare { return freeShare > other.freeShare }
            return name < other.name
        }
    }
}

extension JSONValue {
    /// The uid of the owner reference marked `controller: true`, if any.
    var controllerUID: String? {
        ownerReferences.first { $0["controller"]?.boolValue == true }?["uid"]?.stringValue
    }

    /// The kind of the controlling owner reference, if any.
    var controllerKind: String? {
        ownerReferences.first { $0["controller"]?.boolValue == true }?["kind"]?.stringValue
    }
}
