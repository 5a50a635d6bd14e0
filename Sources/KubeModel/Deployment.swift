/// An `apps/v1` Deployment: a replicated pod template rolled out by ReplicaSets.
public struct Deployment: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec?
    public var status: DeploymentStatus?

    public init(apiVersion: String? = "apps/v1", kind: String? = "Deployment", metadata: ObjectMeta = ObjectMeta(),
                spec: DeploymentSpec? = nil, status: DeploymentStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a Deployment.
public struct DeploymentSpec: Codable, Sendable, Hashable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var strategy: DeploymentStrategy?
    public var revisionHistoryLimit: Int?
    public var minReadySeconds: Int?
    public var progressDeadlineSeconds: Int?
    public var paused: Bool?

    public init(replicas: Int? = nil, selector: LabelSelector = LabelSelector(),
                template: PodTemplateSpec = PodTemplateSpec(), strategy: DeploymentStrategy? = nil,
                revisionHistoryLimit: Int? = nil, minReadySeconds: Int? = nil, progressDeadlineSeconds: Int? = nil,
                paused: Bool? = nil) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
        self.revisionHistoryLimit = revisionHistoryLimit
        self.minReadySeconds = minReadySeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.paused = paused
    }
}

/// How a Deployment replaces pods: `RollingUpdate` (the default) or `Recreate`.
public struct DeploymentStrategy: Codable, Sendable, Hashable {
    public var type: String?
    public var rollingUpdate: RollingUpdateDeployment?

    public init(type: String? = nil, rollingUpdate: RollingUpdateDeployment? = nil) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

/// Bounds of a rolling update, as counts or percentages (`25%`).
public struct RollingUpdateDeployment: Codable, Sendable, Hashable {
    public var maxUnavailable: IntOrString?
    public var maxSurge: IntOrString?

    public init(maxUnavailable: IntOrString? = nil, maxSurge: IntOrString? = nil) {
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
    }
}

/// The observed state of a Deployment.
public struct DeploymentStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    public var replicas: Int?
    public var updatedReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var unavailableReplicas: Int?
    public var conditions: [Condition]?
    public var collisionCount: Int?

    public init(observedGeneration: Int64? = nil, replicas: Int? = nil, updatedReplicas: Int? = nil,
                readyReplicas: Int? = nil, availableReplicas: Int? = nil, unavailableReplicas: Int? = nil,
                conditions: [Condition]? = nil, collisionCount: Int? = nil) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.unavailableReplicas = unavailableReplicas
        self.conditions = conditions
        self.collisionCount = collisionCount
    }
}
extension Deployment {
    public static let gvr = GroupVersionResource.deployments
    public static let gvk = GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")
}
