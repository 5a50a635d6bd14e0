import KubeClient
import ModelAPI

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
    /// The most replicas one model may ask for (`--max-replicas`); a model asking more gets
    /// `Ready=False` with reason `InvalidSpec`, and what serves keeps serving. The CRD caps
    /// `replicas` at 1000 for every cluster; this policy can only lower that.
    public var maxReplicas: Int
    /// The size limit of a pod's models volume (an emptyDir), so an archive that unpacks to
    /// more than it should cannot fill the node's disk (`--model-volume-size`).
    public var modelVolumeSizeLimit: Quantity = "20Gi"
    /// The archive URL policy, which the `fetch` init containers get as arguments too.
    public var downloadPolicy: DownloadPolicyChoice

    public init(fetchImage: String = "ghcr.io/kubeedge/model-operator:0.1.0",
                cacheHostPath: String = "/var/lib/model-operator/cache",
                runtimes: ServingRuntimeCatalog = .defaults, gpuSharing: GPUSharingMode = .visibleDevices,
                edgeUnreachableTolerationSeconds: Int64 = 86_400, maxReplicas: Int = 100,
                downloadPolicy: DownloadPolicyChoice = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: nil,
                                                                            inCluster: false)) {
        self.fetchImage = fetchImage
        self.cacheHostPath = cacheHostPath
        self.runtimes = runtimes
        self.gpuSharing = gpuSharing
        self.edgeUnreachableTolerationSeconds = edgeUnreachableTolerationSeconds
        self.maxReplicas = maxReplicas
        self.downloadPolicy = downloadPolicy
    }

    /// What this operator's policy refuses of a spec the API's rules allow.
    public func policyIssues(_ spec: InferenceModelSpec) -> [ValidationIssue] {
        guard let replicas = spec.replicas, replicas > maxReplicas else { return [] }
        return [ValidationIssue(field: "spec.replicas", message: "spec.replicas \(replicas) is more than this operator "
            + "allows (\(maxReplicas), its --max-replicas); lower spec.replicas, or ask the cluster's administrators "
            + "to raise --max-replicas")]
    }
}
