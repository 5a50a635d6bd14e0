import KubeModel

/// Amounts of compute resources as kube-scheduler counts them: `cpu` in millicores, everything
/// else (memory and ephemeral storage in bytes, `pods`, `nvidia.com/gpu` and other extended
/// resources) in whole units rounded up.
struct ResourceAmounts: Sendable, Equatable {
    private(set) var values: [String: Int64] = [:]

    init() {}

    /// A resource list such as `{"cpu": "500m", "memory": "1Gi"}`; unparsable quantities count as zero.
    init(list: JSONValue?) {
        for (name, value) in list?.objectValue ?? [:] {
            let text: String? = switch value {
            case .string(let string): string
            case .int(let number): String(number)
            case .double(let number): String(number)
            default: nil
            }
            guard let text, let quantity = try? Quantity(parsing: text) else { continue }
            values[name] = name == "cpu" ? quantity.milliValue : quantity.value
        }
    }

    subscript(name: String) -> Int64 {
        get { values[name] ?? 0 }
        set { values[name] = newValue }
    }

    var names: Dictionary<String, Int64>.Keys { values.keys }

    mutating func add(_ other: ResourceAmounts) {
        for (name, amount) in other.values { values[name, default: 0] += amount }
    }

    mutating func subtract(_ other: ResourceAmounts) {
        for (name, amount) in other.values { values[name, default: 0] -= amount }
    }

    /// Keeps, per resource, the larger of this and `other`.
    mutating func raise(to other: ResourceAmounts) {
        for (name, amount) in other.values where amount > self[name] { values[name] = amount }
    }

    /// What a pod requests, as the scheduler computes it: per resource the larger of the sum over
    /// its containers and any single init container, plus the pod overhead. A container's limit
    /// stands in for a request it leaves out, as the API server defaults requests from limits.
    static func requests(ofPodSpec spec: JSONValue) -> ResourceAmounts {
        var total = ResourceAmounts()
        for container in spec["containers"]?.arrayValue ?? [] { total.add(containerRequests(container)) }
        for container in spec["initContainers"]?.arrayValue ?? [] { total.raise(to: containerRequests(container)) }
        total.add(ResourceAmounts(list: spec["overhead"]))
        return total
    }

    private static func containerRequests(_ container: JSONValue) -> ResourceAmounts {
        var amounts = ResourceAmounts(list: container[path: ["resources", "limits"]])
        for (name, amount) in ResourceAmounts(list: container[path: ["resources", "requests"]]).values {
            amounts.values[name] = amount
        }
        return amounts
    }

    /// A node's `status.allocatable`.
    static func allocatable(of node: JSONValue) -> ResourceAmounts {
        ResourceAmounts(list: node[path: ["status", "allocatable"]])
    }

    /// Whether NodeResourcesFit checks this resource: cpu, memory, ephemeral storage and the
    /// scalar resources (extended resources such as `nvidia.com/gpu`, hugepages, attachable volumes).
    static func isChecked(_ name: String) -> Bool {
        if ["cpu", "memory", "ephemeral-storage"].contains(name) { return true }
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        return name.contains("/") && !name.hasPrefix("kubernetes.io/") && !name.hasPrefix("requests.")
    }
}
