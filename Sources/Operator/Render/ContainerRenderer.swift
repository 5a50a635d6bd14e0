import KubeModel
import ModelAPI
import ModelFetch

/// The serving container and, for manifest models, the `model-operator fetch` init container.
enum ContainerRenderer {
    static let modelsVolume = "models"
    static let cacheVolume = "model-cache"
    static let scratchVolume = "tmp"
    static let modelsPath = "/models"
    static let cachePath = "/var/cache/model-operator"
    static let fetchContainerName = "fetch-model"

    /// The init container that downloads (or takes from the node cache), verifies and extracts
    /// the archive into the pod's models volume; on failure its termination message says why.
    /// Credentials come from the model's Secret as environment variables (never arguments).
    static func fetchContainer(for model: InferenceModel, file: InferenceModelFile, layout: ServingRuntime.Layout,
                               settings: OperatorSettings, storage: ArchiveStorage) -> Container {
        var args = [
            "fetch", "--url", file.downloadURL, "--sha256", file.normalizedSHA256, "--dest", modelsPath,
        ]
        var mounts = [VolumeMount(name: modelsVolume, mountPath: modelsPath)]
        if storage.cache == .node {
            args += ["--cache-dir", cachePath]
            mounts.append(VolumeMount(name: cacheVolume, mountPath: cachePath))
        }
        args += ["--model", model.spec.modelName, "--model-version", file.version, "--layout", layout.rawValue]
        if let bytes = storage.archiveBytes, let extracted = storage.extractedLimitBytes {
            args += ["--max-size", String(bytes), "--max-extracted-size", String(extracted)]
        }
        return Container(
            name: fetchContainerName, image: settings.fetchImage, imagePullPolicy: "IfNotPresent",
            args: args + settings.downloadPolicy.fetchArguments,
            env: credentialsEnvironment(model.spec.archiveCredentials),
            resources: ResourceRequirements(requests: ["cpu": "100m", "memory": "64Mi"], limits: ["memory": "256Mi"]),
            volumeMounts: mounts,
            securityContext: restrictedSecurityContext(runAsUser: fetchUser),
            terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "FallbackToLogsOnError")
    }

    /// The Secret's keys as the environment variables `model-operator fetch` reads; each one
    /// optional, since a Secret holds only one of the forms.
    static func credentialsEnvironment(_ reference: ArchiveCredentialsReference?) -> [EnvVar]? {
        guard let reference else { return nil }
        return ArchiveCredentialKeys.all.map { key, variable in
            EnvVar(name: variable, valueFrom: ["secretKeyRef": [
                "name": .string(reference.secretName), "key": .string(key), "optional": true,
            ]])
        }
    }

    static let prepareCacheContainerName = "prepare-cache"

    /// In node-cache mode, the first init container: it creates the node's cache directory and
    /// gives it to the fetch user, which a hostPath created by the kubelet (root's, mode 0755)
    /// does not allow. It runs as root with only CAP_CHOWN, and only where hostPath volumes are
    /// allowed at all (a privileged namespace).
    static func prepareCacheContainer(settings: OperatorSettings) -> Container {
        Container(
            name: prepareCacheContainerName, image: settings.fetchImage, imagePullPolicy: "IfNotPresent",
            args: ["fetch", "--prepare-cache", "--cache-dir", cachePath, "--cache-owner", String(fetchUser)],
            resources: ResourceRequirements(requests: ["cpu": "10m", "memory": "16Mi"], limits: ["memory": "64Mi"]),
            volumeMounts: [VolumeMount(name: cacheVolume, mountPath: cachePath)],
            securityContext: SecurityContext(runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true,
                                             allowPrivilegeEscalation: false,
                                             capabilities: Capabilities(add: ["CHOWN"], drop: ["ALL"]),
                                             seccompProfile: SeccompProfile(type: "RuntimeDefault")),
            terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "FallbackToLogsOnError")
    }

    /// The user `model-operator fetch` runs as (the image's non-root user).
    static let fetchUser: Int64 = 65532

