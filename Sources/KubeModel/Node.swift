/// A core/v1 Node; GPU and role information lives in its labels.
public struct Node: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?

    public init(apiVersion: String? = "v1", kind: String? = "Node", metadata: ObjectMeta = ObjectMeta(),
                spec: NodeSpec? = nil, status: NodeStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Scheduling-relevant settings of a node.
public struct NodeSpec: Codable, Sendable, Hashable {
    public var unschedulable: Bool?
    public var taints: [Taint]?
    public var podCIDR: String?
    public var providerID: String?

    public init(unschedulable: Bool? = nil, taints: [Taint]? = nil, podCIDR: String? = nil,
                providerID: String? = nil) {
        self.unschedulable = unschedulable
        self.taints = taints
        self.podCIDR = podCIDR
        self.providerID = providerID
    }
}

/// Repels pods that do not tolerate it.
public struct Taint: Codable, Sendable, Hashable {
    public var key: String
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String
    public var timeAdded: String?

    public init(key: String, value: String? = nil, effect: String, timeAdded: String? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }
}

/// Capacity, conditions and system information of a node.
public struct NodeStatus: Codable, Sendable, Hashable {
    public var capacity: [String: Quantity]?
    public var allocatable: [String: Quantity]?
    public var conditions: [Condition]?
    public var addresses: [NodeAddress]?
    public var nodeInfo: NodeSystemInfo?

    public init(capacity: [String: Quantity]? = nil, allocatable: [String: Quantity]? = nil,
                conditions: [Condition]? = nil, addresses: [NodeAddress]? = nil, nodeInfo: NodeSystemInfo? = nil) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.conditions = conditions
        self.addresses = addresses
        self.nodeInfo = nodeInfo
    }
}

/// An address of a node (`InternalIP`, `Hostname`, ...).
public struct NodeAddress: Codable, Sendable, Hashable {
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}

/// What a node runs: architecture (`amd64`, `arm64`), OS, kubelet and runtime versions.
public struct NodeSystemInfo: Codable, Sendable, Hashable {
    public var architecture: String?
    public var operatingSystem: String?
    public var osImage: String?
    public var kernelVersion: String?
    public var kubeletVersion: String?
    public var kubeProxyVersion: String?
    public var containerRuntimeVersion: String?
    public var machineID: String?
    public var systemUUID: String?
    public var bootID: String?

    public init(architecture: String? = nil, operatingSystem: String? = nil, osImage: String? = nil,
                kernelVersion: String? = nil, kubeletVersion: String? = nil, kubeProxyVersion: String? = nil,
                containerRuntimeVersion: String? = nil, machineID: String? = nil, systemUUID: String? = nil,
                bootID: String? = nil) {
        self.architecture = architecture
        self.operatingSystem = operatingSystem
        self.osImage = osImage
        self.kernelVersion = kernelVersion
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.containerRuntimeVersion = containerRuntimeVersion
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
    }
}
extension Node {
    public static let gvr = GroupVersionResource.nodes
    public static let gvk = GroupVersionKind(apiVersion: "v1", kind: "Node")

    /// Whether the `Ready` condition is `True`.
    public var isReady: Bool { status?.conditions?[type: "Ready"]?.isTrue ?? false }
}
