/// The defaults a kube-apiserver (1.25 on) fills into the fields of these typed models when it
/// stores a Deployment or a Service, so that what an operator renders can be compared with
/// what the server returns as values: `withServerDefaults()` of a rendered spec equals the
/// spec read back when nobody changed it (`../shared/fixtures/kube-apiserver-1.25/deployment-get.json`
/// against `deployment-create.json`; `service-get.json`). Quantities compare by value already
/// (`"0.5"` equals `"500m"`), and empty lists and objects count as absent, as they do on the
/// wire. Applying the defaults twice changes nothing.
///
/// Only defaults of the pod *template* are here: what admission adds to Pods (tolerations,
/// priority, `enableServiceLinks`, requests from limits) never reaches a Deployment's template.
public enum ServerDefaults {}

extension DeploymentSpec {
    /// The spec as the API server stores it (`SetDefaults_Deployment`).
    public func withServerDefaults() -> DeploymentSpec {
        var spec = self
        spec.replicas = replicas ?? 1
        var strategy = strategy ?? DeploymentStrategy()
        strategy.type = strategy.type ?? "RollingUpdate"
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateDeployment()
            rolling.maxUnavailable = rolling.maxUnavailable ?? .string("25%")
            rolling.maxSurge = rolling.maxSurge ?? .string("25%")
            strategy.rollingUpdate = rolling
        }
        spec.strategy = strategy
        spec.revisionHistoryLimit = revisionHistoryLimit ?? 10
        spec.progressDeadlineSeconds = progressDeadlineSeconds ?? 600
        spec.minReadySeconds = minReadySeconds == 0 ? nil : minReadySeconds
        spec.paused = paused == false ? nil : paused
        spec.selector.matchLabels = selector.matchLabels.nonEmpty
        spec.selector.matchExpressions = selector.matchExpressions.nonEmpty
        spec.template = template.withServerDefaults()
        return spec
    }
}

extension PodTemplateSpec {
    /// The template as stored: its spec defaulted; metadata keeps only labels and annotations
    /// (the server writes `creationTimestamp: null` there, which reads back as absent).
    public func withServerDefaults() -> PodTemplateSpec {
        var template = self
        if let metadata {
            template.metadata = ObjectMeta(labels: metadata.labels.nonEmpty, annotations: metadata.annotations.nonEmpty)
        }
        template.spec = (spec ?? PodSpec()).withServerDefaults()
        return template
    }
}

extension PodSpec {
    /// The pod spec as stored in a template (`SetDefaults_PodSpec` and the defaults of its parts).
    public func withServerDefaults() -> PodSpec {
        var spec = self
        spec.dnsPolicy = dnsPolicy ?? "ClusterFirst"
        spec.restartPolicy = restartPolicy ?? "Always"
        spec.terminationGracePeriodSeconds = terminationGracePeriodSeconds ?? 30
        spec.schedulerName = schedulerName ?? "default-scheduler"
        var security = securityContext ?? PodSecurityContext()
        security.supplementalGroups = security.supplementalGroups.nonEmpty
        spec.securityContext = security
        spec.containers = containers.map { $0.withServerDefaults(hostNetwork: hostNetwork == true) }
        spec.initContainers = initContainers?.map { $0.withServerDefaults(hostNetwork: hostNetwork == true) }.nonEmpty
        spec.volumes = volumes?.map { $0.withServerDefaults() }.nonEmpty
        spec.nodeSelector = nodeSelector.nonEmpty
        spec.tolerations = tolerations.nonEmpty
        spec.imagePullSecrets = imagePullSecrets.nonEmpty
        spec.hostNetwork = hostNetwork == false ? nil : hostNetwork
        spec.hostPID = hostPID == false ? nil : hostPID
        spec.hostIPC = hostIPC == false ? nil : hostIPC
        return spec
    }
}

extension Container {
    /// A container as stored (`SetDefaults_Container`, ports, probes, env field references).
    public func withServerDefaults(hostNetwork: Bool = false) -> Container {
        var container = self
        container.imagePullPolicy = imagePullPolicy ?? Self.defaultPullPolicy(image: image)
        container.terminationMessagePath = terminationMessagePath ?? "/dev/termination-log"
        container.terminationMessagePolicy = terminationMessagePolicy ?? "File"
        container.resources = ResourceRequirements(requests: resources?.requests.nonEmpty, limits: resources?.limits.nonEmpty)
        container.ports = ports?.map { port in
            var port = port
            port.protocol = port.protocol ?? "TCP"
            if hostNetwork, port.hostPort == nil { port.hostPort = port.containerPort }
            return port
        }.nonEmpty
        container.readinessProbe = readinessProbe?.withServerDefaults()
        container.livenessProbe = livenessProbe?.withServerDefaults()
        container.startupProbe = startupProbe?.withServerDefaults()
        container.command = command.nonEmpty
        container.args = args.nonEmpty
        container.volumeMounts = volumeMounts.nonEmpty
        container.envFrom = envFrom.nonEmpty
        container.env = env?.map { variable in
            var variable = variable
            if variable.valueFrom?[path: ["fieldRef"]] != nil, variable.valueFrom?[path: ["fieldRef", "apiVersion"]] == nil {
                variable.valueFrom?[path: ["fieldRef", "apiVersion"]] = "v1"
            }
            return variable
        }.nonEmpty
        return container
    }

    /// `Always` for an image without a tag or tagged `latest`, else `IfNotPresent`
    /// (a digest reference counts as tagged).
    public static func defaultPullPolicy(image: String?) -> String {
        guard let image, !image.contains("@") else { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }
}

extension Probe {
    /// A probe as stored: timing defaults and the HTTP scheme.
    public func withServerDefaults() -> Probe {
        var probe = self
        probe.timeoutSeconds = timeoutSeconds ?? 1
        probe.periodSeconds = periodSeconds ?? 10
        probe.successThreshold = successThreshold ?? 1
        probe.failureThreshold = failureThreshold ?? 3
        probe.initialDelaySeconds = initialDelaySeconds == 0 ? nil : initialDelaySeconds
        if var httpGet = probe.httpGet {
            httpGet.scheme = httpGet.scheme ?? "HTTP"
            httpGet.path = httpGet.path ?? ""
            probe.httpGet = httpGet
        }
        return probe
    }
}

extension Volume {
    /// A volume as stored: a hostPath without a type gets the empty type, ConfigMap and Secret
    /// files mode 0644, and a volume without a source is an emptyDir.
    public func withServerDefaults() -> Volume {
        var volume = self
        if emptyDir == nil, hostPath == nil, configMap == nil, secret == nil, persistentVolumeClaim == nil {
            volume.emptyDir = EmptyDirVolumeSource()
        }
        if volume.hostPath != nil, volume.hostPath?.type == nil { volume.hostPath?.type = "" }
        if volume.configMap != nil, volume.configMap?.defaultMode == nil { volume.configMap?.defaultMode = 0o644 }
        if volume.secret != nil, volume.secret?.defaultMode == nil { volume.secret?.defaultMode = 0o644 }
        return volume
    }
}

extension ServicePort {
    /// A Service port as stored: TCP, and the target port defaulted to the port.
    public func withServerDefaults() -> ServicePort {
        var port = self
        port.protocol = self.protocol ?? "TCP"
        port.targetPort = targetPort ?? .int(self.port)
        return port
    }
}

extension Optional where Wrapped: Collection {
    /// `nil` for an empty collection: the wire format omits empty lists and maps.
    var nonEmpty: Wrapped? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}

extension Array {
    var nonEmpty: [Element]? { isEmpty ? nil : self }
}