    /// What PodSecurity `restricted` asks of a container: non-root, no privilege escalation,
    /// every capability dropped, the runtime's default seccomp profile, and a read-only root file
    /// system. An image model's own image must then name a non-root user (`runAsUser` nil).
    static func restrictedSecurityContext(runAsUser: Int64?) -> SecurityContext {
        SecurityContext(runAsUser: runAsUser, runAsNonRoot: true, readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false, capabilities: Capabilities(drop: ["ALL"]),
                        seccompProfile: SeccompProfile(type: "RuntimeDefault"))
    }

    /// The model server: the runtime's image and arguments for manifest models, the user's
    /// image for image models; the serving port, a readiness probe, resources and GPU.
    static func servingContainer(for model: InferenceModel, choice: ServingChoice, runtime: ServingRuntime?,
                                 slice: DeploymentSlice, settings: OperatorSettings) -> Container {
        let spec = model.spec
        let port = spec.servingPort
        var container = Container(
            name: "model-server",
            ports: [ContainerPort(containerPort: port, name: "http", protocol: "TCP")],
            securityContext: restrictedSecurityContext(runAsUser: nil))
        var env = [EnvVar(name: "MODEL_NAME", value: spec.modelName),
                   EnvVar(name: "MODEL_VERSION", value: choice.versionLabel)]
        switch choice {
        case .image(let image):
            container.image = image
        case .verifiedArchive:
            container.image = runtime?.image(gpu: spec.needsGPU)
            let directory = runtime?.layout == .plain ? "\(modelsPath)/\(spec.modelName)" : modelsPath
            container.args = runtime?.arguments(model: spec.modelName, port: port, modelDirectory: directory)
            container.volumeMounts = [VolumeMount(name: modelsVolume, mountPath: modelsPath, readOnly: true)]
            // The catalog's serving images start as root; they run as the fetch container's user,
            // which wrote the model files.
            container.securityContext = restrictedSecurityContext(runAsUser: fetchUser)
        }
        let readinessPath = runtime.flatMap { runtime -> String? in
            guard case .verifiedArchive = choice else { return nil }
            return runtime.readinessPath?.replacingOccurrences(of: "{{model}}", with: spec.modelName)
        }
        container.readinessProbe = readinessPath.map {
            Probe(httpGet: HTTPGetAction(port: .int(port), path: $0), periodSeconds: 5, failureThreshold: 3)
        } ?? Probe(tcpSocket: TCPSocketAction(port: .int(port)), periodSeconds: 5, failureThreshold: 3)
        var resources = resourceRequirements(spec.resources)
        if case .pinned(let placement, _) = slice, let gpu = placement.gpu {
            if spec.gpu?.isExclusive == true || settings.gpuSharing != .visibleDevices {
                // One unit of the device plugin's resource: kube-scheduler counts it and the
                // device plugin hands the pod its GPU (extended resources need requests == limits).
                var requests = resources.requests ?? [:]
                var limits = resources.limits ?? [:]
                requests[settings.gpuResource] = Quantity(1)
                limits[settings.gpuResource] = Quantity(1)
                resources.requests = requests
                resources.limits = limits
            } else {
                env.append(EnvVar(name: "NVIDIA_VISIBLE_DEVICES", value: String(gpu.index)))
            }
            if let memory = gpu.memoryMiB {
                env.append(EnvVar(name: "MODEL_GPU_MEMORY_MIB", value: String(memory)))
            }
        }
        container.resources = resources.requests == nil && resources.limits == nil ? nil : resources
        container.env = env
        return container
    }

    private static func resourceRequirements(_ resources: ServingResources?) -> ResourceRequirements {
        func quantities(_ map: [String: String]?) -> [String: Quantity]? {
            guard let map, !map.isEmpty else { return nil }
            // Validation rejected unparseable quantities before rendering; skip any that slipped by.
            let parsed = map.compactMapValues { try? Quantity(parsing: $0) }
            return parsed.isEmpty ? nil : parsed
        }
        return ResourceRequirements(requests: quantities(resources?.requests), limits: quantities(resources?.limits))
    }
}
