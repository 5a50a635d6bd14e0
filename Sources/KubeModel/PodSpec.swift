/// The pod a workload creates: metadata (labels) and spec.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec?

    public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// What runs in a pod and where it may be scheduled.
public struct PodSpec: Codable, Sendable, Hashable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var volumes: [Volume]?
    public var nodeName: String?
    public var nodeSelector: [String: String]?
    public var affinity: Affinity?
    public var tolerations: [Toleration]?
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var securityContext: PodSecurityContext?
    /// `Always`, `OnFailure` or `Never`.
    public var restartPolicy: String?
    public var terminationGracePeriodSeconds: Int64?
    public var priorityClassName: String?
    public var schedulerName: String?
    public var dnsPolicy: String?
    public var hostNetwork: Bool?
    public var hostPID: Bool?
    public var hostIPC: Bool?
    public var shareProcessNamespace: Bool?
    public var imagePullSecrets: [LocalObjectReference]?
    public var runtimeClassName: String?

    public init(containers: [Container] = [], initContainers: [Container]? = nil, volumes: [Volume]? = nil,
                nodeName: String? = nil, nodeSelector: [String: String]? = nil, affinity: Affinity? = nil,
                tolerations: [Toleration]? = nil, serviceAccountName: String? = nil,
                automountServiceAccountToken: Bool? = nil, securityContext: PodSecurityContext? = nil,
                restartPolicy: String? = nil, terminationGracePeriodSeconds: Int64? = nil,
                priorityClassName: String? = nil, schedulerName: String? = nil, dnsPolicy: String? = nil,
                hostNetwork: Bool? = nil, imagePullSecrets: [LocalObjectReference]? = nil,
                runtimeClassName: String? = nil) {
        self.containers = containers
        self.initContainers = initContainers
        self.volumes = volumes
        self.nodeName = nodeName
        self.nodeSelector = nodeSelector
        self.affinity = affinity
        self.tolerations = tolerations
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.securityContext = securityContext
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.priorityClassName = priorityClassName
        self.schedulerName = schedulerName
        self.dnsPolicy = dnsPolicy
        self.hostNetwork = hostNetwork
        self.imagePullSecrets = imagePullSecrets
        self.runtimeClassName = runtimeClassName
    }
}

/// Names an object in the same namespace.
public struct LocalObjectReference: Codable, Sendable, Hashable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}

/// Pod-level security settings, applied to every container.
public struct PodSecurityContext: Codable, Sendable, Hashable {
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var fsGroup: Int64?
    public var supplementalGroups: [Int64]?
    public var seccompProfile: SeccompProfile?

    public init(runAsUser: Int64? = nil, runAsGroup: Int64? = nil, runAsNonRoot: Bool? = nil, fsGroup: Int64? = nil,
                supplementalGroups: [Int64]? = nil, seccompProfile: SeccompProfile? = nil) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.fsGroup = fsGroup
        self.supplementalGroups = supplementalGroups
        self.seccompProfile = seccompProfile
    }
}

/// Lets a pod run on nodes with a matching taint.
public struct Toleration: Codable, Sendable, Hashable {
    public var key: String?
    /// `Equal` (the default) or `Exists`.
    public var `operator`: String?
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; absent matches all.
    public var effect: String?
    public var tolerationSeconds: Int64?

    public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil,
                tolerationSeconds: Int64? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

/// Scheduling constraints; pod (anti-)affinity is kept free-form.
public struct Affinity: Codable, Sendable, Hashable {
    public var nodeAffinity: NodeAffinity?
    public var podAffinity: JSONValue?
    public var podAntiAffinity: JSONValue?

    public init(nodeAffinity: NodeAffinity? = nil, podAffinity: JSONValue? = nil, podAntiAffinity: JSONValue? = nil) {
        self.nodeAffinity = nodeAffinity
        self.podAffinity = podAffinity
        self.podAntiAffinity = podAntiAffinity
    }
}

/// Hard and soft rules for which nodes a pod may run on.
public struct NodeAffinity: Codable, Sendable, Hashable {
    public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?
    public var preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil,
                preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

/// Node selector terms, ORed: a node matching any term qualifies.
public struct NodeSelector: Codable, Sendable, Hashable {
    public var nodeSelectorTerms: [NodeSelectorTerm]

    public init(nodeSelectorTerms: [NodeSelectorTerm] = []) {
        self.nodeSelectorTerms = nodeSelectorTerms
    }
}

/// Requirements ANDed together.
public struct NodeSelectorTerm: Codable, Sendable, Hashable {
    public var matchExpressions: [NodeSelectorRequirement]?
    public var matchFields: [NodeSelectorRequirement]?

    public init(matchExpressions: [NodeSelectorRequirement]? = nil, matchFields: [NodeSelectorRequirement]? = nil) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }
}

/// `key operator values`; operators `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
public struct NodeSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]?

    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

/// A soft node preference with a weight (1-100).
public struct PreferredSchedulingTerm: Codable, Sendable, Hashable {
    public var weight: Int
    public var preference: NodeSelectorTerm

    public init(weight: Int, preference: NodeSelectorTerm) {
        self.weight = weight
        self.preference = preference
    }
}
