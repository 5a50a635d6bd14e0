import KubeModel
import ModelAPI
import Placement

/// How a GPU model's replicas get their GPU, and so what the NVIDIA device plugin must offer.
///
/// In the device-plugin modes every GPU replica (shared or exclusive) requests one unit of the
/// device plugin's resource (`OperatorSettings.gpuResource`, `nvidia.com/gpu` by default), so
/// kube-scheduler and the device plugin know about every replica, and placement counts those
/// units per node as kube-scheduler does. How many replicas share one GPU is the device
/// plugin's configuration: a stock plugin advertises each GPU once (one replica per GPU),
/// time-slicing or MPS with `replicas: N` advertises it N times.
public enum GPUSharingMode: String, Sendable, Codable, CaseIterable {
    /// One unit of the device-plugin resource per replica; share GPUs by configuring the
    /// device plugin's time-slicing (`sharing.timeSlicing.resources[].replicas`). The default.
    case timeSlicing = "time-slicing"
    /// One unit of the device-plugin resource per replica, for a device plugin configured for
    /// MPS (`sharing.mps`), which also caps each replica's GPU memory at the GPU's memory
    /// divided by `replicas`.
    case mps = "mps"
    /// Legacy, opt-in: a shared replica requests no device-plugin resource and is handed its GPU
    /// through `NVIDIA_VISIBLE_DEVICES`; kube-scheduler and the device plugin do not know it
    /// runs there and may give the same GPU to other pods. Exclusive replicas still request one unit.
    case visibleDevices = "visible-devices"

    /// How the placement core counts device-plugin units for this mode.
    public var gpuAllocation: GPUAllocation { self == .visibleDevices ? .exclusiveOnly : .devicePlugin }
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
    /// The resource the NVIDIA device plugin advertises GPUs as (`nvidia.com/gpu`; another name
    /// when the cluster renames shared GPUs, such as `nvidia.com/gpu.shared`).
    public var gpuResource: String
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

    public init(fetchImage: String = "ghcr.io/kubeedge/model-operator:\(BuildInfo.version)",
                cacheHostPath: String = "/var/lib/model-operator/cache",
                runtimes: ServingRuntimeCatalog = .defaults, gpuSharing: GPUSharingMode = .timeSlicing,
                gpuResource: String = PlacementNode.defaultGPUResource,
                edgeUnreachableTolerationSeconds: Int64 = 86_400, maxReplicas: Int = 100,
                downloadPolicy: DownloadPolicyChoice = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: nil,
                                                                            inCluster: false)) {
        self.fetchImage = fetchImage
        self.cacheHostPath = cacheHostPath
        self.runtimes = runtimes
        self.gpuSharing = gpuSharing
        self.gpuResource = gpuResource
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
