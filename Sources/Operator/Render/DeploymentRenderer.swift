import KubeModel
import ModelAPI

/// Renders one serving Deployment of a model: owned by the model, labelled in the
/// `app.kubernetes.io` convention, rolled with `maxUnavailable: 0` so the serving version keeps
/// serving until the new one is available.
public enum DeploymentRenderer {
    public static func render(model: InferenceModel, choice: ServingChoice, slice: DeploymentSlice,
                              settings: OperatorSettings, storage: ArchiveStorage = ArchiveStorage()) -> Deployment {
        let spec = model.spec
        let runtime = spec.frameworkType.flatMap(settings.runtimes.runtime(for:))
            ?? settings.runtimes.runtime(for: "tensorflow")
        var selector = ModelLabels.selector(for: model)
        var labels = ModelLabels.common(for: model)
        let name: String
        if let placement = slice.placementLabel {
            name = ChildNaming.pinned(model, node: placement)
            selector[ModelLabels.placement] = ModelLabels.labelValue(placement)
            labels[ModelLabels.placement] = ModelLabels.labelValue(placement)
        } else {
            name = ChildNaming.primary(model)
        }
        var podLabels = labels
        podLabels["app.kubernetes.io/version"] = ModelLabels.labelValue(choice.versionLabel)
        var annotations = [ModelLabels.servingVersionAnnotation: choice.versionLabel]
        if case .verifiedArchive(let file) = choice { annotations[ModelLabels.sha256Annotation] = file.normalizedSHA256 }

        var serving = ContainerRenderer.servingContainer(for: model, choice: choice, runtime: runtime,
                                                         slice: slice, settings: settings)
        // The root file system is read-only; a bounded scratch directory takes what servers write.
        serving.volumeMounts = (serving.volumeMounts ?? []) + [VolumeMount(name: ContainerRenderer.scratchVolume,
                                                                           mountPath: "/tmp")]
        let containers = [serving]
        var initContainers: [Container]?
        var volumes = [Volume(name: ContainerRenderer.scratchVolume, emptyDir: EmptyDirVolumeSource(sizeLimit: "1Gi"))]
        if case .verifiedArchive(let file) = choice {
            let fetch = ContainerRenderer.fetchContainer(for: model, file: file, layout: runtime?.layout ?? .plain,
                                                         settings: settings, storage: storage)
            // Bounded, so an archive that unpacks to more than it should cannot fill the node's disk.
            volumes.append(Volume(name: ContainerRenderer.modelsVolume,
                                  emptyDir: EmptyDirVolumeSource(sizeLimit: storage.modelsVolumeLimit(settings: settings))))
            switch storage.cache {
            case .node:
                initContainers = [ContainerRenderer.prepareCacheContainer(settings: settings), fetch]
                volumes.append(Volume(name: ContainerRenderer.cacheVolume,
                                      hostPath: HostPathVolumeSource(path: settings.cacheHostPath, type: "DirectoryOrCreate")))
            case .pod:
                initContainers = [fetch]
            }
        }
        let architectures = ServingArchitectures(model: model, settings: settings, imageBased: choice.isImage).allowed
        var podSpec = PodSpec(containers: containers, initContainers: initContainers, volumes: volumes)
        podSpec.securityContext = PodSecurityContext(runAsNonRoot: true, seccompProfile: SeccompProfile(type: "RuntimeDefault"))
        podSpec.affinity = SchedulingRenderer.affinity(for: model, architectures: architectures, slice: slice)
        podSpec.tolerations = SchedulingRenderer.tolerations(for: model, settings: settings)
        podSpec.nodeSelector = spec.nodeSelector.flatMap { $0.isEmpty ? nil : $0 }
        if case .scheduled = slice { podSpec.nodeName = spec.nodeName }
        podSpec.automountServiceAccountToken = false

        var deployment = Deployment(
            metadata: ObjectMeta(name: name, namespace: model.metadata.namespace, labels: labels,
                                 annotations: annotations, ownerReferences: ownerReference(model).map { [$0] }),
            spec: DeploymentSpec(
                replicas: slice.replicas,
                selector: LabelSelector(matchLabels: selector),
                template: PodTemplateSpec(metadata: ObjectMeta(labels: podLabels, annotations: annotations),
                                          spec: podSpec),
                strategy: DeploymentStrategy(type: "RollingUpdate", rollingUpdate: RollingUpdateDeployment(
                    maxUnavailable: .int(0), maxSurge: .int(1))),
                revisionHistoryLimit: 3, progressDeadlineSeconds: 600))
        deployment.fillTypeMeta()
        return deployment
    }

    /// The controller owner reference to the model, so deleting it collects the Deployment; nil
    /// for a model that was never stored (`model-operator render` of a file), since a real API
    /// server refuses an owner reference without the owner's uid.
    public static func ownerReference(_ model: InferenceModel) -> OwnerReference? {
        guard let uid = model.metadata.uid, !uid.isEmpty else { return nil }
        return OwnerReference(apiVersion: InferenceModel.groupVersion, kind: InferenceModel.kindName,
                              name: model.metadata.name ?? "", uid: uid, controller: true, blockOwnerDeletion: true)
    }
}

extension ServingChoice {
    var isImage: Bool {
        if case .image = self { return true }
        return false
    }
}
