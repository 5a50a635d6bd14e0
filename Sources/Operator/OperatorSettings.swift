/// How a shared GPU is handed to a serving pod.
public enum GPUSharingMode: String, Sendable, Codable, CaseIterable {
    /// The pod requests no `nvidia.com/gpu`; `NVIDIA_VISIBLE_DEVICES` names the chosen GPU and
    /// the placement core keeps the memory accounting (works with the stock NVIDIA runtime).
    case visibleDevices = "visible-devices"
    /// The pod requests one `nvidia.com/gpu` of a device plugin configured for time-slicing,
    /// which advertises each GPU several times.
    case timeSlicing = "time-slicing"
}

/// The operator's own settings that shape what it renders.
public struct OperatorSettings: Sendable, Equatable {
    /// The image of `model-operator` itself, run as the `fetch` init container.
    public var fetchImage: String
    /// The node directory that keeps verified archives by digest, so a pod restart on an edge
    /// node without uplink still starts.
    public var cacheHostPath: String
    /// The frameworks and their serving images.
    public var runtimes: ServingRuntimeCatalog
    public var gpuSharing: GPUSharingMode
    /// How long edge pods stay bound to a node that stopped answering (KubeEdge nodes lose
    /// their uplink; the pods keep serving locally meanwhile).
    public var edgeUnreachableTolerationSeconds: Int64

    public init(fetchImage: String = "ghcr.io/kubeedge/model-operator:0.1.0",
                cacheHostPath: String = "/var/lib/model-operator/cache",
                runtimes: ServingRuntimeCatalog = .defaults, gpuSharing: GPUSharingMode = .visibleDevices,
                edgeUnreachableTolerationSeconds: Int64 = 86_400) {
        self.fetchImage = fetchImage
        self.cacheHostPath = cacheHostPath
        self.runtimes = runtimes
        self.gpuSharing = gpuSharing
        self.edgeUnreachableTolerationSeconds = edgeUnreachableTolerationSeconds
    }
}
