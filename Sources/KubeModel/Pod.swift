/// A core/v1 Pod.
public struct Pod: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(apiVersion: String? = "v1", kind: String? = "Pod", metadata: ObjectMeta = ObjectMeta(),
                spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The observed state of a pod, including why its containers stopped.
public struct PodStatus: Codable, Sendable, Hashable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    public var conditions: [Condition]?
    public var message: String?
    public var reason: String?
    public var hostIP: String?
    public var podIP: String?
    public var startTime: String?
    public var qosClass: String?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?

    public init(phase: String? = nil, conditions: [Condition]? = nil, message: String? = nil, reason: String? = nil,
                hostIP: String? = nil, podIP: String? = nil, startTime: String? = nil, qosClass: String? = nil,
                initContainerStatuses: [ContainerStatus]? = nil, containerStatuses: [ContainerStatus]? = nil) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.hostIP = hostIP
        self.podIP = podIP
        self.startTime = startTime
        self.qosClass = qosClass
        self.initContainerStatuses = initContainerStatuses
        self.containerStatuses = containerStatuses
    }
}

/// The state of one container of a pod.
public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var state: ContainerState?
    public var lastState: ContainerState?
    public var ready: Bool
    public var restartCount: Int
    public var image: String?
    public var imageID: String?
    public var containerID: String?
    public var started: Bool?

    public init(name: String, state: ContainerState? = nil, lastState: ContainerState? = nil, ready: Bool = false,
                restartCount: Int = 0, image: String? = nil, imageID: String? = nil, containerID: String? = nil,
                started: Bool? = nil) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
    }
}

/// One of waiting, running or terminated.
public struct ContainerState: Codable, Sendable, Hashable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// A container not yet running (`ContainerCreating`, `CrashLoopBackOff`, ...).
public struct ContainerStateWaiting: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?

    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// A running container.
public struct ContainerStateRunning: Codable, Sendable, Hashable {
    public var startedAt: String?

    public init(startedAt: String? = nil) {
        self.startedAt = startedAt
    }
}

/// A finished container; `message` holds its termination message.
public struct ContainerStateTerminated: Codable, Sendable, Hashable {
    public var exitCode: Int
    public var signal: Int?
    public var reason: String?
    public var message: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var containerID: String?

    public init(exitCode: Int, signal: Int? = nil, reason: String? = nil, message: String? = nil,
                startedAt: String? = nil, finishedAt: String? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
extension Pod {
    public static let gvr = GroupVersionResource.pods
    public static let gvk = GroupVersionKind(apiVersion: "v1", kind: "Pod")
}
