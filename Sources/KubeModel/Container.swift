/// One container of a pod: image, command, environment, ports, resources, mounts and probes.
public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    /// `Always`, `IfNotPresent` or `Never`.
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var env: [EnvVar]?
    /// `configMapRef`/`secretRef` sources, kept free-form.
    public var envFrom: [JSONValue]?
    public var ports: [ContainerPort]?
    public var resources: ResourceRequirements?
    public var volumeMounts: [VolumeMount]?
    public var readinessProbe: Probe?
    public var livenessProbe: Probe?
    public var startupProbe: Probe?
    public var securityContext: SecurityContext?
    public var terminationMessagePath: String?
    /// `File` or `FallbackToLogsOnError`.
    public var terminationMessagePolicy: String?

    public init(name: String, image: String? = nil, imagePullPolicy: String? = nil, command: [String]? = nil,
                args: [String]? = nil, workingDir: String? = nil, env: [EnvVar]? = nil, envFrom: [JSONValue]? = nil,
                ports: [ContainerPort]? = nil, resources: ResourceRequirements? = nil,
                volumeMounts: [VolumeMount]? = nil, readinessProbe: Probe? = nil, livenessProbe: Probe? = nil,
                startupProbe: Probe? = nil, securityContext: SecurityContext? = nil,
                terminationMessagePath: String? = nil, terminationMessagePolicy: String? = nil) {
        self.name = name
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.env = env
        self.envFrom = envFrom
        self.ports = ports
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.readinessProbe = readinessProbe
        self.livenessProbe = livenessProbe
        self.startupProbe = startupProbe
        self.securityContext = securityContext
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
    }
}

/// An environment variable: a literal `value` or a `valueFrom` reference (free-form).
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: JSONValue?

    public init(name: String, value: String? = nil, valueFrom: JSONValue? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// A port a container listens on.
public struct ContainerPort: Codable, Sendable, Hashable {
    public var containerPort: Int
    public var name: String?
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String?
    public var hostPort: Int?
    public var hostIP: String?

    public init(containerPort: Int, name: String? = nil, protocol: String? = nil, hostPort: Int? = nil,
                hostIP: String? = nil) {
        self.containerPort = containerPort
        self.name = name
        self.protocol = `protocol`
        self.hostPort = hostPort
        self.hostIP = hostIP
    }
}

/// Resource requests and limits (`cpu`, `memory`, `nvidia.com/gpu`, ...).
public struct ResourceRequirements: Codable, Sendable, Hashable {
    public var requests: [String: Quantity]?
    public var limits: [String: Quantity]?

    public init(requests: [String: Quantity]? = nil, limits: [String: Quantity]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// Where a volume appears inside a container.
public struct VolumeMount: Codable, Sendable, Hashable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool?
    public var subPath: String?

    public init(name: String, mountPath: String, readOnly: Bool? = nil, subPath: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.subPath = subPath
    }
}

/// A readiness, liveness or startup check: one of `httpGet`, `tcpSocket`, `exec`, with timing.
public struct Probe: Codable, Sendable, Hashable {
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var exec: ExecAction?
    public var initialDelaySeconds: Int?
    public var periodSeconds: Int?
    public var timeoutSeconds: Int?
    public var successThreshold: Int?
    public var failureThreshold: Int?

    public init(httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil, exec: ExecAction? = nil,
                initialDelaySeconds: Int? = nil, periodSeconds: Int? = nil, timeoutSeconds: Int? = nil,
                successThreshold: Int? = nil, failureThreshold: Int? = nil) {
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.exec = exec
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }
}

/// An HTTP GET probe.
public struct HTTPGetAction: Codable, Sendable, Hashable {
    public var port: IntOrString
    public var path: String?
    public var host: String?
    /// `HTTP` or `HTTPS`.
    public var scheme: String?
    public var httpHeaders: [HTTPHeader]?

    public init(port: IntOrString, path: String? = nil, host: String? = nil, scheme: String? = nil,
                httpHeaders: [HTTPHeader]? = nil) {
        self.port = port
        self.path = path
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
    }
}

/// A header sent by an HTTP probe.
public struct HTTPHeader: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A TCP connect probe.
public struct TCPSocketAction: Codable, Sendable, Hashable {
    public var port: IntOrString
    public var host: String?

    public init(port: IntOrString, host: String? = nil) {
        self.port = port
        self.host = host
    }
}

/// A probe that runs a command in the container.
public struct ExecAction: Codable, Sendable, Hashable {
    public var command: [String]?

    public init(command: [String]? = nil) {
        self.command = command
    }
}

/// Container-level security settings.
public struct SecurityContext: Codable, Sendable, Hashable {
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var allowPrivilegeEscalation: Bool?
    public var privileged: Bool?
    public var capabilities: Capabilities?
    public var seccompProfile: SeccompProfile?

    public init(runAsUser: Int64? = nil, runAsGroup: Int64? = nil, runAsNonRoot: Bool? = nil,
                readOnlyRootFilesystem: Bool? = nil, allowPrivilegeEscalation: Bool? = nil, privileged: Bool? = nil,
                capabilities: Capabilities? = nil, seccompProfile: SeccompProfile? = nil) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.privileged = privileged
        self.capabilities = capabilities
        self.seccompProfile = seccompProfile
    }
}

/// Linux capabilities to add and drop (`drop: [ALL]`).
public struct Capabilities: Codable, Sendable, Hashable {
    public var add: [String]?
    public var drop: [String]?

    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// A seccomp profile: `RuntimeDefault`, `Localhost` (with a path) or `Unconfined`.
public struct SeccompProfile: Codable, Sendable, Hashable {
    public var type: String
    public var localhostProfile: String?

    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}
