import KubeModel
import Placement

/// What placement needs of a pod, and nothing more: its key, node, phase, the InferenceModel it
/// serves (when this operator created it) and what it requests, as kube-scheduler counts it.
///
/// Decoded straight from the Pod JSON of a list or watch (everything else is skipped while
/// decoding), so a cache of every pod of a large cluster stays small: a few hundred bytes per pod
/// instead of the whole object.
public struct PodFootprint: WatchObject, Hashable {
    public var namespace: String?
    public var name: String
    public var resourceVersion: String?
    public var nodeName: String?
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    /// The `ai.kubeedge.io/inferencemodel` label of pods labelled managed by model-operator.
    public var model: String?
    /// The pod's effective request (the larger of the containers' sum and the largest init
    /// container, plus the pod overhead): CPU in millicores, memory in bytes.
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    /// Other resources (`nvidia.com/gpu`, ...) in whole units, same rule.
    public var extended: [String: Int64]

    public init(namespace: String?, name: String, resourceVersion: String? = nil, nodeName: String?, phase: String?,
                model: String? = nil, cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, extended: [String: Int64] = [:]) {
        self.namespace = namespace
        self.name = name
        self.resourceVersion = resourceVersion
        self.nodeName = nodeName
        self.phase = phase
        self.model = model
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.extended = extended
    }

    public var objectKey: ObjectKey { ObjectKey(namespace: namespace, name: name) }
    public var objectResourceVersion: String? { resourceVersion }

    /// Whether the pod holds its node's resources: bound, and not finished (kube-scheduler's rule).
    public var holdsNode: Bool {
        guard let nodeName, !nodeName.isEmpty else { return false }
        return phase != "Succeeded" && phase != "Failed"
    }

    /// The pod as placement counts it, with `gpuResource` as its GPU device units; nil when it holds no node.
    public func placementPod(gpuResource: String) -> PlacementPod? {
        guard holdsNode, let nodeName else { return nil }
        return PlacementPod(node: nodeName, cpuMillis: cpuMillis, memoryBytes: memoryBytes,
                            gpuDevices: Int(clamping: extended[gpuResource] ?? 0),
                            model: model.map { ModelKey(namespace: namespace ?? "default", name: $0) })
    }

    /// The field selector that leaves finished pods out of the watch, as kube-scheduler's own pod
    /// informer does; `spec.nodeName!=` also leaves out pods not yet bound.
    public static let boundAndNotFinished = "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed"

    // MARK: Decoding

    private enum Keys: String, CodingKey { case metadata, spec, status }
    private enum MetadataKeys: String, CodingKey { case name, namespace, resourceVersion, labels }
    private enum SpecKeys: String, CodingKey { case nodeName, containers, initContainers, overhead }
    private enum StatusKeys: String, CodingKey { case phase }
    private enum ContainerKeys: String, CodingKey { case resources }
    private enum ResourceKeys: String, CodingKey { case requests, limits }

    private static let managedByLabel = "app.kubernetes.io/managed-by"
    private static let modelLabel = "ai.kubeedge.io/inferencemodel"

    public init(from decoder: Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        let metadata = try root.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        name = try metadata.decode(String.self, forKey: .name)
        namespace = try metadata.decodeIfPresent(String.self, forKey: .namespace)
        resourceVersion = try metadata.decodeIfPresent(String.self, forKey: .resourceVersion)
        let labels = (try? metadata.decodeIfPresent([String: String].self, forKey: .labels)) ?? nil
        model = labels?[Self.managedByLabel] == "model-operator" ? labels?[Self.modelLabel] : nil
        phase = nil
        if root.contains(.status), let status = try? root.nestedContainer(keyedBy: StatusKeys.self, forKey: .status) {
            phase = try status.decodeIfPresent(String.self, forKey: .phase)
        }
        var total = ResourceSums()
        nodeName = nil
        if root.contains(.spec), let spec = try? root.nestedContainer(keyedBy: SpecKeys.self, forKey: .spec) {
            nodeName = try spec.decodeIfPresent(String.self, forKey: .nodeName)
            for container in try spec.decodeIfPresent([ContainerResources].self, forKey: .containers) ?? [] {
                total.add(container.requests)
            }
            for container in try spec.decodeIfPresent([ContainerResources].self, forKey: .initContainers) ?? [] {
                total.raise(to: container.requests)
            }
            if let overhead = try spec.decodeIfPresent([String: Quantity].self, forKey: .overhead) {
                total.add(ResourceSums(overhead))
            }
        }
        cpuMillis = total.cpuMillis
        memoryBytes = total.memoryBytes
        extended = total.extended
    }

    /// One container's requests; a resource with only a limit is requested at its limit (the API
    /// server's defaulting does the same).
    private struct ContainerResources: Decodable {
        var requests = ResourceSums()

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: ContainerKeys.self)
            guard container.contains(.resources),
                  let resources = try? container.nestedContainer(keyedBy: ResourceKeys.self, forKey: .resources)
            else { return }
            var merged = try resources.decodeIfPresent([String: Quantity].self, forKey: .limits) ?? [:]
            for (key, value) in try resources.decodeIfPresent([String: Quantity].self, forKey: .requests) ?? [:] {
                merged[key] = value
            }
            requests = ResourceSums(merged)
        }
    }
}

/// CPU, memory and other resources of one container or pod, added up.
struct ResourceSums: Hashable {
    var cpuMillis: Int64 = 0
    var memoryBytes: Int64 = 0
    var extended: [String: Int64] = [:]

    init() {}

    init(_ quantities: [String: Quantity]) {
        for (name, quantity) in quantities {
            switch name {
            case "cpu": cpuMillis = quantity.milliValue
            case "memory": memoryBytes = quantity.value
            case "ephemeral-storage", "pods": continue
            default: extended[name] = quantity.value
            }
        }
    }

    mutating func add(_ other: ResourceSums) {
        cpuMillis += other.cpuMillis
        memoryBytes += other.memoryBytes
        for (name, value) in other.extended { extended[name, default: 0] += value }
    }

    /// Each resource at least what `other` asks (an init container runs before the others).
    mutating func raise(to other: ResourceSums) {
        cpuMillis = max(cpuMillis, other.cpuMillis)
        memoryBytes = max(memoryBytes, other.memoryBytes)
        for (name, value) in other.extended { extended[name] = max(extended[name] ?? 0, value) }
    }
}
