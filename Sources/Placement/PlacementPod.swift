/// A pod bound to a node, as placement counts it: what it requests there (kube-scheduler
/// subtracts every bound pod's requests from the node's allocatable, whoever created it).
///
/// One value may stand for several pods of the same node added up (`count`).
public struct PlacementPod: Sendable, Hashable {
    public var node: String
    /// CPU requested, in millicores.
    public var cpuMillis: Int64
    /// Memory requested, in bytes.
    public var memoryBytes: Int64
    /// Units of the GPU device-plugin resource requested.
    public var gpuDevices: Int
    /// How many pods this value stands for.
    public var count: Int
    /// The InferenceModel whose serving pod this is, when this operator created it. Such pods
    /// on a node the model's previous placement names are the placement itself and are not
    /// counted twice; elsewhere (a Deployment still draining) they count like any pod.
    public var model: ModelKey?

    public init(node: String, cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, gpuDevices: Int = 0, count: Int = 1,
                model: ModelKey? = nil) {
        self.node = node
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpuDevices = gpuDevices
        self.count = count
        self.model = model
    }
}

/// What bound pods take from one node.
struct NodeLoad: Sendable, Hashable {
    var cpuMillis: Int64 = 0
    var memoryBytes: Int64 = 0
    var gpuDevices = 0
    var pods = 0

    mutating func add(_ pod: PlacementPod) {
        cpuMillis += pod.cpuMillis
        memoryBytes += pod.memoryBytes
        gpuDevices += pod.gpuDevices
        pods += pod.count
    }
}
